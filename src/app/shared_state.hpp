#pragma once

#include <memory>

#include "amqp/amqp_job_queue.hpp"
#include "app/config.hpp"
#include "app/store_set.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "redis/redis_client.hpp"
#include "redis/redis_rate_limiter.hpp"
#include "redis/redis_readiness.hpp"
#include "redis/redis_replay_guard.hpp"

namespace crossvoice::app {

// What several instances must share beyond the database, each present only when its URL is set: Redis
// (REDIS_URL) for rate limits and once-only marks, RabbitMQ (AMQP_URL) for job delivery. Unset, the runtime keeps
// rate limits in memory, marks in the database and has workers read the jobs table.
struct SharedState {
    core::SystemClock clock;  // the rate limiter's (stateless; every instance's clocks are expected in NTP sync)
    std::unique_ptr<redis::RedisClient> redis;
    std::unique_ptr<redis::RedisRateLimiter> rate_limiter;
    std::unique_ptr<redis::RedisReplayGuard> replay_guard;
    std::unique_ptr<redis::RedisReadiness> redis_probe;
    std::unique_ptr<amqp::AmqpJobQueue> jobs;  // over the stores' job records
};

// Builds the adapters; reaching the servers is not required here (a Redis or broker that is down is reported by
// /readyz and the integration status, and each call fails or falls back as its adapter documents).
core::Result<std::unique_ptr<SharedState>> open_shared_state(const Config& config, StoreSet& stores);

}  // namespace crossvoice::app
