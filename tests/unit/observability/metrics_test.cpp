#include "observability/metrics.hpp"

#include <gtest/gtest.h>

namespace crossvoice::observability {
namespace {

TEST(Metrics, HistogramWithoutLabels) {
    Histogram histogram;
    histogram.observe_us(1'000);       // on the 0.001 boundary: counted in le="0.001"
    histogram.observe_us(10'000'000);  // beyond every bound: only +Inf
    std::string out;
    histogram.render(out, "x_seconds", "");
    EXPECT_EQ(out,
              "x_seconds_bucket{le=\"0.0005\"} 0\n"
              "x_seconds_bucket{le=\"0.001\"} 1\n"
              "x_seconds_bucket{le=\"0.0025\"} 1\n"
              "x_seconds_bucket{le=\"0.005\"} 1\n"
              "x_seconds_bucket{le=\"0.01\"} 1\n"
              "x_seconds_bucket{le=\"0.025\"} 1\n"
              "x_seconds_bucket{le=\"0.05\"} 1\n"
              "x_seconds_bucket{le=\"0.1\"} 1\n"
              "x_seconds_bucket{le=\"0.25\"} 1\n"
              "x_seconds_bucket{le=\"0.5\"} 1\n"
              "x_seconds_bucket{le=\"1\"} 1\n"
              "x_seconds_bucket{le=\"2.5\"} 1\n"
              "x_seconds_bucket{le=\"+Inf\"} 2\n"
              "x_seconds_sum 10.001\n"
              "x_seconds_count 2\n");
}

TEST(Metrics, RegistryRendersSourcesInOrderAndEscapesLabels) {
    MetricsRegistry registry;
    registry.add(std::make_shared<BuildInfo>("1.2.3", "ab\"c\\d\ne"));
    EXPECT_EQ(registry.render(),
              "# HELP crossvoice_build_info Build version and commit of this binary.\n"
              "# TYPE crossvoice_build_info gauge\n"
              "crossvoice_build_info{version=\"1.2.3\",commit=\"ab\\\"c\\\\d\\ne\"} 1\n");
}

}  // namespace
}  // namespace crossvoice::observability
