#include "infra/curl_http_client.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "support/fake_clock.hpp"

namespace crossvoice::infra {
namespace {

using core::ErrorCode;
using core::ports::HttpRequest;
using core::ports::HttpResponse;
using http::Access;
using http::Execution;
using http::HandlerResult;
using http::Method;
using http::RequestContext;
using http::Response;
using Ms = std::chrono::milliseconds;

constexpr std::int64_t kNowMs = 1'790'000'000'000;  // whole seconds, so epoch headers convert exactly

std::string detail(const core::Error& error, std::string_view key) {
    for (const auto& [name, value] : error.details) {
        if (name == key) return value;
    }
    return "<absent>";
}

Response reply(int status, std::string body, http::Headers headers = {}) {
    auto response = Response::text(status, "text/plain", std::move(body));
    response.headers = std::move(headers);
    return response;
}

// IMF-fixdate, the form RFC 9110 asks servers to send.
std::string http_date(std::int64_t unix_seconds) {
    const std::time_t at = static_cast<std::time_t>(unix_seconds);
    std::tm parts{};
    gmtime_r(&at, &parts);
    char text[64];
    const auto size = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    return std::string(text, size);
}

// A loopback port with nothing listening: bound (so no one else takes it) but never listen()ed, so a
// connect is refused at once.
class ClosedPort {
  public:
    ClosedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            throw std::runtime_error("could not reserve a loopback port");
        }
        port_ = ntohs(address.sin_port);
    }
    ~ClosedPort() { ::close(fd_); }
    ClosedPort(const ClosedPort&) = delete;
    ClosedPort& operator=(const ClosedPort&) = delete;
    std::uint16_t port() const { return port_; }

  private:
    int fd_;
    std::uint16_t port_ = 0;
};

// The project's own HTTP server on a loopback port, with routes whose answers each test scripts.
class CurlHttpClientTest : public ::testing::Test {
  protected:
    CurlHttpClientTest() {
        for (const Method method : {Method::kGet, Method::kPost, Method::kPut, Method::kPatch, Method::kDelete}) {
            router_.add({method, "/echo", "", Access::kPublic, Execution::kWorker,
                         [](RequestContext& context) { return echo(context); }});
        }
        router_.add({Method::kGet, "/scripted", "", Access::kPublic, Execution::kWorker,
                     [this](RequestContext&) -> HandlerResult { return next_scripted(); }});
        router_.add(
            {Method::kGet, "/slow", "", Access::kPublic, Execution::kWorker, [this](RequestContext&) -> HandlerResult {
                 // A peer that does not answer: held until the test is over (bounded, so a broken
                 // test cannot hang the server's drain).
                 release_.wait_for(std::chrono::seconds(20));
                 return reply(200, "late");
             }});
        router_.add({Method::kGet, "/big", "", Access::kPublic, Execution::kWorker,
                     [](RequestContext&) -> HandlerResult { return reply(200, std::string(64 * 1024, 'x')); }});

        options_.port = 0;
        options_.access_log = false;
        options_.worker_threads = 8;
        options_.max_body_bytes = 4 * 1024 * 1024;
        metrics_ = std::make_unique<http::RequestMetrics>(router_);
        server_ = std::make_unique<http::Server>(options_, router_, pipeline_, *metrics_);
        auto port = server_->listen();
        if (!port) throw std::runtime_error(port.error().message);
        port_ = *port;
        runner_ = std::thread([this] { server_->run(false); });
    }

    ~CurlHttpClientTest() override {
        release_promise_.set_value();
        server_->shutdown();
        runner_.join();
    }

    static HandlerResult echo(RequestContext& context) {
        const auto& request = context.request;
        http::Headers headers{
            {"X-Seen-Custom", std::string(request.header("x-custom").value_or("<none>"))},
            {"X-Seen-Content-Type", std::string(request.header("content-type").value_or("<none>"))},
            {"X-Seen-Expect", std::string(request.header("expect").value_or("<none>"))},
            {"X-Mixed-Case-Reply", "Yes"},
        };
        return reply(200, std::string(http::to_string(request.method)) + "|" + request.query + "|" + request.body,
                     std::move(headers));
    }

