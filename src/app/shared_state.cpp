#include "app/shared_state.hpp"

#include <unistd.h>

#include <algorithm>

#include "redis/redis_url.hpp"

namespace crossvoice::app {

core::Result<std::unique_ptr<SharedState>> open_shared_state(const Config& config, StoreSet& stores) {
    auto shared = std::make_unique<SharedState>();
    if (config.redis_url) {
        auto endpoint = redis::parse_redis_url(*config.redis_url);
        if (!endpoint) return std::move(endpoint).error();
        redis::RedisClientOptions options;
        // Request threads and job workers both mark and count: enough connections that they rarely wait.
        options.pool_size = std::clamp(config.worker_threads, 2, 32);
        shared->redis = std::make_unique<redis::RedisClient>(std::move(endpoint).value(), options);
        // Tells this process's rate-limit events apart from another instance's of the same millisecond.
        char host[64] = {};
        ::gethostname(host, sizeof host - 1);
        const std::string instance = std::string(host) + ":" + std::to_string(::getpid());
        shared->rate_limiter =
            std::make_unique<redis::RedisRateLimiter>(*shared->redis, shared->clock, instance, config.shared_prefix);
        shared->replay_guard = std::make_unique<redis::RedisReplayGuard>(*shared->redis, config.shared_prefix);
        shared->redis_probe = std::make_unique<redis::RedisReadiness>(*shared->redis);
    }
    if (config.amqp_url) {
        if (stores.delivered_jobs == nullptr) {
            return core::Error::internal("the " + stores.backend + " job store cannot take broker deliveries");
        }
        auto endpoint = amqp::parse_amqp_url(*config.amqp_url);
        if (!endpoint) return std::move(endpoint).error();
        amqp::AmqpJobQueueOptions options;
        options.prefetch = std::max(1, config.job_workers);
        options.name = config.shared_prefix;
        shared->jobs = std::make_unique<amqp::AmqpJobQueue>(std::move(endpoint).value(), *stores.jobs,
                                                            *stores.delivered_jobs, options);
    }
    return shared;
}

}  // namespace crossvoice::app
