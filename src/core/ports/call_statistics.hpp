#pragma once

#include <cstdint>

#include "core/result.hpp"

namespace crossvoice::core::ports {

// Calls not ended yet, by state (the /metrics gauge crossvoice_calls_active).
struct ActiveCalls {
    std::int64_t initiated = 0;
    std::int64_t ringing = 0;
    std::int64_t answered = 0;
};

// The call records as an operator sees them. A separate port from CallStore, which the use-cases take: only the
// metrics sampler asks this.
class CallStatistics {
  public:
    virtual ~CallStatistics() = default;

    virtual Result<ActiveCalls> active_calls() = 0;
};

}  // namespace crossvoice::core::ports
