#include "services/readiness_service.hpp"

namespace crossvoice::services {

std::vector<ProbeResult> ReadinessService::check_all() {
    std::vector<ProbeResult> results;
    results.reserve(probes_.size());
    for (auto* probe : probes_) {
        auto status = probe->check();
        results.push_back(
            {probe->name(), status.ok(), status.ok() ? std::string{} : status.error().message, probe->provider()});
    }
    return results;
}

}  // namespace crossvoice::services
