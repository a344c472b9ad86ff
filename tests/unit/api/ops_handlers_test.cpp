#include "api/ops_handlers.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/pipeline.hpp"

namespace crossvoice::api {
namespace {

class FakeProbe final : public core::ports::ReadinessProbe {
  public:
    explicit FakeProbe(std::string name) : name_(std::move(name)) {}
    std::string name() const override { return name_; }
    core::Status check() override { return failure_ ? core::Status(*failure_) : core::Status(); }
    std::optional<core::Error> failure_;

  private:
    std::string name_;
};

class OpsHandlers : public ::testing::Test {
  protected:
    OpsHandlers() { add_ops_routes(router_, readiness_, metrics_, R"({"openapi":"3.0.3"})"); }

    http::Response get(const std::string& path) {
        http::Request request;
        request.method = http::Method::kGet;
        request.path = path;
        return pipeline_.handle(request, router_.match(http::Method::kGet, path), "req_1").response;
    }

    FakeProbe database_{"database"};
    FakeProbe queue_{"queue"};
    services::ReadinessService readiness_{{&database_, &queue_}};
    observability::MetricsRegistry metrics_;
    http::Router router_;
    http::Pipeline pipeline_{[](std::string_view) -> core::Result<core::Principal> {
                                 return core::Principal{core::Platform::kTetrix, "key_1"};
                             },
                             [](core::AuditEntry) {}};
};

TEST_F(OpsHandlers, ReadyWhenEveryProbeAnswers) {
    auto response = get("/readyz");
    EXPECT_EQ(response.status, 200);
    auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["status"], "ready");
    EXPECT_EQ(body["checks"]["database"]["status"], "ok");
    EXPECT_EQ(body["checks"]["queue"]["status"], "ok");
}

TEST_F(OpsHandlers, NotReadyNamesTheFailingDependency) {
    queue_.failure_ = core::Error::unavailable("queue: connection refused");
    auto response = get("/readyz");
    EXPECT_EQ(response.status, 503);
    auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["success"], false);
    EXPECT_EQ(body["code"], "unavailable");
    EXPECT_EQ(body["checks"]["database"]["status"], "ok");
    EXPECT_EQ(body["checks"]["queue"]["status"], "failing");
    EXPECT_EQ(body["checks"]["queue"]["error"], "queue: connection refused");
}

TEST_F(OpsHandlers, HealthAndOpenApi) {
    EXPECT_EQ(nlohmann::json::parse(get("/healthz").body)["status"], "ok");
    auto openapi = get("/api/openapi.json");
    EXPECT_EQ(openapi.status, 401) << "an /api/ route needs a key even here";
}

}  // namespace
}  // namespace crossvoice::api
