#pragma once

#include <string>
#include <vector>

#include "core/ports/readiness.hpp"

namespace crossvoice::services {

struct ProbeResult {
    std::string name;
    bool ready = false;
    std::string detail;    // the error message when not ready
    std::string provider;  // ReadinessProbe::provider()
};

// Asks every dependency whether it can serve; /readyz renders the answer.
class ReadinessService {
  public:
    explicit ReadinessService(std::vector<core::ports::ReadinessProbe*> probes) : probes_(std::move(probes)) {}
    std::vector<ProbeResult> check_all();

  private:
    std::vector<core::ports::ReadinessProbe*> probes_;
};

}  // namespace crossvoice::services
