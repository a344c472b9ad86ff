#include "services/metrics_sampler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "support/fake_clock.hpp"

namespace crossvoice::services {
namespace {

using std::chrono::milliseconds;

// Counts readings, so a test can wait for the sampler's thread to take one.
class Readings {
  public:
    void note() {
        std::lock_guard lock(mutex_);
        ++count_;
        changed_.notify_all();
    }
    bool wait_for(int count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return count_ >= count; });
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;
};

class FakeJobStatistics final : public core::ports::JobStatistics {
  public:
    core::Result<core::ports::JobCounts> job_counts(core::TimePoint now) override {
        asked_at = now;
        readings.note();
        if (failing) return core::Error::unavailable("database is down");
        core::ports::JobCounts counts;
        counts.kinds = {{"message.send", 2, 1, 0}};
        counts.oldest_due_age = milliseconds(3'000);
        return counts;
    }
    std::atomic<bool> failing = false;
    core::TimePoint asked_at{};
    Readings readings;
};

class FakeCallStatistics final : public core::ports::CallStatistics {
  public:
    core::Result<core::ports::ActiveCalls> active_calls() override { return core::ports::ActiveCalls{0, 1, 3}; }
};

class MetricsSamplerTest : public ::testing::Test {
  protected:
    MetricsSampler::Sources sources() {
        MetricsSampler::Sources out;
        out.jobs = &jobs_;
        out.calls = &calls_;
        out.dependencies = [this] {
            IntegrationReport report;
            DependencyReport database;
            database.name = "database";
            database.reachable = true;
            DependencyReport carrier;
            carrier.name = "carrier";
            carrier.reachable = false;
            report.dependencies = {database, carrier};
            probes_.note();
            return report;
        };
        out.job_types = {"recording.fetch"};
        return out;
    }
    std::string rendered() const {
        std::string out;
        metrics_->render(out);
        return out;
    }

    testing::FakeClock clock_;
    FakeJobStatistics jobs_;
    FakeCallStatistics calls_;
    Readings probes_;
    std::shared_ptr<SampledMetrics> metrics_ = std::make_shared<SampledMetrics>();
};

TEST_F(MetricsSamplerTest, AStoreSampleReadsJobsAndCallsAtTheClocksTime) {
    MetricsSampler sampler(sources(), clock_, metrics_);
    sampler.sample_store();
    EXPECT_EQ(jobs_.asked_at, clock_.now());
    const auto out = rendered();
    EXPECT_NE(out.find("\ncrossvoice_jobs_queued{type=\"message.send\"} 2\n"), std::string::npos) << out;
    EXPECT_NE(out.find("\ncrossvoice_jobs_queued{type=\"recording.fetch\"} 0\n"), std::string::npos) << out;
    EXPECT_NE(out.find("\ncrossvoice_jobs_running{type=\"message.send\"} 1\n"), std::string::npos) << out;
    EXPECT_NE(out.find("\ncrossvoice_jobs_oldest_queued_age_seconds 3\n"), std::string::npos) << out;
    EXPECT_NE(out.find("\ncrossvoice_calls_active{status=\"answered\"} 3\n"), std::string::npos) << out;
    EXPECT_EQ(out.find("crossvoice_dependency_up"), std::string::npos) << out;  // not probed yet
}

TEST_F(MetricsSamplerTest, AFailedStoreReadingDropsTheJobGaugesUntilItWorksAgain) {
    MetricsSampler sampler(sources(), clock_, metrics_);
    sampler.sample_store();
    jobs_.failing = true;
    sampler.sample_store();
    EXPECT_EQ(rendered().find("crossvoice_jobs_queued"), std::string::npos);
    EXPECT_NE(rendered().find("crossvoice_calls_active"), std::string::npos);
    jobs_.failing = false;
    sampler.sample_store();
    EXPECT_NE(rendered().find("crossvoice_jobs_queued"), std::string::npos);
}

TEST_F(MetricsSamplerTest, ADependencySampleIsTheStatusReportsReachability) {
    MetricsSampler sampler(sources(), clock_, metrics_);
    sampler.sample_dependencies();
    EXPECT_EQ(rendered(),
              "# HELP crossvoice_dependency_up Whether this instance reaches each dependency (1) or not (0).\n"
              "# TYPE crossvoice_dependency_up gauge\n"
              "crossvoice_dependency_up{dependency=\"database\"} 1\n"
              "crossvoice_dependency_up{dependency=\"carrier\"} 0\n");
}

// The thread reads the store at once and probes the dependencies after their interval; stop() ends it.
TEST_F(MetricsSamplerTest, TheThreadSamplesOnItsScheduleUntilStopped) {
    MetricsSamplerOptions options;
    options.store_every = std::chrono::hours(1);
    options.dependencies_every = milliseconds(1);
    MetricsSampler sampler(sources(), clock_, metrics_, options);
    sampler.start();
    ASSERT_TRUE(jobs_.readings.wait_for(1));
    ASSERT_TRUE(probes_.wait_for(2));  // again and again, every millisecond
    sampler.stop();
    sampler.stop();  // idempotent
    const auto out = rendered();
    EXPECT_NE(out.find("crossvoice_jobs_queued"), std::string::npos) << out;
    EXPECT_NE(out.find("crossvoice_dependency_up{dependency=\"database\"} 1"), std::string::npos) << out;
}

}  // namespace
}  // namespace crossvoice::services
