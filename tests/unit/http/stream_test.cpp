// Long-lived responses: Server-Sent Events and WebSocket sessions on a real server over loopback.

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>

#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/stream.hpp"
#include "support/live_client.hpp"

namespace crossvoice::http {
namespace {

using namespace std::chrono_literals;

// A source the test drives: it keeps the channel it was opened with, records what the client said, and
// signals when the stream ended.
class TestSource final : public StreamSource {
  public:
    void open(std::shared_ptr<StreamChannel> channel) override {
        {
            std::lock_guard lock(mutex_);
            channel_ = channel;
        }
        opened_.set_value();
    }
    void closed() override {
        {
            std::lock_guard lock(mutex_);
            channel_.reset();
        }
        closed_.set_value();
    }
    void on_message(std::string_view text) override {
        std::shared_ptr<StreamChannel> channel;
        {
            std::lock_guard lock(mutex_);
            channel = channel_;
        }
        if (channel) channel->send("echo:" + std::string(text));
    }

    std::shared_ptr<StreamChannel> channel() {
        std::lock_guard lock(mutex_);
        return channel_;
    }
    bool wait_opened() { return wait_opened_for(10s); }
    bool wait_opened_for(std::chrono::milliseconds wait) {
        return opened_future_.wait_for(wait) == std::future_status::ready;
    }
    bool wait_closed() { return closed_future_.wait_for(10s) == std::future_status::ready; }

