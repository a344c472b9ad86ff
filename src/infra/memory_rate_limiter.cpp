#include "infra/memory_rate_limiter.hpp"

#include <algorithm>
#include <functional>

namespace crossvoice::infra {
namespace {

using Ms = std::chrono::milliseconds;

// A sweep costs O(keys in the shard); running it once per that many calls (and at least this many) keeps
// the cost amortised O(1) while bounding the shard to about twice its live keys.
constexpr std::size_t kMinCallsBetweenSweeps = 64;

}  // namespace

MemoryRateLimiter::Shard& MemoryRateLimiter::shard_for(const std::string& key) {
    return shards_[std::hash<std::string>{}(key) % kShards];
}

// An event at `at` counts during [at, at + window).
void MemoryRateLimiter::expire(Log& log, core::TimePoint now) {
    while (!log.entries.empty() && log.entries.front().at + log.window <= now) {
        log.total -= log.entries.front().count;
        log.entries.pop_front();
    }
}

void MemoryRateLimiter::sweep_locked(Shard& shard, core::TimePoint now) {
    std::erase_if(shard.logs, [now](const auto& item) {
        const Log& log = item.second;
        return log.entries.empty() || log.entries.back().at + log.window <= now;
    });
    shard.calls_since_sweep = 0;
}

core::Result<core::ports::RateDecision> MemoryRateLimiter::acquire(const std::string& key, long limit, Ms window) {
    if (limit < 1) return core::Error::validation("limit", "the rate limit must be at least 1");
    if (window < Ms{1}) return core::Error::validation("window", "the rate-limit window must be at least 1 ms");

    Shard& shard = shard_for(key);
    const std::lock_guard lock(shard.mutex);
    // Read under the lock so that entries of one shard are appended in time order.
    const core::TimePoint now = clock_.now();
    if (++shard.calls_since_sweep >= std::max(kMinCallsBetweenSweeps, shard.logs.size())) sweep_locked(shard, now);

    Log& log = shard.logs[key];
    log.window = window;
    expire(log, now);

    if (log.total >= limit) {
        // One more fits once enough of the oldest events have left the window for the total to drop below the
        // limit (more than one entry when the limit was lowered since they were taken).
        long freed = 0;
        Ms retry_after = window;
        for (const Entry& entry : log.entries) {
            freed += entry.count;
            if (log.total - freed < limit) {
                retry_after = std::chrono::duration_cast<Ms>(entry.at + window - now);
                break;
            }
        }
        // log is not empty here (total >= limit >= 1), so the key is not left behind as an empty entry.
        return core::ports::RateDecision{false, std::max(retry_after, Ms{1}), 0};
    }

    // A wall clock that stepped back must not put an entry before its predecessor: expiry reads from the front.
    const core::TimePoint at = log.entries.empty() ? now : std::max(now, log.entries.back().at);
    if (!log.entries.empty() && log.entries.back().at == at) {
        ++log.entries.back().count;
    } else {
        log.entries.push_back({at, 1});
    }
    ++log.total;
    return core::ports::RateDecision{true, Ms{0}, limit - log.total};
}

void MemoryRateLimiter::sweep() {
    for (Shard& shard : shards_) {
        const std::lock_guard lock(shard.mutex);
        sweep_locked(shard, clock_.now());
    }
}

std::size_t MemoryRateLimiter::tracked_keys() const {
    std::size_t keys = 0;
    for (const Shard& shard : shards_) {
        const std::lock_guard lock(shard.mutex);
        keys += shard.logs.size();
    }
    return keys;
}

}  // namespace crossvoice::infra
