#include "sinch/oauth_token_cache.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/error_detail.hpp"
#include "support/fake_clock.hpp"
#include "support/scripted_http_client.hpp"

namespace crossvoice::sinch {
namespace {

using core::ports::HttpRequest;
using core::ports::HttpResponse;
using nlohmann::json;
using testing::detail;

HttpResponse answer(int status, std::string body) { return HttpResponse{status, {}, std::move(body), 1}; }

HttpResponse granted(const std::string& token, json expires_in = 3600) {
    return answer(
        200, json{{"access_token", token}, {"expires_in", expires_in}, {"scope", ""}, {"token_type", "bearer"}}.dump());
}

OAuthSettings settings() {
    OAuthSettings out;
    out.token_url = "https://auth.sinch.test/oauth2/token";
    out.key_id = "key-id";
    out.key_secret = "key-secret";
    return out;
}

std::optional<std::string> header(const HttpRequest& request, std::string_view name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

class OAuthTokenCacheTest : public ::testing::Test {
  protected:
    testing::FakeClock clock_;
    testing::ScriptedHttpClient http_;
    OAuthTokenCache cache_{settings(), http_, clock_};
};

TEST_F(OAuthTokenCacheTest, AsksWithBasicCredentialsAndTheClientCredentialsGrant) {
    http_.replies.push_back(granted("tok-1"));
    auto token = cache_.token();
    ASSERT_TRUE(token.ok()) << token.error().message;
    EXPECT_EQ(*token, "tok-1");
    ASSERT_EQ(http_.requests.size(), 1u);
    const auto& request = http_.requests[0];
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.url, "https://auth.sinch.test/oauth2/token");
    EXPECT_EQ(header(request, "Authorization"), "Basic a2V5LWlkOmtleS1zZWNyZXQ=");  // base64("key-id:key-secret")
    EXPECT_EQ(header(request, "Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(request.body, "grant_type=client_credentials");
}

TEST_F(OAuthTokenCacheTest, ATokenIsReusedUntilAMinuteBeforeItExpires) {
    http_.replies.push_back(granted("tok-1", 3600));
    ASSERT_EQ(*cache_.token(), "tok-1");
    clock_.advance_ms((3600 - 60) * 1000 - 1);
    EXPECT_EQ(*cache_.token(), "tok-1");
    EXPECT_EQ(http_.requests.size(), 1u);

    clock_.advance_ms(1);  // 60 s left: a request started now could outlive the token
    http_.replies.push_back(granted("tok-2", 3600));
    EXPECT_EQ(*cache_.token(), "tok-2");
    EXPECT_EQ(http_.requests.size(), 2u);
    EXPECT_EQ(*cache_.token(), "tok-2");
    EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(OAuthTokenCacheTest, AShortLivedTokenIsUsedOnceAndNotCached) {
    http_.replies.push_back(granted("tok-short", 30));
    http_.replies.push_back(granted("tok-next", 3600));
    EXPECT_EQ(*cache_.token(), "tok-short");
    EXPECT_EQ(*cache_.token(), "tok-next");
}

TEST_F(OAuthTokenCacheTest, LifetimesAreReadLeniently) {
    http_.replies.push_back(granted("tok-1", 3599.9));
    ASSERT_TRUE(cache_.token().ok());
    clock_.advance_ms((3599 - 60) * 1000 - 1);
    EXPECT_EQ(*cache_.token(), "tok-1");
    clock_.advance_ms(1);
    http_.replies.push_back(granted("tok-2"));
    EXPECT_EQ(*cache_.token(), "tok-2") << "3599.9 counts as 3599 s";

    testing::ScriptedHttpClient http;
    OAuthTokenCache cache(settings(), http, clock_);
    http.replies.push_back(granted("tok-s", "3600"));
    EXPECT_EQ(*cache.token(), "tok-s");
}

TEST_F(OAuthTokenCacheTest, InvalidateDropsOnlyTheRefusedToken) {
    http_.replies.push_back(granted("tok-1"));
    ASSERT_EQ(*cache_.token(), "tok-1");
    cache_.invalidate("tok-0");  // an older token's 401: the current one stays
    EXPECT_EQ(*cache_.token(), "tok-1");
    EXPECT_EQ(http_.requests.size(), 1u);

    cache_.invalidate("tok-1");
    http_.replies.push_back(granted("tok-2"));
    EXPECT_EQ(*cache_.token(), "tok-2");
    cache_.invalidate("tok-1");  // a second 401 from a request that still carried tok-1
    EXPECT_EQ(*cache_.token(), "tok-2");
    EXPECT_EQ(http_.requests.size(), 2u) << "one refresh, not one per 401";
}

TEST_F(OAuthTokenCacheTest, RefusedCredentialsAreNamedWithSinchsWords) {
    http_.replies.push_back(
        answer(401, R"({"error":"invalid_client","error_description":"Client authentication failed"})"));
    auto token = cache_.token();
    ASSERT_FALSE(token.ok());
    EXPECT_EQ(token.error().code, core::ErrorCode::kVendor);
    EXPECT_EQ(detail(token.error(), "reason"), "credentials refused");
    EXPECT_EQ(detail(token.error(), "vendor"), "sinch");
    EXPECT_EQ(detail(token.error(), "vendor_status"), "401");
    EXPECT_EQ(detail(token.error(), "vendor_error"), "invalid_client");
    EXPECT_EQ(detail(token.error(), "vendor_detail"), "Client authentication failed");
    EXPECT_NE(token.error().message.find("SINCH_KEY_ID"), std::string::npos);

    http_.replies.push_back(answer(403, "forbidden"));
    auto forbidden = cache_.token();
    EXPECT_EQ(detail(forbidden.error(), "reason"), "credentials refused");
    EXPECT_EQ(detail(forbidden.error(), "vendor_detail"), "forbidden");
}

TEST_F(OAuthTokenCacheTest, OtherFailuresKeepTheVendorsDetail) {
    http_.replies.push_back(answer(500, "<html>oops</html>"));
    auto failed = cache_.token();
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, core::ErrorCode::kVendor);
    EXPECT_EQ(detail(failed.error(), "vendor_status"), "500");
    EXPECT_EQ(detail(failed.error(), "vendor_detail"), "<html>oops</html>");
    EXPECT_FALSE(detail(failed.error(), "reason").has_value());

    http_.replies.push_back(core::Error{core::ErrorCode::kTimeout, "deadline passed", {{"url", "https://auth"}}});
    auto timed_out = cache_.token();
    EXPECT_EQ(timed_out.error().code, core::ErrorCode::kTimeout);
    EXPECT_EQ(detail(timed_out.error(), "vendor"), "sinch");
    EXPECT_EQ(detail(timed_out.error(), "action"), "token");
    EXPECT_EQ(detail(timed_out.error(), "url"), "https://auth");

    // A failure is not cached: the next call asks again.
    http_.replies.push_back(granted("tok-1"));
    EXPECT_EQ(*cache_.token(), "tok-1");
}

TEST_F(OAuthTokenCacheTest, UnusableGrantsAreRefused) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"not json", "access_token"},
        {R"([])", "access_token"},
        {R"({"expires_in":3600})", "access_token"},
        {R"({"access_token":"","expires_in":3600})", "access_token"},
        {R"({"access_token":7,"expires_in":3600})", "access_token"},
        {R"({"access_token":"t"})", "expires_in"},
        {R"({"access_token":"t","expires_in":0})", "expires_in"},
        {R"({"access_token":"t","expires_in":-5})", "expires_in"},
        {R"({"access_token":"t","expires_in":"soon"})", "expires_in"},
    };
    for (const auto& [body, field] : cases) {
        http_.replies.push_back(answer(200, body));
        auto token = cache_.token();
        ASSERT_FALSE(token.ok()) << body;
        EXPECT_EQ(token.error().code, core::ErrorCode::kVendor) << body;
        EXPECT_EQ(detail(token.error(), "field"), field) << body;
    }
}

// An HttpClient whose requests wait until the test opens the gate (then all pass, now and later), so that a fetch
// is in flight for as long as the test needs.
class GatedHttpClient final : public core::ports::HttpClient {
  public:
    core::Result<HttpResponse> send(const HttpRequest&) override {
        std::unique_lock lock(mutex_);
        ++started_;
        changed_.notify_all();
        changed_.wait(lock, [&] { return released_; });
        return reply_;
    }

