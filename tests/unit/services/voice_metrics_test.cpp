#include "services/voice_metrics.hpp"

#include <gtest/gtest.h>

namespace crossvoice::services {
namespace {

TEST(VoiceMetricsTest, RendersEveryOutcomeAsPrometheusText) {
    VoiceMetrics metrics;
    metrics.dials_placed.add(3);
    metrics.webhooks_duplicate.add();
    metrics.jobs_dead.add(2);
    std::string out;
    metrics.render(out);
    EXPECT_EQ(out,
              "# HELP crossvoice_dials_total Outbound dial requests by outcome.\n"
              "# TYPE crossvoice_dials_total counter\n"
              "crossvoice_dials_total{outcome=\"placed\"} 3\n"
              "crossvoice_dials_total{outcome=\"refused\"} 0\n"
              "crossvoice_dials_total{outcome=\"timeout\"} 0\n"
              "crossvoice_dials_total{outcome=\"rate_limited\"} 0\n"
              "crossvoice_dials_total{outcome=\"invalid\"} 0\n"
              "# HELP crossvoice_webhooks_total Carrier webhook deliveries by outcome.\n"
              "# TYPE crossvoice_webhooks_total counter\n"
              "crossvoice_webhooks_total{outcome=\"new\"} 0\n"
              "crossvoice_webhooks_total{outcome=\"duplicate\"} 1\n"
              "crossvoice_webhooks_total{outcome=\"unauthorized\"} 0\n"
              "crossvoice_webhooks_total{outcome=\"invalid\"} 0\n"
              "crossvoice_webhooks_total{outcome=\"failed\"} 0\n"
              "# HELP crossvoice_jobs_total Background job attempts by outcome.\n"
              "# TYPE crossvoice_jobs_total counter\n"
              "crossvoice_jobs_total{outcome=\"succeeded\"} 0\n"
              "crossvoice_jobs_total{outcome=\"retried\"} 0\n"
              "crossvoice_jobs_total{outcome=\"dead\"} 2\n");
}

}  // namespace
}  // namespace crossvoice::services
