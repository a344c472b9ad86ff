#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/delivered_jobs.hpp"
#include "core/ports/job_queue.hpp"
#include "core/ports/job_statistics.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// JobQueue on the `jobs` table. A claim is one UPDATE ... RETURNING under BEGIN IMMEDIATE: sqlite has a single
// writer, so two workers (threads or processes on the same file) can never take the same job.
class SqliteJobQueue final : public core::ports::JobQueue,
                             public core::ports::DeliveredJobs,
                             public core::ports::JobStatistics {
  public:
    explicit SqliteJobQueue(SqliteDatabase& db) : db_(db) {}

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
    core::Result<core::ports::JobCounts> job_counts(core::TimePoint now) override;

  private:
    SqliteDatabase& db_;
};

}  // namespace crossvoice::storage
