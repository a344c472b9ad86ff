#include "storage/sqlite/sqlite_job_queue.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace crossvoice::storage {
namespace {

using core::Job;
using core::JobStatus;
using std::chrono::milliseconds;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;
constexpr milliseconds kLease{30'000};

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(kBaseMs + ms); }

Job make_job(const std::string& id) {
    Job job;
    job.id = id;
    job.kind = "recording.fetch";
    job.payload_json = "{}";
    job.run_at = at(0);
    job.created_at = at(0);
    job.updated_at = at(0);
    return job;
}

// A restart is the database closed and opened again (and migrated again, as the service does on start): queued
// jobs are still queued, and a job whose worker died with the old process runs again once its lease is over.
TEST(SqliteJobQueueRestartTest, JobsSurviveReopeningTheDatabase) {
    testing::TempDir dir;
    {
        auto db = testing::open_test_database(dir);
        SqliteJobQueue queue(*db);
        ASSERT_TRUE(queue.enqueue(make_job("job-running")));
        ASSERT_TRUE(queue.enqueue(make_job("job-queued")));
        auto claimed = queue.claim({"recording.fetch"}, at(10), kLease);
        ASSERT_TRUE(claimed && claimed.value());
        ASSERT_EQ(claimed.value()->id, "job-running");
    }

    auto db = testing::open_test_database(dir);
    SqliteJobQueue queue(*db);
    auto running = queue.find("job-running");
    ASSERT_TRUE(running) << running.error().message;
    ASSERT_TRUE(running.value().has_value());
    EXPECT_EQ(running.value()->status, JobStatus::kRunning);
    EXPECT_EQ(running.value()->attempts, 1);
    EXPECT_EQ(running.value()->lease_until, at(10) + kLease);

    auto next = queue.claim({"recording.fetch"}, at(20), kLease);
    ASSERT_TRUE(next) << next.error().message;
    ASSERT_TRUE(next.value().has_value());
    EXPECT_EQ(next.value()->id, "job-queued");

    auto retaken = queue.claim({"recording.fetch"}, at(10) + kLease, kLease);
    ASSERT_TRUE(retaken) << retaken.error().message;
    ASSERT_TRUE(retaken.value().has_value());
    EXPECT_EQ(retaken.value()->id, "job-running");
    EXPECT_EQ(retaken.value()->attempts, 2);
}

}  // namespace
}  // namespace crossvoice::storage