    HandlerResult next_scripted() {
        const std::lock_guard lock(mutex_);
        const int hit = hits_++;
        if (script_.empty()) return reply(200, "unscripted");
        return script_[std::min<std::size_t>(static_cast<std::size_t>(hit), script_.size() - 1)];
    }

    // The server answers /scripted with these in order, repeating the last.
    void script(std::vector<Response> responses) {
        const std::lock_guard lock(mutex_);
        script_ = std::move(responses);
        hits_ = 0;
    }

    int hits() {
        const std::lock_guard lock(mutex_);
        return hits_;
    }

    std::vector<Ms> sleeps() {
        const std::lock_guard lock(mutex_);
        return sleeps_;
    }

    // Waits are recorded instead of slept; the jitter draws the cap itself, so backoff is exact.
    CurlHttpClientOptions recording_options() {
        CurlHttpClientOptions options;
        options.sleep = [this](Ms wait) {
            const std::lock_guard lock(mutex_);
            sleeps_.push_back(wait);
        };
        options.jitter = [](Ms cap) { return cap; };
        options.clock = &clock_;
        return options;
    }

    std::string url(std::string_view path_and_query) const {
        return "http://127.0.0.1:" + std::to_string(port_) + std::string(path_and_query);
    }

    HttpRequest request(std::string_view path_and_query) const {
        HttpRequest request;
        request.url = url(path_and_query);
        request.retry.max_attempts = 3;
        request.retry.base_delay = Ms{100};
        request.retry.max_delay = Ms{5'000};
        return request;
    }

    http::Router router_;
    std::unique_ptr<http::RequestMetrics> metrics_;
    http::Pipeline pipeline_{
        [](std::string_view) -> core::Result<core::Principal> { return core::Error::unauthorized("no"); },
        [](core::AuditEntry) {}};
    http::ServerOptions options_;
    std::unique_ptr<http::Server> server_;
    std::thread runner_;
    std::uint16_t port_ = 0;
    std::promise<void> release_promise_;
    std::shared_future<void> release_ = release_promise_.get_future().share();

    testing::FakeClock clock_{kNowMs};
    std::mutex mutex_;
    std::vector<Response> script_;
    int hits_ = 0;
    std::vector<Ms> sleeps_;
    CurlHttpClient client_{recording_options()};
};

TEST_F(CurlHttpClientTest, GetSendsHeadersAndQueryAndLowerCasesResponseHeaderNames) {
    auto req = request("/echo?a=1&b=two");
    req.headers = {{"X-Custom", "hello there"}, {"Authorization", "Bearer secret"}};
    const auto response = client_.send(req);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->attempts, 1);
    EXPECT_EQ(response->body, "GET|a=1&b=two|");
    EXPECT_EQ(response->header("x-seen-custom"), "hello there");
    EXPECT_EQ(response->header("x-mixed-case-reply"), "Yes");
    EXPECT_EQ(response->header("content-type"), "text/plain");
    for (const auto& [name, value] : response->headers) {
        EXPECT_EQ(name, [&] {
            std::string lowered = name;
            for (char& ch : lowered) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            return lowered;
        }()) << "header names are lower case";
    }
    EXPECT_TRUE(sleeps().empty());
}

TEST_F(CurlHttpClientTest, BodyMethodsRoundTripTheirBody) {
    for (const std::string method : {"POST", "PUT", "PATCH", "DELETE"}) {
        auto req = request("/echo");
        req.method = method;
        req.body = R"({"method":")" + method + R"(","bytes":"é\u0000"})";
        req.headers = {{"Content-Type", "application/json"}};
        const auto response = client_.send(req);
        ASSERT_TRUE(response.ok()) << method << ": " << response.error().message;
        EXPECT_EQ(response->status, 200) << method;
        EXPECT_EQ(response->body, method + "||" + req.body);
        EXPECT_EQ(response->header("x-seen-content-type"), "application/json") << method;
    }
}

