#include "http/server.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <future>
#include <thread>

#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "support/http_client.hpp"

namespace crossvoice::http {
namespace {

// An in-process server with a handler the test can hold open, to observe shutdown mid-request.
class ServerTest : public ::testing::Test {
  protected:
    ServerTest() {
        router_.add(
            {Method::kGet, "/slow", "", Access::kPublic, Execution::kWorker, [this](RequestContext&) -> HandlerResult {
                 entered_.set_value();
                 release_.wait();
                 return Response::json(200, "{\"done\":true}");
             }});
        router_.add({Method::kGet, "/fast", "", Access::kPublic, Execution::kInline,
                     [](RequestContext&) -> HandlerResult { return Response::json(200, "{}"); }});
        options_.port = 0;
        options_.access_log = false;
        options_.io_threads = 2;
    }

    void start() {
        metrics_ = std::make_unique<RequestMetrics>(router_);
        server_ = std::make_unique<Server>(options_, router_, pipeline_, *metrics_);
        auto port = server_->listen();
        ASSERT_TRUE(port.ok()) << port.error().message;
        port_ = *port;
        runner_ = std::thread([this] { server_->run(false); });
    }

    ~ServerTest() override {
        if (runner_.joinable()) {
            server_->shutdown();
            runner_.join();
        }
    }

    Router router_;
    std::unique_ptr<RequestMetrics> metrics_;
    Pipeline pipeline_{
        [](std::string_view) -> core::Result<core::Principal> { return core::Error::unauthorized("no"); },
        [](core::AuditEntry) {}};
    ServerOptions options_;
    std::unique_ptr<Server> server_;
    std::thread runner_;
    std::uint16_t port_ = 0;
    std::promise<void> entered_;
    std::promise<void> release_promise_;
    std::shared_future<void> release_ = release_promise_.get_future().share();
};

TEST_F(ServerTest, ARouteWithItsOwnBodyLimitTakesLargerBodiesThanTheDefault) {
    const auto echo_size = [](RequestContext& context) -> HandlerResult {
        return Response::json(200, "{\"bytes\":" + std::to_string(context.request.body.size()) + "}");
    };
    Route upload{Method::kPost, "/upload", "", Access::kPublic, Execution::kInline, echo_size};
    upload.max_body_bytes = 4096;
    router_.add(upload);
    router_.add({Method::kPost, "/small", "", Access::kPublic, Execution::kInline, echo_size});
    options_.max_body_bytes = 1024;
    start();

    const std::string medium(2000, 'x');
    EXPECT_EQ(testing::HttpClient("127.0.0.1", port_).request("POST", "/upload", {}, medium).body, "{\"bytes\":2000}");
    const auto refused = testing::HttpClient("127.0.0.1", port_).request("POST", "/small", {}, medium);
    EXPECT_EQ(refused.status, 413);
    EXPECT_NE(refused.body.find("limit of 1024 bytes"), std::string::npos) << refused.body;
    const auto too_big = testing::HttpClient("127.0.0.1", port_).request("POST", "/upload", {}, std::string(5000, 'x'));
    EXPECT_EQ(too_big.status, 413);
    EXPECT_NE(too_big.body.find("limit of 4096 bytes"), std::string::npos) << too_big.body;

    // Chunked: no declared length, so the limit applies as the body grows.
    const std::string chunk(1500, 'y');
    const auto hex = [](std::size_t n) { return fmt::format("{:x}", n); };
    const std::string chunked = "POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                hex(chunk.size()) + "\r\n" + chunk + "\r\n0\r\n\r\n";
    const auto chunked_reply = testing::HttpClient("127.0.0.1", port_).raw(chunked);
    ASSERT_TRUE(chunked_reply.has_value());
    EXPECT_EQ(chunked_reply->status, 413);
}

TEST_F(ServerTest, ShutdownFinishesInFlightRequestsAndClosesIdleConnections) {
    start();
    testing::HttpClient idle("127.0.0.1", port_);
    ASSERT_EQ(idle.request("GET", "/fast").status, 200);  // now an idle keep-alive connection

    auto slow = std::async(std::launch::async, [this] {
        testing::HttpClient client("127.0.0.1", port_);
        return client.request("GET", "/slow");
    });
    entered_.get_future().wait();  // the request is inside its handler
    server_->shutdown();

    EXPECT_TRUE(idle.closed_by_server_within(std::chrono::seconds(10)));
    release_promise_.set_value();
    const auto response = slow.get();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "{\"done\":true}");
    EXPECT_FALSE(response.keep_alive) << "a draining server closes after the response";
    runner_.join();  // run() returns once every connection is gone

    testing::HttpClient late("127.0.0.1", port_);
    EXPECT_THROW(late.request("GET", "/fast"), std::exception) << "no new connections after shutdown";
}

TEST_F(ServerTest, PortZeroTakesAFreePort) {
    start();
    EXPECT_NE(port_, 0);
    testing::HttpClient client("127.0.0.1", port_);
    EXPECT_EQ(client.request("GET", "/fast").status, 200);
}

TEST_F(ServerTest, ListenReportsABusyPort) {
    start();
    options_.port = port_;
    Server second(options_, router_, pipeline_, *metrics_);
    auto result = second.listen();
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find(std::to_string(port_)), std::string::npos);
}

}  // namespace
}  // namespace crossvoice::http
