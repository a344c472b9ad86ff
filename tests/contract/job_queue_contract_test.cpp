#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <latch>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::Job;
using core::JobStatus;
using std::chrono::milliseconds;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;
constexpr milliseconds kLease{30'000};

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(kBaseMs + ms); }

// A job created at `created_ms`, due at `run_ms`.
Job make_job(const std::string& id, const std::string& kind, std::int64_t run_ms = 0, std::int64_t created_ms = 0) {
    Job job;
    job.id = id;
    job.kind = kind;
    job.payload_json = R"({"id":")" + id + R"("})";
    job.run_at = at(run_ms);
    job.created_at = at(created_ms);
    job.updated_at = at(created_ms);
    return job;
}

class JobQueueContract : public StoreContractTest {
  protected:
    core::ports::JobQueue& queue() { return backend().jobs(); }

    Job enqueue(const Job& job) {
        auto stored = queue().enqueue(job);
        EXPECT_TRUE(stored) << stored.error().message;
        return stored ? stored.value() : Job{};
    }

    // The id of the job claimed at `now_ms`, or "" when none was due.
    std::string claim(const std::vector<std::string>& kinds, std::int64_t now_ms, milliseconds lease = kLease) {
        auto claimed = queue().claim(kinds, at(now_ms), lease);
        EXPECT_TRUE(claimed) << claimed.error().message;
        if (!claimed || !claimed.value()) return {};
        return claimed.value()->id;
    }

    Job found(const std::string& id) {
        auto job = queue().find(id);
        EXPECT_TRUE(job) << job.error().message;
        if (!job) return {};
        EXPECT_TRUE(job.value().has_value()) << id;
        return job.value().value_or(Job{});
    }

    std::optional<core::TimePoint> next_due(const std::vector<std::string>& kinds) {
        auto due = queue().next_due(kinds);
        EXPECT_TRUE(due) << due.error().message;
        return due ? due.value() : std::nullopt;
    }
};

TEST_P(JobQueueContract, EnqueueStoresAQueuedJobWithNoAttempts) {
    Job job = make_job("job-1", "recording.fetch", 100, 50);
    job.platform = "joromi";
    job.dedupe_key = "recording:ev-1";
    job.max_attempts = 7;
    // A caller's stale fields do not survive: a new job starts afresh.
    job.status = JobStatus::kDead;
    job.attempts = 3;
    job.last_error = "old";
    job.lease_until = at(999);
    job.finished_at = at(999);

    const Job stored = enqueue(job);
    for (const Job& read : {stored, found("job-1")}) {
        EXPECT_EQ(read.id, "job-1");
        EXPECT_EQ(read.kind, "recording.fetch");
        EXPECT_EQ(read.payload_json, R"({"id":"job-1"})");
        EXPECT_EQ(read.platform, std::optional<std::string>("joromi"));
        EXPECT_EQ(read.dedupe_key, std::optional<std::string>("recording:ev-1"));
        EXPECT_EQ(read.status, JobStatus::kQueued);
        EXPECT_EQ(read.attempts, 0);
        EXPECT_EQ(read.max_attempts, 7);
        EXPECT_FALSE(read.last_error.has_value());
        EXPECT_EQ(read.run_at, at(100));
        EXPECT_FALSE(read.lease_until.has_value());
        EXPECT_EQ(read.created_at, at(50));
        EXPECT_EQ(read.updated_at, at(50));
        EXPECT_FALSE(read.finished_at.has_value());
    }

    auto missing = queue().find("job-missing");
    ASSERT_TRUE(missing) << missing.error().message;
    EXPECT_FALSE(missing.value().has_value());
}