TEST_F(CurlHttpClientTest, PostNeitherInventsAContentTypeNorAsksFor100Continue) {
    auto req = request("/echo");
    req.method = "POST";
    req.body = std::string(1536 * 1024, 'b');  // over libcurl's 1 MiB threshold for Expect: 100-continue
    const auto response = client_.send(req);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->header("x-seen-content-type"), "<none>");
    EXPECT_EQ(response->header("x-seen-expect"), "<none>");
    EXPECT_EQ(response->body.size(), std::string("POST||").size() + req.body.size());
}

TEST_F(CurlHttpClientTest, AServerErrorIsRetriedAfterBackoff) {
    script({reply(500, "boom"), reply(200, "fine")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "fine");
    EXPECT_EQ(response->attempts, 2);
    EXPECT_EQ(hits(), 2);
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{100}});
}

TEST_F(CurlHttpClientTest, ExhaustedAttemptsReturnTheLast503) {
    script({reply(503, "one"), reply(503, "two"), reply(503, "three"), reply(200, "too late")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 503);
    EXPECT_EQ(response->body, "three");
    EXPECT_EQ(response->attempts, 3);
    EXPECT_EQ(hits(), 3);
}

TEST_F(CurlHttpClientTest, BackoffDoublesUpToMaxDelayAndUsesTheJitteredDraw) {
    std::vector<Ms> caps;
    auto options = recording_options();
    options.jitter = [&caps](Ms cap) {
        caps.push_back(cap);
        return cap / 2;
    };
    CurlHttpClient client(options);
    script({reply(502, "bad gateway")});
    auto req = request("/scripted");
    req.retry = {.max_attempts = 5, .base_delay = Ms{100}, .max_delay = Ms{250}};
    const auto response = client.send(req);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 502);
    EXPECT_EQ(response->attempts, 5);
    EXPECT_EQ(caps, (std::vector<Ms>{Ms{100}, Ms{200}, Ms{250}, Ms{250}}));
    EXPECT_EQ(sleeps(), (std::vector<Ms>{Ms{50}, Ms{100}, Ms{125}, Ms{125}}));
}

