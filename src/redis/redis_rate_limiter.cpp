#include "redis/redis_rate_limiter.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace crossvoice::redis {
namespace {

using Ms = std::chrono::milliseconds;

// KEYS[1]: the key's log. ARGV: now (ms), window (ms), limit, this event's member.
// An event at `at` counts during [at, at + window), so entries with at <= now - window have left.
// When full, one more fits once the oldest (count - limit + 1) entries have left: the (count - limit)th entry's
// time + window (more than one entry when the limit was lowered since they were taken).
// Returns {allowed (0/1), retry_after_ms, remaining}.
constexpr std::string_view kAcquireScript = R"lua(
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + window - now, 0}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0, limit - count - 1}
)lua";

}  // namespace

RedisRateLimiter::RedisRateLimiter(RedisClient& client, const core::Clock& clock, std::string instance,
                                   std::string prefix)
    : client_(client), clock_(clock), instance_(std::move(instance)), prefix_(std::move(prefix)) {}

core::Result<core::ports::RateDecision> RedisRateLimiter::acquire(const std::string& key, long limit, Ms window) {
    if (limit < 1) return core::Error::validation("limit", "the rate limit must be at least 1");
    if (window < Ms{1}) return core::Error::validation("window", "the rate-limit window must be at least 1 ms");

    const auto now = core::to_unix_ms(clock_.now());
    const auto member = fmt::format("{}:{}:{}", now, instance_, sequence_.fetch_add(1, std::memory_order_relaxed));
    auto reply = client_.command({"EVAL", std::string(kAcquireScript), "1", prefix_ + ":rate:" + key,
                                  std::to_string(now), std::to_string(window.count()), std::to_string(limit), member},
                                 "rate limit");
    if (!reply) return std::move(reply).error();
    const auto& values = reply->elements;
    if (reply->kind != RedisReply::Kind::kArray || values.size() != 3 ||
        std::any_of(values.begin(), values.end(),
                    [](const RedisReply& value) { return value.kind != RedisReply::Kind::kInteger; })) {
        return core::Error::internal("redis: the rate-limit script answered an unexpected shape");
    }
    if (values[0].integer == 1) return core::ports::RateDecision{true, Ms{0}, static_cast<long>(values[2].integer)};
    return core::ports::RateDecision{false, std::max(Ms{values[1].integer}, Ms{1}), 0};
}

}  // namespace crossvoice::redis
