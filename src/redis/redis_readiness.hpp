#pragma once

#include "core/ports/readiness.hpp"
#include "redis/redis_client.hpp"

namespace crossvoice::redis {

// /readyz's question to Redis: does it answer PING?
class RedisReadiness final : public core::ports::ReadinessProbe {
  public:
    explicit RedisReadiness(RedisClient& client) : client_(client) {}
    std::string name() const override { return "redis"; }
    core::Status check() override { return client_.ping(); }

  private:
    RedisClient& client_;
};

}  // namespace crossvoice::redis
