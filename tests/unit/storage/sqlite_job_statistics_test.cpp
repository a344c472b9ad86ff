// The JobStatistics port on SQLite, written against the port: what the /metrics job gauges read.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/ports/job_statistics.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace crossvoice::storage {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kLease{30'000};

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(1'790'000'000'000 + ms); }

class SqliteJobStatisticsTest : public ::testing::Test {
  protected:
    void enqueue(const std::string& id, const std::string& kind, std::int64_t run_at_ms) {
        core::Job job;
        job.id = id;
        job.kind = kind;
        job.max_attempts = 1;
        job.run_at = at(run_at_ms);
        job.created_at = job.updated_at = at(0);
        ASSERT_TRUE(queue_.enqueue(job));
    }

    testing::TempDir dir_;  // first, so the file outlives the database
    std::unique_ptr<SqliteDatabase> db_ = testing::open_test_database(dir_);
    SqliteJobQueue queue_{*db_};
    core::ports::JobStatistics& statistics_ = queue_;
};

TEST_F(SqliteJobStatisticsTest, AnEmptyQueueHasNoKindsAndNoAge) {
    auto counts = statistics_.job_counts(at(1'000));
    ASSERT_TRUE(counts) << counts.error().message;
    EXPECT_TRUE(counts->kinds.empty());
    EXPECT_EQ(counts->oldest_due_age, milliseconds(0));
}

TEST_F(SqliteJobStatisticsTest, CountsEachKindByStatusAndAgesTheOldestDueJob) {
    enqueue("job-a1", "message.send", 100);     // due since 100
    enqueue("job-a2", "message.send", 400);     // due since 400
    enqueue("job-a3", "message.send", 50'000);  // in back-off: queued, not due
    enqueue("job-b1", "recording.fetch", 200);  // claimed below: running
    enqueue("job-b2", "recording.fetch", 300);  // claimed and failed on its only attempt: dead
    enqueue("job-c1", "transcription.run", 0);  // claimed and completed: not counted
    ASSERT_TRUE(queue_.claim({"recording.fetch"}, at(500), kLease));
    ASSERT_TRUE(queue_.claim({"recording.fetch"}, at(500), kLease));
    ASSERT_TRUE(queue_.fail("job-b2", "gone", at(600), at(700)));
    auto done = queue_.claim({"transcription.run"}, at(500), kLease);
    ASSERT_TRUE(done && done.value());
    ASSERT_TRUE(queue_.complete("job-c1", at(600)));

    auto counts = statistics_.job_counts(at(1'000));
    ASSERT_TRUE(counts) << counts.error().message;
    ASSERT_EQ(counts->kinds.size(), 2U);  // sorted by kind; the finished kind is left out
    EXPECT_EQ(counts->kinds[0].kind, "message.send");
    EXPECT_EQ(counts->kinds[0].queued, 3);
    EXPECT_EQ(counts->kinds[0].running, 0);
    EXPECT_EQ(counts->kinds[0].dead, 0);
    EXPECT_EQ(counts->kinds[1].kind, "recording.fetch");
    EXPECT_EQ(counts->kinds[1].queued, 0);
    EXPECT_EQ(counts->kinds[1].running, 1);
    EXPECT_EQ(counts->kinds[1].dead, 1);
    EXPECT_EQ(counts->oldest_due_age, milliseconds(900));  // job-a1, due at 100
}

TEST_F(SqliteJobStatisticsTest, AQueueWithOnlyFutureJobsHasNoAge) {
    enqueue("job-later", "message.send", 5'000);
    auto counts = statistics_.job_counts(at(1'000));
    ASSERT_TRUE(counts) << counts.error().message;
    ASSERT_EQ(counts->kinds.size(), 1U);
    EXPECT_EQ(counts->kinds[0].queued, 1);
    EXPECT_EQ(counts->oldest_due_age, milliseconds(0));
}

}  // namespace
}  // namespace crossvoice::storage
