#include "http/request_metrics.hpp"

#include <gtest/gtest.h>

namespace crossvoice::http {
namespace {

TEST(RequestMetrics, ExpositionIsExact) {
    Router router;
    auto noop = [](RequestContext&) -> HandlerResult { return Response::json(200, "{}"); };
    router.add({Method::kGet, "/healthz", "", Access::kPublic, Execution::kInline, noop});
    router.add({Method::kPost, "/api/x", "", Access::kApiKey, Execution::kWorker, noop});
    RequestMetrics metrics(router);
    metrics.record(0, Method::kGet, 200, 300);        // 0.3 ms
    metrics.record(0, Method::kGet, 200, 2'000'000);  // 2 s
    metrics.record(std::nullopt, Method::kDelete, 404, 700);
    metrics.in_flight().add(3);
    metrics.in_flight().add(-1);

    std::string out;
    metrics.render(out);
    const std::string expected =
        "# HELP crossvoice_http_requests_total HTTP requests answered, by route, method and status.\n"
        "# TYPE crossvoice_http_requests_total counter\n"
        "crossvoice_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"
        "crossvoice_http_requests_total{route=\"unmatched\",method=\"DELETE\",status=\"404\"} 1\n"
        "# HELP crossvoice_http_request_duration_seconds Time from a complete request to its response.\n"
        "# TYPE crossvoice_http_request_duration_seconds histogram\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.0005\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.001\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.0025\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.005\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.01\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.025\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.05\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.1\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.25\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.5\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"1\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"2.5\"} 2\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"+Inf\"} 2\n"
        "crossvoice_http_request_duration_seconds_sum{route=\"/healthz\",method=\"GET\"} 2.0003\n"
        "crossvoice_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 2\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.0005\"} 0\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.001\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.0025\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.005\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.01\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.025\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.05\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.1\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.25\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"0.5\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"1\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"2.5\"} 1\n"
        "crossvoice_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"DELETE\",le=\"+Inf\"} 1\n"
        "crossvoice_http_request_duration_seconds_sum{route=\"unmatched\",method=\"DELETE\"} 0.0007\n"
        "crossvoice_http_request_duration_seconds_count{route=\"unmatched\",method=\"DELETE\"} 1\n"
        "# HELP crossvoice_http_requests_in_flight Requests read and not yet answered.\n"
        "# TYPE crossvoice_http_requests_in_flight gauge\n"
        "crossvoice_http_requests_in_flight 2\n";
    EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace crossvoice::http
