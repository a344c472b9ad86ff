#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/delivered_jobs.hpp"
#include "core/ports/job_queue.hpp"
#include "core/ports/job_statistics.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// JobQueue (and DeliveredJobs) on PostgreSQL's `jobs` table. A claim is one UPDATE … RETURNING whose subquery
// picks the oldest due job with FOR UPDATE SKIP LOCKED: workers of every instance sharing the database claim
// concurrently, never the same job, and never wait for each other.
class PgJobQueue final : public core::ports::JobQueue,
                         public core::ports::DeliveredJobs,
                         public core::ports::JobStatistics {
  public:
    explicit PgJobQueue(PgDatabase& db) : db_(db) {}

    core::Result<core::Job> enqueue(const core::Job& job) override;
    core::Result<std::optional<core::Job>> claim(const std::vector<std::string>& kinds, core::TimePoint now,
                                                 std::chrono::milliseconds lease) override;
    core::Status complete(const std::string& id, core::TimePoint now) override;
    core::Result<core::Job> fail(const std::string& id, const std::string& error, core::TimePoint now,
                                 std::optional<core::TimePoint> retry_at) override;
    core::Result<std::optional<core::Job>> find(const std::string& id) override;
    core::Result<std::optional<core::Job>> find_by_dedupe_key(const std::string& dedupe_key) override;
    core::Result<std::optional<core::TimePoint>> next_due(const std::vector<std::string>& kinds) override;
    core::Result<std::optional<core::Job>> claim_delivered(const std::string& id, core::TimePoint now,
                                                           std::chrono::milliseconds lease, bool redelivery) override;

    // JobStatistics (the metrics sampler).
    core::Result<core::ports::JobCounts> job_counts(core::TimePoint now) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
