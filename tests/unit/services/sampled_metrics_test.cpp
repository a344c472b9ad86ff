#include "services/sampled_metrics.hpp"

#include <gtest/gtest.h>

namespace crossvoice::services {
namespace {

using std::chrono::milliseconds;

TEST(SampledMetricsTest, NothingIsRenderedBeforeTheFirstSample) {
    SampledMetrics metrics;
    metrics.add_job_types({"message.send"});
    std::string out;
    metrics.render(out);
    EXPECT_EQ(out, "");
}

TEST(SampledMetricsTest, RendersTheLatestSampleAsPrometheusText) {
    SampledMetrics metrics;
    metrics.add_job_types({"recording.fetch"});
    core::ports::JobCounts jobs;
    jobs.kinds = {{"message.send", 3, 1, 0}, {"transcription.run", 0, 0, 2}};
    jobs.oldest_due_age = milliseconds(12'500);
    metrics.set_jobs(jobs);
    metrics.set_active_calls({1, 2, 5});
    metrics.set_dependencies({{"carrier", true}, {"database", true}, {"queue", false}});
    std::string out;
    metrics.render(out);
    EXPECT_EQ(out,
              "# HELP crossvoice_jobs_queued Jobs waiting in the shared queue (due or in back-off), by type.\n"
              "# TYPE crossvoice_jobs_queued gauge\n"
              "crossvoice_jobs_queued{type=\"message.send\"} 3\n"
              "crossvoice_jobs_queued{type=\"recording.fetch\"} 0\n"
              "crossvoice_jobs_queued{type=\"transcription.run\"} 0\n"
              "# HELP crossvoice_jobs_running Jobs taken by a worker and not finished, by type.\n"
              "# TYPE crossvoice_jobs_running gauge\n"
              "crossvoice_jobs_running{type=\"message.send\"} 1\n"
              "crossvoice_jobs_running{type=\"recording.fetch\"} 0\n"
              "crossvoice_jobs_running{type=\"transcription.run\"} 0\n"
              "# HELP crossvoice_jobs_dead Jobs that used all their attempts, by type.\n"
              "# TYPE crossvoice_jobs_dead gauge\n"
              "crossvoice_jobs_dead{type=\"message.send\"} 0\n"
              "crossvoice_jobs_dead{type=\"recording.fetch\"} 0\n"
              "crossvoice_jobs_dead{type=\"transcription.run\"} 2\n"
              "# HELP crossvoice_jobs_oldest_queued_age_seconds How long the oldest due job has waited to start (0 "
              "when none is due).\n"
              "# TYPE crossvoice_jobs_oldest_queued_age_seconds gauge\n"
              "crossvoice_jobs_oldest_queued_age_seconds 12.5\n"
              "# HELP crossvoice_calls_active Calls not ended, by state.\n"
              "# TYPE crossvoice_calls_active gauge\n"
              "crossvoice_calls_active{status=\"initiated\"} 1\n"
              "crossvoice_calls_active{status=\"ringing\"} 2\n"
              "crossvoice_calls_active{status=\"answered\"} 5\n"
              "# HELP crossvoice_dependency_up Whether this instance reaches each dependency (1) or not (0).\n"
              "# TYPE crossvoice_dependency_up gauge\n"
              "crossvoice_dependency_up{dependency=\"carrier\"} 1\n"
              "crossvoice_dependency_up{dependency=\"database\"} 1\n"
              "crossvoice_dependency_up{dependency=\"queue\"} 0\n");
}

// A job type whose jobs are all gone keeps its series at 0 instead of vanishing with its last value.
TEST(SampledMetricsTest, ATypeSeenOnceStaysAtZero) {
    SampledMetrics metrics;
    core::ports::JobCounts busy;
    busy.kinds = {{"message.send", 4, 0, 0}};
    busy.oldest_due_age = milliseconds(1'000);
    metrics.set_jobs(busy);
    metrics.set_jobs(core::ports::JobCounts{});
    std::string out;
    metrics.render(out);
    EXPECT_NE(out.find("\ncrossvoice_jobs_queued{type=\"message.send\"} 0\n"), std::string::npos) << out;
    EXPECT_NE(out.find("\ncrossvoice_jobs_oldest_queued_age_seconds 0\n"), std::string::npos) << out;
}

// A failed reading removes the family: an unknown value is not shown as the last known one.
TEST(SampledMetricsTest, AClearedSampleIsLeftOut) {
    SampledMetrics metrics;
    metrics.set_jobs(core::ports::JobCounts{});
    metrics.set_active_calls({});
    metrics.clear_jobs();
    metrics.clear_active_calls();
    std::string out;
    metrics.render(out);
    EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace crossvoice::services
