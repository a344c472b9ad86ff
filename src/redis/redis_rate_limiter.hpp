#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/ports/rate_limiter.hpp"
#include "redis/redis_client.hpp"

namespace crossvoice::redis {

// core::ports::RateLimiter shared by every instance: the same exact sliding log as the memory adapter, kept in one
// sorted set per key (member = one event, score = its time in ms) and changed by one Lua script, so the check and
// the take are atomic across instances. Time comes from the callers' clock (instances are expected to run NTP), so
// that the window means the same on every adapter and tests can drive it.
//
// When Redis cannot be reached the call fails with kUnavailable: the caller refuses the request rather than let it
// through uncounted.
class RedisRateLimiter final : public core::ports::RateLimiter {
  public:
    // `instance` tells this process's events apart from another's of the same millisecond.
    // Keys are "<prefix>:rate:<key>", so that several deployments can share one Redis.
    RedisRateLimiter(RedisClient& client, const core::Clock& clock, std::string instance,
                     std::string prefix = "crossvoice");

    core::Result<core::ports::RateDecision> acquire(const std::string& key, long limit,
                                                    std::chrono::milliseconds window) override;

  private:
    RedisClient& client_;
    const core::Clock& clock_;
    const std::string instance_;
    const std::string prefix_;
    std::atomic<std::uint64_t> sequence_{0};
};

}  // namespace crossvoice::redis