TEST_P(JobQueueContract, ASecondJobWithTheSameDedupeKeyReturnsTheFirst) {
    Job first = make_job("job-1", "recording.fetch");
    first.dedupe_key = "recording:ev-1";
    enqueue(first);

    Job second = make_job("job-2", "recording.fetch", 500);
    second.dedupe_key = "recording:ev-1";
    second.payload_json = R"({"other":true})";
    const Job returned = enqueue(second);
    EXPECT_EQ(returned.id, "job-1");
    EXPECT_EQ(returned.payload_json, first.payload_json);
    EXPECT_EQ(returned.run_at, first.run_at);

    auto absent = queue().find("job-2");
    ASSERT_TRUE(absent) << absent.error().message;
    EXPECT_FALSE(absent.value().has_value());

    // The key holds even once the first job has finished.
    ASSERT_EQ(claim({"recording.fetch"}, 0), "job-1");
    ASSERT_TRUE(queue().complete("job-1", at(10)));
    EXPECT_EQ(enqueue(second).id, "job-1");

    auto by_key = queue().find_by_dedupe_key("recording:ev-1");
    ASSERT_TRUE(by_key) << by_key.error().message;
    ASSERT_TRUE(by_key.value().has_value());
    EXPECT_EQ(by_key.value()->id, "job-1");
    auto no_key = queue().find_by_dedupe_key("recording:ev-2");
    ASSERT_TRUE(no_key) << no_key.error().message;
    EXPECT_FALSE(no_key.value().has_value());
}

TEST_P(JobQueueContract, JobsWithoutADedupeKeyAreNeverMerged) {
    EXPECT_EQ(enqueue(make_job("job-1", "k")).id, "job-1");
    EXPECT_EQ(enqueue(make_job("job-2", "k")).id, "job-2");
    EXPECT_EQ(found("job-1").id, "job-1");
    EXPECT_EQ(found("job-2").id, "job-2");
}

