#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

class Ops : public ServiceTest {};

TEST_F(Ops, HealthAndReadiness) {
    auto health = call("GET", "/healthz", "");
    ASSERT_EQ(health.status, 200);
    EXPECT_EQ(health.body["status"], "ok");
    auto ready = call("GET", "/readyz", "");
    ASSERT_EQ(ready.status, 200) << ready.raw.body;
    EXPECT_EQ(ready.body["checks"]["database"]["status"], "ok");
}

TEST_F(Ops, MetricsCountRequestsByRouteMethodAndStatus) {
    call("GET", "/healthz", "");
    call("GET", "/healthz", "");
    call("GET", "/api/voice/sessions", "");
    call("GET", "/nowhere", "");
    auto metrics = client_->request("GET", "/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const auto& text = metrics.body;
    EXPECT_NE(text.find("crossvoice_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("crossvoice_http_requests_total{route=\"/api/voice/sessions\",method=\"GET\",status=\"401\"} 1\n"),
        std::string::npos);
    EXPECT_NE(text.find("crossvoice_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("crossvoice_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 2\n"),
              std::string::npos);
    EXPECT_NE(text.find("crossvoice_http_requests_in_flight 1\n"), std::string::npos) << "the /metrics request itself";
    EXPECT_NE(text.find("crossvoice_build_info{version=\"0.1.0\""), std::string::npos);
}

TEST_F(Ops, OpenApiDocumentNeedsAKeyAndDescribesTheApi) {
    EXPECT_EQ(call("GET", "/api/openapi.json", "").status, 401);
    auto doc = call("GET", "/api/openapi.json", tetrix_);
    ASSERT_EQ(doc.status, 200);
    EXPECT_EQ(doc.body["openapi"], "3.0.3");
    EXPECT_TRUE(doc.body["paths"].contains("/api/voice/sessions/{id}"));
}

}  // namespace
}  // namespace crossvoice::testing
