#pragma once

#include <chrono>
#include <string>

#include "core/result.hpp"

namespace crossvoice::core::ports {

struct RateDecision {
    bool allowed = true;
    std::chrono::milliseconds retry_after{0};  // when refused: how long until one more would be allowed
    long remaining = 0;                        // how many more fit in the current window after this one
};

// Counts events per key in a rolling window ("at most `limit` per `window`"). The memory adapter serves one
// instance; the Redis adapter (scale-out) shares counts between instances.
class RateLimiter {
  public:
    virtual ~RateLimiter() = default;
    // Takes one slot for `key` when one is free. Refusals take nothing.
    virtual Result<RateDecision> acquire(const std::string& key, long limit, std::chrono::milliseconds window) = 0;
};

}  // namespace crossvoice::core::ports
