#include "services/audio_fetcher.hpp"

#include <gtest/gtest.h>

#include "transcription_fakes.hpp"

namespace crossvoice::services {
namespace {

using transcription_testing::FakeHttpClient;

std::string detail(const core::Error& error, std::string_view key) {
    for (const auto& [name, value] : error.details) {
        if (name == key) return value;
    }
    return "<absent>";
}

class AudioFetcherTest : public ::testing::Test {
  protected:
    AudioFetchLimits limits() {
        AudioFetchLimits limits;
        limits.max_bytes = 1234;
        limits.timeout = std::chrono::milliseconds{4'500};
        limits.min_bytes_per_second = 77;
        return limits;
    }

    FakeHttpClient http_;
    AudioFetcher fetcher_{http_, limits()};
};

TEST_F(AudioFetcherTest, OnlyHttpAndHttpsAreFetched) {
    for (const char* url : {"ftp://media.example.com/a.wav", "file:///etc/passwd", "media.example.com/a.wav", ""}) {
        auto fetched = fetcher_.fetch(url, "audioUrl");
        ASSERT_FALSE(fetched.ok()) << url;
        EXPECT_EQ(fetched.error().code, core::ErrorCode::kValidation);
        EXPECT_EQ(detail(fetched.error(), "field"), "audioUrl");
    }
    EXPECT_TRUE(http_.requests.empty());
    EXPECT_TRUE(fetcher_.fetch("HTTPS://media.example.com/a.wav", "audioUrl").ok());
    EXPECT_TRUE(fetcher_.fetch("http://media.example.com/a.wav", "audioUrl").ok());
}

TEST_F(AudioFetcherTest, TheRequestTreatsTheUrlAsAnOutsidersAndReturnsTheAudio) {
    http_.replies.push_back(FakeHttpClient::ok("RIFF audio", "audio/x-wav"));
    auto fetched = fetcher_.fetch("https://media.example.com/a.wav?token=1", "audioUrl");
    ASSERT_TRUE(fetched.ok()) << fetched.error().message;
    EXPECT_EQ(fetched->bytes, "RIFF audio");
    EXPECT_EQ(fetched->content_type, "audio/x-wav");

    ASSERT_EQ(http_.requests.size(), 1U);
    const auto& sent = http_.requests[0];
    EXPECT_EQ(sent.method, "GET");
    EXPECT_EQ(sent.url, "https://media.example.com/a.wav?token=1");
    EXPECT_EQ(sent.address_policy, core::ports::AddressPolicy::kPublicOnly);
    EXPECT_EQ(sent.max_response_bytes, 1234U);
    EXPECT_EQ(sent.min_bytes_per_second, 77U);
    EXPECT_EQ(sent.max_redirects, 3);
    EXPECT_EQ(sent.attempt_timeout, std::chrono::milliseconds{4'500});
}

TEST_F(AudioFetcherTest, ATrustedPrefixMayReachAnyAddress) {
    fetcher_.trust_prefix("http://127.0.0.1:9000/recordings/");
    ASSERT_TRUE(fetcher_.fetch("http://127.0.0.1:9000/recordings/r.wav", "audioUrl").ok());
    ASSERT_TRUE(fetcher_.fetch("http://127.0.0.1:9000/other/r.wav", "audioUrl").ok());
    ASSERT_EQ(http_.requests.size(), 2U);
    EXPECT_EQ(http_.requests[0].address_policy, core::ports::AddressPolicy::kAny);
    EXPECT_EQ(http_.requests[1].address_policy, core::ports::AddressPolicy::kPublicOnly);
}

TEST_F(AudioFetcherTest, AFrobiddenAddressIsTheClientsMistake) {
    http_.replies.push_back(core::Error{core::ErrorCode::kForbidden, "address refused", {{"address", "10.0.0.1"}}});
    auto fetched = fetcher_.fetch("https://internal.example.com/a.wav", "audioUrl");
    ASSERT_FALSE(fetched.ok());
    EXPECT_EQ(fetched.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(detail(fetched.error(), "field"), "audioUrl");
    EXPECT_NE(fetched.error().message.find("audioUrl"), std::string::npos) << fetched.error().message;
    EXPECT_NE(fetched.error().message.find("private"), std::string::npos) << fetched.error().message;
}

TEST_F(AudioFetcherTest, AnAnswerOtherThan200IsUnprocessableWithItsStatus) {
    for (int status : {404, 500, 302, 204}) {
        http_.replies.push_back(FakeHttpClient::status(status));
        auto fetched = fetcher_.fetch("https://media.example.com/a.wav?token=secret", "audioUrl");
        ASSERT_FALSE(fetched.ok()) << status;
        EXPECT_EQ(fetched.error().code, core::ErrorCode::kUnprocessable);
        EXPECT_EQ(detail(fetched.error(), "status"), std::to_string(status));
        EXPECT_NE(fetched.error().message.find(std::to_string(status)), std::string::npos);
        EXPECT_EQ(fetched.error().message.find("secret"), std::string::npos);  // queries may hold credentials
    }
}

TEST_F(AudioFetcherTest, TooMuchAudioIsTooLarge) {
    http_.replies.push_back(
        core::Error{core::ErrorCode::kUnavailable, "body too large", {{"reason", "response_too_large"}}});
    auto fetched = fetcher_.fetch("https://media.example.com/a.wav", "audioUrl");
    ASSERT_FALSE(fetched.ok());
    EXPECT_EQ(fetched.error().code, core::ErrorCode::kPayloadTooLarge);
    EXPECT_EQ(detail(fetched.error(), "limit"), "1234");
    EXPECT_EQ(detail(fetched.error(), "field"), "audioUrl");
}

TEST_F(AudioFetcherTest, OtherFailuresKeepTheirMeaning) {
    http_.replies.push_back(core::Error{core::ErrorCode::kTimeout, "deadline", {}});
    http_.replies.push_back(core::Error::unavailable("connection refused"));
    http_.replies.push_back(core::Error::validation("url", "malformed URL"));
    auto timed_out = fetcher_.fetch("https://slow.example.com/a.wav", "audioUrl");
    ASSERT_FALSE(timed_out.ok());
    EXPECT_EQ(timed_out.error().code, core::ErrorCode::kTimeout);
    auto refused = fetcher_.fetch("https://down.example.com/a.wav", "audioUrl");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kUnprocessable);
    EXPECT_NE(refused.error().message.find("connection refused"), std::string::npos);
    auto malformed = fetcher_.fetch("https://bad host/a.wav", "audioUrl");
    ASSERT_FALSE(malformed.ok());
    EXPECT_EQ(malformed.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(detail(malformed.error(), "field"), "audioUrl");
}

}  // namespace
}  // namespace crossvoice::services
