#include "services/job_runner.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "infra/sodium_crypto.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "support/test_database.hpp"

namespace crossvoice::services {
namespace {

// Counts handler calls and lets the test wait for a number of them.
class Calls {
  public:
    void note() {
        {
            std::lock_guard lock(mutex_);
            ++count_;
        }
        changed_.notify_all();
    }
    bool wait_for(int n) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds{20}, [&] { return count_ >= n; });
    }
    int count() {
        std::lock_guard lock(mutex_);
        return count_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;
};

class JobRunnerTest : public ::testing::Test {
  protected:
    JobRunnerOptions fast() {
        JobRunnerOptions options;
        options.workers = 2;
        options.base_backoff = std::chrono::milliseconds{5};
        options.max_backoff = std::chrono::milliseconds{20};
        options.idle_poll = std::chrono::milliseconds{200};
        return options;
    }

    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteJobQueue queue_{*db_};
    infra::SodiumCrypto crypto_;
    core::SystemClock clock_;
    IdGenerator ids_{clock_, crypto_};
};

TEST_F(JobRunnerTest, RunsASubmittedJobOnce) {
    JobRunner runner(queue_, clock_, ids_, crypto_, fast());
    Calls calls;
    runner.register_handler("echo", [&](const core::Job& job) {
        EXPECT_EQ(job.payload_json, R"({"n":1})");
        calls.note();
        return core::Status{};
    });
    runner.start();
    auto job = runner.submit({"echo", R"({"n":1})", "tetrix", std::nullopt, 3});
    ASSERT_TRUE(job.ok());
    ASSERT_TRUE(calls.wait_for(1));
    runner.stop();
    auto found = runner.find(job->id);
    ASSERT_TRUE(found.ok() && found.value());
    EXPECT_EQ(found.value()->status, core::JobStatus::kSucceeded);
    EXPECT_EQ(found.value()->attempts, 1);
    EXPECT_EQ(calls.count(), 1);
}

TEST_F(JobRunnerTest, AFailingJobIsRetriedThenDeadWithItsLastError) {
    JobRunner runner(queue_, clock_, ids_, crypto_, fast());
    Calls calls;
    runner.register_handler("flaky", [&](const core::Job&) {
        calls.note();
        return core::Status{core::Error::unavailable("attempt " + std::to_string(calls.count()) + " failed")};
    });
    runner.start();
    auto job = runner.submit({"flaky", "{}", "tetrix", std::nullopt, 3});
    ASSERT_TRUE(job.ok());
    ASSERT_TRUE(calls.wait_for(3));
    runner.stop();
    auto found = runner.find(job->id);
    ASSERT_TRUE(found.ok() && found.value());
    EXPECT_EQ(found.value()->status, core::JobStatus::kDead);
    EXPECT_EQ(found.value()->attempts, 3);
    EXPECT_EQ(found.value()->last_error, std::optional<std::string>("attempt 3 failed"));
    EXPECT_EQ(calls.count(), 3);
}

TEST_F(JobRunnerTest, AThrowingHandlerIsAFailureNotACrash) {
    JobRunner runner(queue_, clock_, ids_, crypto_, fast());
    Calls calls;
    runner.register_handler("throws", [&](const core::Job&) -> core::Status {
        calls.note();
        throw std::runtime_error("boom");
    });
    runner.start();
    auto job = runner.submit({"throws", "{}", std::nullopt, std::nullopt, 1});
    ASSERT_TRUE(job.ok());
    ASSERT_TRUE(calls.wait_for(1));
    runner.stop();
    auto found = runner.find(job->id);
    ASSERT_TRUE(found.ok() && found.value());
    EXPECT_EQ(found.value()->status, core::JobStatus::kDead);
    EXPECT_NE(found.value()->last_error.value_or("").find("boom"), std::string::npos);
}

TEST_F(JobRunnerTest, QueuedJobsSurviveARestart) {
    std::string id;
    {
        JobRunner before(queue_, clock_, ids_, crypto_, fast());  // never started: the process "dies"
        auto job = before.submit({"later", "{}", std::nullopt, "once", 3});
        ASSERT_TRUE(job.ok());
        id = job->id;
    }
    db_.reset();
    auto reopened = storage::SqliteDatabase::open((dir_.path() / "test.db").string(), 2);
    ASSERT_TRUE(reopened.ok());
    storage::SqliteJobQueue queue(**reopened);
    JobRunner after(queue, clock_, ids_, crypto_, fast());
    Calls calls;
    after.register_handler("later", [&](const core::Job& job) {
        EXPECT_EQ(job.id, id);
        calls.note();
        return core::Status{};
    });
    after.start();
    ASSERT_TRUE(calls.wait_for(1));
    after.stop();
    auto found = queue.find(id);
    ASSERT_TRUE(found.ok() && found.value());
    EXPECT_EQ(found.value()->status, core::JobStatus::kSucceeded);
}

TEST_F(JobRunnerTest, BackoffGrowsIsCappedAndJittered) {
    JobRunnerOptions options;
    options.base_backoff = std::chrono::milliseconds{1000};
    options.max_backoff = std::chrono::milliseconds{8000};
    JobRunner runner(queue_, clock_, ids_, crypto_, options);
    for (int attempts = 1; attempts <= 6; ++attempts) {
        const auto full = std::min<std::int64_t>(1000LL << (attempts - 1), 8000);
        for (int i = 0; i < 20; ++i) {
            const auto wait = runner.backoff(attempts).count();
            EXPECT_GE(wait, full / 2);
            EXPECT_LE(wait, full);
        }
    }
}

}  // namespace
}  // namespace crossvoice::services