TEST_P(JobQueueContract, EnqueueingAnExistingIdIsAConflict) {
    enqueue(make_job("job-1", "k"));
    auto again = queue().enqueue(make_job("job-1", "other"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(found("job-1").kind, "k");
}

TEST_P(JobQueueContract, ClaimTakesTheOldestDueJobOfTheGivenKinds) {
    enqueue(make_job("late", "x", 200, 1));
    enqueue(make_job("second", "x", 100, 3));
    enqueue(make_job("first", "y", 100, 2));
    enqueue(make_job("other-kind", "z", 0, 0));

    auto claimed = queue().claim({"x", "y"}, at(300), kLease);
    ASSERT_TRUE(claimed) << claimed.error().message;
    ASSERT_TRUE(claimed.value().has_value());
    const Job& job = *claimed.value();
    EXPECT_EQ(job.id, "first");
    EXPECT_EQ(job.status, JobStatus::kRunning);
    EXPECT_EQ(job.attempts, 1);
    EXPECT_EQ(job.lease_until, at(300) + kLease);
    EXPECT_EQ(job.updated_at, at(300));
    EXPECT_EQ(found("first").status, JobStatus::kRunning);

    EXPECT_EQ(claim({"x", "y"}, 300), "second");
    EXPECT_EQ(claim({"x", "y"}, 300), "late");
    EXPECT_EQ(claim({"x", "y"}, 300), "");
    EXPECT_EQ(claim({"z"}, 300), "other-kind");
    EXPECT_EQ(claim({}, 300), "");
}

TEST_P(JobQueueContract, AJobIsNotClaimedBeforeItsRunAt) {
    enqueue(make_job("job-1", "k", 1000));
    EXPECT_EQ(claim({"k"}, 999), "");
    EXPECT_EQ(found("job-1").status, JobStatus::kQueued);
    EXPECT_EQ(claim({"k"}, 1000), "job-1");
}

TEST_P(JobQueueContract, AnExpiredLeaseLetsAnotherWorkerTakeTheJobOver) {
    enqueue(make_job("job-1", "k"));
    ASSERT_EQ(claim({"k"}, 0), "job-1");
    // The lease still holds: nobody else gets it.
    EXPECT_EQ(claim({"k"}, kLease.count() - 1), "");

    auto retaken = queue().claim({"k"}, at(kLease.count()), kLease);
    ASSERT_TRUE(retaken) << retaken.error().message;
    ASSERT_TRUE(retaken.value().has_value());
    EXPECT_EQ(retaken.value()->id, "job-1");
    EXPECT_EQ(retaken.value()->status, JobStatus::kRunning);
    EXPECT_EQ(retaken.value()->attempts, 2);
    EXPECT_EQ(retaken.value()->lease_until, at(kLease.count()) + kLease);
}

TEST_P(JobQueueContract, AJobWhoseWorkerDiesOnTheLastAttemptIsBuriedNotRetakenForEver) {
    auto job = make_job("job-crash", "k");
    job.max_attempts = 2;
    enqueue(job);
    EXPECT_EQ(claim({"k"}, 0), "job-crash");               // attempt 1: the worker dies
    EXPECT_EQ(claim({"k"}, kLease.count()), "job-crash");  // attempt 2, after the lease: dies again
    EXPECT_EQ(claim({"k"}, 2 * kLease.count()), "");       // no third attempt
    const auto dead = found("job-crash");
    EXPECT_EQ(dead.status, JobStatus::kDead);
    EXPECT_EQ(dead.attempts, 2);
    EXPECT_NE(dead.last_error.value_or("").find("abandoned"), std::string::npos);
    EXPECT_TRUE(dead.finished_at.has_value());
}

TEST_P(JobQueueContract, AFailureWithoutARetryTimeIsDeadAtOnce) {
    Job job = make_job("job-1", "k");
    job.max_attempts = 5;
    enqueue(job);
    ASSERT_EQ(claim({"k"}, 10), "job-1");
    auto dead = queue().fail("job-1", "the audio is corrupt", at(20), std::nullopt);
    ASSERT_TRUE(dead) << dead.error().message;
    EXPECT_EQ(dead.value().status, JobStatus::kDead);
    EXPECT_EQ(dead.value().attempts, 1);
    EXPECT_EQ(dead.value().finished_at, at(20));
    EXPECT_EQ(dead.value().last_error, std::optional<std::string>("the audio is corrupt"));
    EXPECT_EQ(claim({"k"}, 100000), "") << "a dead job is never claimed again";
}

TEST_P(JobQueueContract, AFailedAttemptIsRetriedUntilMaxAttemptsThenTheJobIsDead) {
    Job job = make_job("job-1", "k");
    job.max_attempts = 2;
    enqueue(job);

    ASSERT_EQ(claim({"k"}, 10), "job-1");
    auto failed = queue().fail("job-1", "timeout", at(20), at(1000));
    ASSERT_TRUE(failed) << failed.error().message;
    EXPECT_EQ(failed.value().status, JobStatus::kQueued);
    EXPECT_EQ(failed.value().attempts, 1);
    EXPECT_EQ(failed.value().run_at, at(1000));
    EXPECT_EQ(failed.value().last_error, std::optional<std::string>("timeout"));
    EXPECT_FALSE(failed.value().lease_until.has_value());
    EXPECT_FALSE(failed.value().finished_at.has_value());
    EXPECT_EQ(failed.value().updated_at, at(20));

    EXPECT_EQ(claim({"k"}, 999), "");
    ASSERT_EQ(claim({"k"}, 1000), "job-1");
    EXPECT_EQ(found("job-1").last_error, std::optional<std::string>("timeout"));

    auto dead = queue().fail("job-1", "timeout again", at(1100), at(5000));
    ASSERT_TRUE(dead) << dead.error().message;
    EXPECT_EQ(dead.value().status, JobStatus::kDead);
    EXPECT_EQ(dead.value().attempts, 2);
    EXPECT_EQ(dead.value().last_error, std::optional<std::string>("timeout again"));
    EXPECT_EQ(dead.value().finished_at, at(1100));
    EXPECT_FALSE(dead.value().lease_until.has_value());

    EXPECT_EQ(claim({"k"}, 1'000'000), "");
    EXPECT_EQ(found("job-1").status, JobStatus::kDead);
}

TEST_P(JobQueueContract, FailingAJobThatIsNotRunningChangesNothing) {
    enqueue(make_job("queued", "k", 500));
    const Job before = found("queued");
    auto result = queue().fail("queued", "late report", at(10), at(20));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result.value().status, JobStatus::kQueued);
    EXPECT_EQ(result.value().run_at, before.run_at);
    EXPECT_FALSE(result.value().last_error.has_value());

    enqueue(make_job("done", "k"));
    ASSERT_EQ(claim({"k"}, 0), "done");
    ASSERT_TRUE(queue().complete("done", at(5)));
    auto after_done = queue().fail("done", "late report", at(10), at(20));
    ASSERT_TRUE(after_done) << after_done.error().message;
    EXPECT_EQ(after_done.value().status, JobStatus::kSucceeded);

    auto unknown = queue().fail("job-missing", "x", at(1), at(2));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
}

TEST_P(JobQueueContract, ACompletedJobIsFinishedForGood) {
    enqueue(make_job("job-1", "k"));
    ASSERT_EQ(claim({"k"}, 0), "job-1");
    auto completed = queue().complete("job-1", at(100));
    ASSERT_TRUE(completed) << completed.error().message;

    const Job job = found("job-1");
    EXPECT_EQ(job.status, JobStatus::kSucceeded);
    EXPECT_EQ(job.finished_at, at(100));
    EXPECT_EQ(job.updated_at, at(100));
    EXPECT_EQ(job.attempts, 1);
    // Not even an expired lease brings it back.
    EXPECT_EQ(claim({"k"}, 10 * kLease.count()), "");

    auto again = queue().complete("job-1", at(200));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(found("job-1").finished_at, at(100));

    auto unknown = queue().complete("job-missing", at(1));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
}

TEST_P(JobQueueContract, NextDueIsTheEarliestRunAtOrLeaseExpiryOfUnfinishedJobs) {
    EXPECT_EQ(next_due({"x"}), std::nullopt);

    enqueue(make_job("x-500", "x", 500));
    enqueue(make_job("x-300", "x", 300));
    enqueue(make_job("y-100", "y", 100));
    EXPECT_EQ(next_due({"x"}), at(300));
    EXPECT_EQ(next_due({"x", "y"}), at(100));
    EXPECT_EQ(next_due({}), std::nullopt);

    // Running: due again when its lease runs out.
    ASSERT_EQ(claim({"x"}, 300, milliseconds(1000)), "x-300");
    EXPECT_EQ(next_due({"x"}), at(500));
    ASSERT_EQ(claim({"x"}, 500, milliseconds(10'000)), "x-500");
    EXPECT_EQ(next_due({"x"}), at(1300));

    // Finished jobs never come due.
    ASSERT_TRUE(queue().complete("x-300", at(600)));
    ASSERT_TRUE(queue().complete("x-500", at(600)));
    EXPECT_EQ(next_due({"x"}), std::nullopt);
    EXPECT_EQ(next_due({"x", "y"}), at(100));
}

TEST_P(JobQueueContract, ConcurrentClaimersNeverShareAJob) {
    constexpr int kJobs = 60;
    constexpr int kWorkers = 6;
    for (int i = 0; i < kJobs; ++i) enqueue(make_job("job-" + std::to_string(i), "k", i, i));

    std::mutex mutex;
    std::vector<std::string> claimed;
    std::atomic<int> failures{0};
    std::latch start(kWorkers);
    std::vector<std::thread> workers;
    for (int w = 0; w < kWorkers; ++w) {
        workers.emplace_back([&] {
            start.arrive_and_wait();
            for (;;) {
                auto job = queue().claim({"k"}, at(1000), kLease);
                if (!job) {
                    ++failures;
                    return;
                }
                if (!job.value()) return;
                if (job.value()->attempts != 1) ++failures;
                const std::lock_guard lock(mutex);
                claimed.push_back(job.value()->id);
            }
        });
    }
    for (auto& worker : workers) worker.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
    EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), static_cast<std::size_t>(kJobs));
}

INSTANTIATE_TEST_SUITE_P(Adapters, JobQueueContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
