#pragma once

#include "core/ports/replay_guard.hpp"
#include "redis/redis_client.hpp"

namespace crossvoice::redis {

// core::ports::ReplayGuard shared by every instance: SET key NX PX <until expiry>, one atomic command, so two
// instances receiving the same webhook or hand-off token at once cannot both see a first use. Redis forgets the
// mark when it expires. When Redis cannot be reached the call fails with kUnavailable, and the caller refuses (a
// webhook is answered 503 and retried by its sender) instead of processing something twice.
class RedisReplayGuard final : public core::ports::ReplayGuard {
  public:
    // Keys are "<prefix>:once:<key>", so that several deployments can share one Redis.
    explicit RedisReplayGuard(RedisClient& client, std::string prefix = "crossvoice")
        : client_(client), prefix_(std::move(prefix)) {}
    core::Result<bool> first_use(const std::string& key, core::TimePoint now, core::TimePoint expires_at) override;

  private:
    RedisClient& client_;
    const std::string prefix_;
};

}  // namespace crossvoice::redis