    void wait_until_started(int count) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return started_ >= count; });
    }

    void release(core::Result<HttpResponse> reply) {
        const std::lock_guard lock(mutex_);
        reply_ = std::move(reply);
        released_ = true;
        changed_.notify_all();
    }

    int started() {
        const std::lock_guard lock(mutex_);
        return started_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int started_ = 0;
    bool released_ = false;
    core::Result<HttpResponse> reply_ = core::Error::internal("not released");
};

// Starts one caller, waits until its fetch is in flight, then `others` more callers, and waits until they all
// wait for that fetch (no sleeps: the cache counts its waiters), or until one of them starts a fetch of its own,
// which the caller's assertions then catch instead of a hang.
std::vector<std::thread> callers_sharing_one_fetch(OAuthTokenCache& cache, GatedHttpClient& http, int others,
                                                   std::vector<core::Result<std::string>>& results) {
    std::vector<std::thread> threads;
    threads.emplace_back([&] { results[0] = cache.token(); });
    http.wait_until_started(1);
    for (int i = 1; i <= others; ++i) {
        threads.emplace_back([&cache, &results, i] { results[static_cast<std::size_t>(i)] = cache.token(); });
    }
    while (cache.waiting() < static_cast<std::size_t>(others) && http.started() == 1) std::this_thread::yield();
    return threads;
}

TEST(OAuthTokenCacheConcurrencyTest, ConcurrentCallersShareOneRefresh) {
    testing::FakeClock clock;
    GatedHttpClient http;
    OAuthTokenCache cache(settings(), http, clock);
    constexpr int kOthers = 7;
    std::vector<core::Result<std::string>> results(kOthers + 1, core::Error::internal("not run"));
    auto threads = callers_sharing_one_fetch(cache, http, kOthers, results);
    http.release(granted("tok-shared"));
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(http.started(), 1);
    for (const auto& result : results) {
        ASSERT_TRUE(result.ok()) << result.error().message;
        EXPECT_EQ(*result, "tok-shared");
    }
    EXPECT_EQ(cache.waiting(), 0u);
}

TEST(OAuthTokenCacheConcurrencyTest, WaitersShareAFailureInsteadOfEachAskingAgain) {
    testing::FakeClock clock;
    GatedHttpClient http;
    OAuthTokenCache cache(settings(), http, clock);
    constexpr int kOthers = 5;
    std::vector<core::Result<std::string>> results(kOthers + 1, core::Error::internal("not run"));
    auto threads = callers_sharing_one_fetch(cache, http, kOthers, results);
    http.release(answer(401, R"({"error":"invalid_client"})"));
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(http.started(), 1);
    for (const auto& result : results) {
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(detail(result.error(), "reason"), "credentials refused");
    }
}

}  // namespace
}  // namespace crossvoice::sinch