  private:
    std::mutex mutex_;
    std::shared_ptr<StreamChannel> channel_;
    std::promise<void> opened_;
    std::promise<void> closed_;
    std::future<void> opened_future_ = opened_.get_future();
    std::future<void> closed_future_ = closed_.get_future();
};

class StreamTest : public ::testing::Test {
  protected:
    StreamTest() {
        router_.add({Method::kGet, "/events", "", Access::kApiKey, Execution::kWorker,
                     [this](RequestContext&) -> HandlerResult {
                         Response response;
                         response.content_type = "text/event-stream";
                         response.headers.emplace_back("X-Stream", "yes");
                         response.stream = source_;
                         response.stream_protocol = StreamProtocol::kEventStream;
                         return response;
                     }});
        router_.add(
            {Method::kGet, "/ws", "", Access::kApiKey, Execution::kWorker, [this](RequestContext&) -> HandlerResult {
                 Response response;
                 response.headers.emplace_back("Sec-WebSocket-Protocol", "crossvoice.v1");
                 response.stream = source_;
                 response.stream_protocol = StreamProtocol::kWebSocket;
                 return response;
             }});
        router_.add({Method::kGet, "/refused", "", Access::kApiKey, Execution::kInline,
                     [this](RequestContext&) -> HandlerResult {
                         Response response = Response::json(403, R"({"error":"no"})");
                         response.stream = source_;  // only a 2xx response streams
                         return response;
                     }});
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

    void stop() {
        if (!runner_.joinable()) return;
        server_->shutdown();
        runner_.join();
    }

    ~StreamTest() override { stop(); }

    const testing::HeaderList auth{{"Authorization", "Bearer good"}};
    std::shared_ptr<TestSource> source_ = std::make_shared<TestSource>();
    Router router_;
    std::unique_ptr<RequestMetrics> metrics_;
    Pipeline pipeline_{[](std::string_view secret) -> core::Result<core::Principal> {
                           if (secret != "good") return core::Error::unauthorized("unknown key");
                           core::Principal principal;
                           principal.key_id = "key_1";
                           return principal;
                       },
                       [](core::AuditEntry) {}};
    ServerOptions options_;
    std::unique_ptr<Server> server_;
    std::thread runner_;
    std::uint16_t port_ = 0;
};

TEST_F(StreamTest, AnEventStreamSendsItsHeadThenEachFrameAsItIsSent) {
    start();
    testing::EventStreamClient client("127.0.0.1", port_, "/events", auth);
    EXPECT_EQ(client.status(), 200);
    EXPECT_EQ(client.header("content-type"), "text/event-stream");
    EXPECT_EQ(client.header("x-stream"), "yes");
    EXPECT_EQ(client.header("content-length"), "") << "the body ends with the connection";
    EXPECT_EQ(client.header("cache-control"), "no-store");
    ASSERT_TRUE(source_->wait_opened());
    auto channel = source_->channel();
    ASSERT_TRUE(channel->send("id: 1\nevent: a\ndata: {}\n\n"));
    ASSERT_TRUE(channel->send("id: 2\nevent: b\ndata: {\"x\":1}\n\n"));
    auto first = client.next_event();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, "1");
    EXPECT_EQ(first->type, "a");
    auto second = client.next_event();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->data, "{\"x\":1}");
}

TEST_F(StreamTest, AClientThatLeavesEndsTheStreamAndTheSourceIsTold) {
    start();
    testing::EventStreamClient client("127.0.0.1", port_, "/events", auth);
    ASSERT_TRUE(source_->wait_opened());
    auto channel = source_->channel();
    client.close();
    ASSERT_TRUE(source_->wait_closed());
    EXPECT_FALSE(channel->send("data: late\n\n")) << "a closed stream refuses frames";
}

TEST_F(StreamTest, AWrongKeyOrANon2xxAnswerIsAnOrdinaryResponse) {
    start();
    testing::EventStreamClient wrong("127.0.0.1", port_, "/events", {{"Authorization", "Bearer bad"}});
    EXPECT_EQ(wrong.status(), 401);
    EXPECT_NE(wrong.body().find("unknown key"), std::string::npos);
    testing::EventStreamClient refused("127.0.0.1", port_, "/refused", auth);
    EXPECT_EQ(refused.status(), 403);
    EXPECT_EQ(refused.body(), R"({"error":"no"})");
}

TEST_F(StreamTest, AnIdleStreamGetsHeartbeats) {
    options_.stream_heartbeat = 50ms;
    start();
    testing::EventStreamClient client("127.0.0.1", port_, "/events", auth);
    auto beat = client.next(5s);
    ASSERT_TRUE(beat);
    EXPECT_TRUE(beat->comment);
}

TEST_F(StreamTest, AClientTooFarBehindIsDisconnectedNotBufferedWithoutBound) {
    options_.stream_backlog_bytes = 1024;
    start();
    testing::EventStreamClient client("127.0.0.1", port_, "/events", auth);
    ASSERT_TRUE(source_->wait_opened());
    auto channel = source_->channel();
    // One frame larger than the whole allowance can never be queued.
    EXPECT_FALSE(channel->send("data: " + std::string(4096, 'x') + "\n\n"));
    ASSERT_TRUE(source_->wait_closed());
    EXPECT_TRUE(client.closed_by_server_within(10s));
}

TEST_F(StreamTest, ShutdownEndsOpenStreamsAndTheServerStops) {
    start();
    testing::EventStreamClient sse("127.0.0.1", port_, "/events", auth);
    ASSERT_TRUE(source_->wait_opened());
    stop();  // returns only once every connection and stream is gone
    EXPECT_TRUE(sse.closed_by_server_within(5s));
    EXPECT_TRUE(source_->wait_closed());
}

TEST_F(StreamTest, AWebSocketCarriesFramesBothWaysWithTheChosenSubprotocol) {
    start();
    testing::WebSocketClient client("127.0.0.1", port_, "/ws", {}, {"crossvoice.v1", "bearer.good"});
    ASSERT_TRUE(client.connected()) << client.refused_status();
    EXPECT_EQ(client.protocol(), "crossvoice.v1");
    ASSERT_TRUE(source_->wait_opened());
    ASSERT_TRUE(source_->channel()->send(R"({"type":"ready"})"));
    EXPECT_EQ(client.next(), R"({"type":"ready"})");
    client.send("hello");
    EXPECT_EQ(client.next(), "echo:hello");
    source_->channel()->close();
    int code = 0;
    EXPECT_TRUE(client.closed_by_server_within(5s, &code));
    EXPECT_EQ(code, 1001) << "going away";
    EXPECT_TRUE(source_->wait_closed());
}

TEST_F(StreamTest, AQuietWebSocketClientIsKeptAliveByPingsNotCutOffAsIdle) {
    options_.stream_heartbeat = 50ms;  // the idle timeout is four heartbeats: 200 ms
    start();
    testing::WebSocketClient client("127.0.0.1", port_, "/ws", auth);
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(source_->wait_opened());
    // The client never writes; it only reads (answering pings as browsers do) for five idle timeouts.
    const auto until = std::chrono::steady_clock::now() + 1s;
    int heartbeats = 0;
    while (std::chrono::steady_clock::now() < until) {
        auto message = client.next(1s);
        ASSERT_TRUE(message) << "the server closed a client that was only quiet";
        if (*message == R"({"type":"heartbeat"})") ++heartbeats;
    }
    EXPECT_GT(heartbeats, 0);
}

TEST_F(StreamTest, AWebSocketWithAWrongKeyIsRefusedBeforeTheUpgrade) {
    start();
    testing::WebSocketClient client("127.0.0.1", port_, "/ws", {}, {"crossvoice.v1", "bearer.bad"});
    EXPECT_FALSE(client.connected());
    // Beast's client does not keep the refusal's status: the same upgrade, read as plain HTTP.
    testing::EventStreamClient raw("127.0.0.1", port_, "/ws",
                                   {{"Connection", "Upgrade"},
                                    {"Upgrade", "websocket"},
                                    {"Sec-WebSocket-Version", "13"},
                                    {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                    {"Sec-WebSocket-Protocol", "crossvoice.v1, bearer.bad"}});
    EXPECT_EQ(raw.status(), 401);
    EXPECT_NE(raw.body().find("unknown key"), std::string::npos) << raw.body();
    EXPECT_FALSE(source_->wait_opened_for(100ms)) << "no stream was opened";
}

}  // namespace
}  // namespace crossvoice::http
