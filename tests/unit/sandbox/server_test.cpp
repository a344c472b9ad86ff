// The sandbox mounted under "/sandbox" on a real http::Server, driven over loopback: the routes, the worker route
// that stalls, and the Telnyx error headers as they come off the wire.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <thread>

#include "fakes.hpp"
#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/server.hpp"
#include "sandbox/sandbox_carrier.hpp"
#include "support/http_client.hpp"

namespace crossvoice::sandbox {
namespace {

class SandboxServerTest : public ::testing::Test {
  protected:
    SandboxServerTest() {
        options_.route_prefix = "/sandbox";
        options_.default_webhook_url = "http://hooks.test/telnyx";
        options_.ring_delay = std::chrono::milliseconds(5);
        options_.answer_delay = std::chrono::milliseconds(10);
        options_.stall = std::chrono::milliseconds(50);
        carrier_ = std::make_unique<SandboxCarrier>(options_, http_, speech_, clock_);
        carrier_->add_routes(router_);
        metrics_ = std::make_unique<http::RequestMetrics>(router_);
        http::ServerOptions server_options;
        server_options.port = 0;
        server_options.access_log = false;
        server_options.io_threads = 1;
        server_options.worker_threads = 2;
        server_ = std::make_unique<http::Server>(server_options, router_, pipeline_, *metrics_);
    }

    void SetUp() override {
        auto port = server_->listen();
        ASSERT_TRUE(port.ok()) << port.error().message;
        port_ = *port;
        runner_ = std::thread([this] { server_->run(false); });
    }

    ~SandboxServerTest() override {
        if (runner_.joinable()) {
            server_->shutdown();
            runner_.join();
        }
    }

    ::crossvoice::testing::ClientResponse post(const std::string& target, const nlohmann::json& body) {
        ::crossvoice::testing::HttpClient client("127.0.0.1", port_);
        return client.request("POST", target, ::crossvoice::testing::json_headers("any-key"), body.dump());
    }

    SandboxOptions options_;
    testing::CapturingHttpClient http_;
    testing::FakeSpeech speech_;
    core::SystemClock clock_;
    http::Router router_;
    std::unique_ptr<SandboxCarrier> carrier_;
    std::unique_ptr<http::RequestMetrics> metrics_;
    http::Pipeline pipeline_{
        [](std::string_view) -> core::Result<core::Principal> { return core::Error::unauthorized("unused"); },
        [](core::AuditEntry) {}};
    std::unique_ptr<http::Server> server_;
    std::thread runner_;
    std::uint16_t port_ = 0;
};

TEST_F(SandboxServerTest, DialsAndShowsTheCallUnderThePrefix) {
    const auto dialled =
        post("/sandbox/v2/calls", {{"connection_id", "c"}, {"to", "+15550100123"}, {"from", "+15550109999"}});
    ASSERT_EQ(dialled.status, 200) << dialled.body;
    const auto id = nlohmann::json::parse(dialled.body)["data"]["call_control_id"].get<std::string>();
    EXPECT_TRUE(http_.wait_for(id, "call.answered").has_value());

    ::crossvoice::testing::HttpClient client("127.0.0.1", port_);
    const auto view = client.request("GET", "/sandbox/sandbox/calls/" + id);
    ASSERT_EQ(view.status, 200) << view.body;
    EXPECT_EQ(nlohmann::json::parse(view.body)["data"]["state"], "answered");

    const auto hangup = post("/sandbox/v2/calls/" + id + "/actions/hangup", nlohmann::json::object());
    EXPECT_EQ(hangup.status, 200);
    EXPECT_TRUE(http_.wait_for(id, "call.hangup").has_value());
}

TEST_F(SandboxServerTest, TheRateLimitedNumberSendsItsHeadersOnTheWire) {
    const auto reply =
        post("/sandbox/v2/calls", {{"connection_id", "c"}, {"to", "+15550100429"}, {"from", "+15550109999"}});
    EXPECT_EQ(reply.status, 429);
    EXPECT_EQ(reply.header("retry-after"), "1");
    EXPECT_EQ(reply.header("x-ratelimit-remaining"), "0");
    EXPECT_EQ(nlohmann::json::parse(reply.body)["errors"][0]["code"], "90103");
}

TEST_F(SandboxServerTest, TheStallingNumberIsHeldThenAnswered504) {
    const auto started = std::chrono::steady_clock::now();
    const auto reply =
        post("/sandbox/v2/calls", {{"connection_id", "c"}, {"to", "+15550100504"}, {"from", "+15550109999"}});
    EXPECT_GE(std::chrono::steady_clock::now() - started, options_.stall);
    EXPECT_EQ(reply.status, 504);
    EXPECT_EQ(nlohmann::json::parse(reply.body)["errors"][0]["code"], "10008");
}

}  // namespace
}  // namespace crossvoice::sandbox
