#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/ports/rate_limiter.hpp"

namespace crossvoice::infra {

// core::ports::RateLimiter for a single instance: an exact sliding log per key, so "at most `limit` in any
// `window`" holds with no boundary burst and retry_after is exact. Keys hash to one of kShards separately
// locked maps, so callers on different keys rarely contend.
//
// Memory: O(events in the window) per key (events of the same millisecond share one entry); a key whose
// window has emptied is forgotten by a sweep that runs as the map is used (amortised O(1) per call).
class MemoryRateLimiter final : public core::ports::RateLimiter {
  public:
    explicit MemoryRateLimiter(const core::Clock& clock) : clock_(clock) {}

    // Errors: kValidation for limit < 1 or window < 1 ms. A key's window is the one of its latest call.
    core::Result<core::ports::RateDecision> acquire(const std::string& key, long limit,
                                                    std::chrono::milliseconds window) override;

    // Forgets every key whose window is empty now. acquire() does this as it goes; exposed for tests.
    void sweep();
    // Keys currently held in memory (for tests and a metric).
    std::size_t tracked_keys() const;

    static constexpr std::size_t kShards = 16;

  private:
    struct Entry {
        core::TimePoint at;
        long count = 0;
    };
    struct Log {
        std::deque<Entry> entries;  // oldest first, times never decreasing
        long total = 0;             // sum of the entries' counts
        std::chrono::milliseconds window{0};
    };
    // Aligned to a cache line so neighbouring shards' mutexes do not share one.
    struct alignas(64) Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, Log> logs;
        std::size_t calls_since_sweep = 0;
    };

    Shard& shard_for(const std::string& key);
    static void expire(Log& log, core::TimePoint now);
    static void sweep_locked(Shard& shard, core::TimePoint now);

    const core::Clock& clock_;
    std::array<Shard, kShards> shards_;
};

}  // namespace crossvoice::infra
