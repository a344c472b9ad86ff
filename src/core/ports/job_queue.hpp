#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/job.hpp"
#include "core/platform.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// Durable jobs. The SQLite adapter keeps them in the `jobs` table; RabbitMQ (scale-out) joins later. Workers
// claim a job with a lease: a worker that dies mid-job (crash, restart) loses the lease and the job runs
// again, so handlers must be idempotent.
class JobQueue {
  public:
    virtual ~JobQueue() = default;

    // Stores `job` (status kQueued, attempts 0). When job.dedupe_key is set and a job with that key exists,
    // nothing is stored and the existing job is returned.
    virtual Result<Job> enqueue(const Job& job) = 0;

    // Takes the oldest due job of one of `kinds`: kQueued with run_at <= now, or kRunning whose lease has
    // passed. It becomes kRunning with attempts + 1 and lease_until = now + lease. nullopt when none is due.
    virtual Result<std::optional<Job>> claim(const std::vector<std::string>& kinds, TimePoint now,
                                             std::chrono::milliseconds lease) = 0;

    // The attempt succeeded.
    virtual Status complete(const std::string& id, TimePoint now) = 0;

    // The attempt failed with `error`. When attempts < max_attempts the job is queued again at `retry_at`;
    // otherwise, or with no `retry_at` (a failure no retry can cure), it is kDead. Returns the job afterwards.
    virtual Result<Job> fail(const std::string& id, const std::string& error, TimePoint now,
                             std::optional<TimePoint> retry_at) = 0;

    virtual Result<std::optional<Job>> find(const std::string& id) = 0;
    virtual Result<std::optional<Job>> find_by_dedupe_key(const std::string& dedupe_key) = 0;

    // The earliest run_at (or lease expiry) among jobs of `kinds` that are not finished: when a worker should
    // look again. nullopt when there are none.
    virtual Result<std::optional<TimePoint>> next_due(const std::vector<std::string>& kinds) = 0;
};

}  // namespace crossvoice::core::ports