TEST_F(CurlHttpClientTest, DefaultJitterDrawsWithinTheCap) {
    auto options = recording_options();
    options.jitter = nullptr;
    CurlHttpClient client(options);
    script({reply(500, "boom")});
    auto req = request("/scripted");
    req.retry = {.max_attempts = 8, .base_delay = Ms{1'000}, .max_delay = Ms{1'000}};
    const auto response = client.send(req);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->attempts, 8);
    const auto waits = sleeps();  // a draw of exactly 0 is not slept, so there may be fewer than 7
    ASSERT_FALSE(waits.empty());
    for (const Ms wait : waits) {
        EXPECT_GT(wait, Ms{0});
        EXPECT_LE(wait, Ms{1'000});
    }
    // Seven uniform draws from 0..1000 all landing on the cap is a 1e-21 event: full jitter, not fixed.
    EXPECT_LT(std::count(waits.begin(), waits.end(), Ms{1'000}), 7);
}

class ClientErrorTest : public CurlHttpClientTest, public ::testing::WithParamInterface<int> {};

TEST_P(ClientErrorTest, IsAnAnswerAndNotRetried) {
    script({reply(GetParam(), "no"), reply(200, "should not be reached")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, GetParam());
    EXPECT_EQ(response->body, "no");
    EXPECT_EQ(response->attempts, 1);
    EXPECT_EQ(hits(), 1);
    EXPECT_TRUE(sleeps().empty());
}

INSTANTIATE_TEST_SUITE_P(FourXX, ClientErrorTest, ::testing::Values(400, 401, 404, 409, 422));

TEST_F(CurlHttpClientTest, RetryAfterSecondsIsHonouredOn429) {
    script({reply(429, "slow down", {{"Retry-After", "2"}}), reply(200, "ok")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->attempts, 2);
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{2'000}});
}

TEST_F(CurlHttpClientTest, RetryAfterHttpDateIsHonouredOn503) {
    script({reply(503, "maintenance", {{"Retry-After", http_date(kNowMs / 1000 + 3)}}), reply(200, "ok")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{3'000}});
}

TEST_F(CurlHttpClientTest, RetryAfterIsCappedAtMaxDelay) {
    script({reply(429, "later", {{"Retry-After", "120"}}), reply(200, "ok")});
    auto req = request("/scripted");
    req.retry.max_delay = Ms{1'500};
    const auto response = client_.send(req);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{1'500}});
}

TEST_F(CurlHttpClientTest, RetryAfterOnA500IsIgnoredInFavourOfBackoff) {
    script({reply(500, "boom", {{"Retry-After", "4"}}), reply(200, "ok")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{100}});
}

TEST_F(CurlHttpClientTest, A429WhoseWaitOverrunsTheDeadlineIsReturnedAtOnce) {
    script({reply(429, "later", {{"Retry-After", "3"}}), reply(200, "ok")});
    auto req = request("/scripted");
    req.deadline = Ms{2'000};
    const auto response = client_.send(req);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 429);
    EXPECT_EQ(response->header("retry-after"), "3") << "the caller can still see when to come back";
    EXPECT_EQ(response->attempts, 1);
    EXPECT_EQ(hits(), 1);
    EXPECT_TRUE(sleeps().empty());
}

TEST_F(CurlHttpClientTest, RatelimitResetInSecondsIsHonoured) {
    script({reply(429, "later", {{"x-ratelimit-reset", "2"}}), reply(200, "ok")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{2'000}});
}

TEST_F(CurlHttpClientTest, RatelimitResetAsAnEpochTimeIsHonoured) {
    script({reply(429, "later", {{"X-RateLimit-Reset", std::to_string(kNowMs / 1000 + 4)}}), reply(200, "ok")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{4'000}});
}

TEST_F(CurlHttpClientTest, RetryAfterTakesPrecedenceOverRatelimitReset) {
    script({reply(429, "later", {{"x-ratelimit-reset", "4"}, {"Retry-After", "1"}}), reply(200, "ok")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{1'000}});
}

TEST_F(CurlHttpClientTest, AnUnreadableRetryAfterFallsBackToBackoff) {
    script({reply(429, "later", {{"Retry-After", "soon-ish"}}), reply(200, "ok")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{100}});
}

TEST_F(CurlHttpClientTest, ConnectionRefusedIsUnavailableAfterMaxAttempts) {
    const ClosedPort closed;
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(closed.port()) + "/v2/calls?token=hunter2";
    req.headers = {{"Authorization", "Bearer hunter3"}};
    req.retry = {.max_attempts = 3, .base_delay = Ms{100}, .max_delay = Ms{5'000}};
    const auto response = client_.send(req);
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(detail(response.error(), "attempts"), "3");
    EXPECT_EQ(detail(response.error(), "reason"), "connect_failed");
    EXPECT_EQ(detail(response.error(), "url"), "http://127.0.0.1:" + std::to_string(closed.port()) + "/v2/calls");
    EXPECT_EQ(response.error().message.find("hunter"), std::string::npos) << response.error().message;
    EXPECT_EQ(sleeps(), (std::vector<Ms>{Ms{100}, Ms{200}}));
}

TEST_F(CurlHttpClientTest, PublicOnlyRefusesLoopbackWithoutRetryingAndAnyAllowsIt) {
    auto req = request("/echo");
    req.address_policy = core::ports::AddressPolicy::kPublicOnly;
    req.retry.max_attempts = 3;
    const auto refused = client_.send(req);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
    EXPECT_EQ(detail(refused.error(), "address"), "127.0.0.1");
    EXPECT_TRUE(sleeps().empty()) << "a refused address is not retried";

    // A pooled connection to the same server must not carry a public-only request past the check.
    req.address_policy = core::ports::AddressPolicy::kAny;
    ASSERT_TRUE(client_.send(req).ok());
    req.address_policy = core::ports::AddressPolicy::kPublicOnly;
    const auto again = client_.send(req);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kForbidden);
}

TEST_F(CurlHttpClientTest, ASlowServerTimesOutEveryAttempt) {
    auto req = request("/slow?secret=1");
    req.attempt_timeout = Ms{200};
    req.retry.max_attempts = 2;
    const auto started = std::chrono::steady_clock::now();
    const auto response = client_.send(req);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
    EXPECT_EQ(detail(response.error(), "attempts"), "2");
    EXPECT_EQ(detail(response.error(), "url"), url("/slow"));
    EXPECT_GE(elapsed, Ms{400});
    EXPECT_LT(elapsed, std::chrono::seconds(10));
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{100}});
}

TEST_F(CurlHttpClientTest, TheDeadlineCutsAnAttemptShort) {
    auto req = request("/slow");
    req.attempt_timeout = std::chrono::seconds(30);
    req.deadline = Ms{300};
    const auto started = std::chrono::steady_clock::now();
    const auto response = client_.send(req);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
    EXPECT_EQ(detail(response.error(), "attempts"), "1");
    EXPECT_LT(elapsed, std::chrono::seconds(10)) << "bounded by the deadline, not the 30 s attempt timeout";
    EXPECT_TRUE(sleeps().empty()) << "no time was left to wait for another attempt";
}

// For requests that must not run twice (placing a call): only what proves the request was not processed.
class NotRepeatableTest : public CurlHttpClientTest, public ::testing::WithParamInterface<int> {};

TEST_P(NotRepeatableTest, AServerErrorIsReturnedWithoutRetry) {
    script({reply(GetParam(), "maybe did it"), reply(200, "did it twice")});
    auto req = request("/scripted");
    req.retry.retry_if_maybe_processed = false;
    const auto response = client_.send(req);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, GetParam());
    EXPECT_EQ(response->attempts, 1);
    EXPECT_EQ(hits(), 1);
    EXPECT_TRUE(sleeps().empty());
}

INSTANTIATE_TEST_SUITE_P(FiveXX, NotRepeatableTest, ::testing::Values(500, 502, 503, 504));

TEST_F(CurlHttpClientTest, NotRepeatableStillRetriesA429) {
    script({reply(429, "later", {{"Retry-After", "1"}}), reply(200, "ok")});
    auto req = request("/scripted");
    req.retry.retry_if_maybe_processed = false;
    const auto response = client_.send(req);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->attempts, 2);
    EXPECT_EQ(sleeps(), std::vector<Ms>{Ms{1'000}});
}

TEST_F(CurlHttpClientTest, NotRepeatableStillRetriesWhenNoConnectionWasMade) {
    const ClosedPort closed;
    HttpRequest req;
    req.method = "POST";
    req.url = "http://127.0.0.1:" + std::to_string(closed.port()) + "/v2/calls";
    req.retry = {.max_attempts = 3, .retry_if_maybe_processed = false, .base_delay = Ms{100}, .max_delay = Ms{5'000}};
    const auto response = client_.send(req);
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(detail(response.error(), "attempts"), "3");
    EXPECT_EQ(sleeps(), (std::vector<Ms>{Ms{100}, Ms{200}}));
}

TEST_F(CurlHttpClientTest, NotRepeatableDoesNotRetryATimeoutAfterTheRequestWentOut) {
    auto req = request("/slow");
    req.attempt_timeout = Ms{200};
    req.retry.retry_if_maybe_processed = false;
    const auto response = client_.send(req);
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
    EXPECT_EQ(detail(response.error(), "attempts"), "1");
    EXPECT_TRUE(sleeps().empty());
}

TEST_F(CurlHttpClientTest, AnOversizeResponseFailsWithoutRetry) {
    auto req = request("/big");
    req.max_response_bytes = 1024;
    const auto response = client_.send(req);
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(detail(response.error(), "reason"), "response_too_large");
    EXPECT_EQ(detail(response.error(), "attempts"), "1");
    EXPECT_TRUE(sleeps().empty());

    req.max_response_bytes = 64 * 1024;  // exactly the body's size is allowed
    const auto fits = client_.send(req);
    ASSERT_TRUE(fits.ok()) << fits.error().message;
    EXPECT_EQ(fits->body.size(), 64U * 1024U);
}

TEST_F(CurlHttpClientTest, MalformedRequestsAreValidationErrors) {
    for (const std::string bad :
         {"", "not a url", "ftp://127.0.0.1/file", "http://", "file:///etc/passwd", "http://exa mple.com/"}) {
        HttpRequest req;
        req.url = bad;
        const auto response = client_.send(req);
        ASSERT_FALSE(response.ok()) << bad;
        EXPECT_EQ(response.error().code, ErrorCode::kValidation) << bad;
        EXPECT_EQ(detail(response.error(), "field"), "url") << bad;
    }
    auto bad_method = request("/echo");
    bad_method.method = "TRACE";
    const auto method = client_.send(bad_method);
    ASSERT_FALSE(method.ok());
    EXPECT_EQ(method.error().code, ErrorCode::kValidation);
    EXPECT_EQ(detail(method.error(), "field"), "method");

    auto injected = request("/echo");
    injected.headers = {{"X-Custom", "a\r\nX-Injected: 1"}};
    const auto header = client_.send(injected);
    ASSERT_FALSE(header.ok());
    EXPECT_EQ(header.error().code, ErrorCode::kValidation);
    EXPECT_EQ(detail(header.error(), "field"), "headers");
    EXPECT_TRUE(sleeps().empty());
}

TEST_F(CurlHttpClientTest, SequentialRequestsReuseOneConnection) {
    for (int i = 0; i < 5; ++i) {
        const auto response = client_.send(request("/echo"));
        ASSERT_TRUE(response.ok()) << response.error().message;
        EXPECT_EQ(response->status, 200);
    }
    EXPECT_EQ(client_.connections_opened(), 1U);
}

TEST_F(CurlHttpClientTest, WithoutIdleHandlesEveryCallConnectsAnew) {
    // The control for the test above: the count is of real connections, so keeping none idle shows up.
    auto options = recording_options();
    options.max_idle_handles = 0;
    CurlHttpClient client(options);
    for (int i = 0; i < 3; ++i) {
        const auto response = client.send(request("/echo"));
        ASSERT_TRUE(response.ok()) << response.error().message;
    }
    EXPECT_EQ(client.connections_opened(), 3U);
}

TEST_F(CurlHttpClientTest, RetriesReuseTheConnectionToo) {
    script({reply(500, "boom"), reply(500, "boom"), reply(200, "fine")});
    const auto response = client_.send(request("/scripted"));
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->attempts, 3);
    EXPECT_EQ(client_.connections_opened(), 1U);
}

TEST_F(CurlHttpClientTest, ConcurrentRequestsFromSeveralThreads) {
    constexpr int kThreads = 6;
    constexpr int kPerThread = 25;
    std::atomic<int> matched{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto req = request("/echo?thread=" + std::to_string(t));
                req.method = "POST";
                req.body = "body-" + std::to_string(t) + "-" + std::to_string(i);
                const auto response = client_.send(req);
                if (response.ok() && response->status == 200 &&
                    response->body == "POST|thread=" + std::to_string(t) + "|" + req.body) {
                    ++matched;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(matched.load(), kThreads * kPerThread);
    // At most one handle (and so one connection) per thread in flight; the pool hands them back out.
    EXPECT_GE(client_.connections_opened(), 1U);
    EXPECT_LE(client_.connections_opened(), static_cast<std::uint64_t>(kThreads));
}

}  // namespace
}  // namespace crossvoice::infra
