#include "sandbox/webhook_sender.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "fakes.hpp"
#include "telnyx/webhook_verifier.hpp"

namespace crossvoice::sandbox {
namespace {

using testing::CapturingHttpClient;

class WebhookSenderTest : public ::testing::Test {
  protected:
    WebhookSender make(int max_attempts = 3) {
        return WebhookSender(http_, signer_, clock_, max_attempts, [this](std::chrono::milliseconds delay) {
            pauses_.push_back(delay);
            return true;
        });
    }

    const nlohmann::json data_{{"record_type", "event"},
                               {"event_type", "call.answered"},
                               {"id", "evt-1"},
                               {"occurred_at", "2026-09-21T14:13:20.000Z"},
                               {"payload", {{"call_control_id", "v3:x"}}}};
    CapturingHttpClient http_;
    WebhookSigner signer_{std::nullopt};
    core::SystemClock clock_;
    std::vector<std::chrono::milliseconds> pauses_;
};

TEST_F(WebhookSenderTest, RetriesA500AndCountsTheAttemptInMeta) {
    http_.script({500});
    const auto result = make().deliver("http://hooks.test/a", data_);
    EXPECT_TRUE(result.delivered);
    EXPECT_EQ(result.attempts, 2);
    const auto all = http_.deliveries();
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].attempt(), 1);
    EXPECT_EQ(all[1].attempt(), 2);
    EXPECT_EQ(all[1].json["meta"]["delivered_to"], "http://hooks.test/a");
    EXPECT_EQ(all[1].json["data"], data_);
    EXPECT_EQ(pauses_, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(100)}));

    auto verifier = telnyx::WebhookVerifier::create(signer_.public_key_base64(), clock_);
    ASSERT_TRUE(verifier.ok());
    for (const auto& delivery : all) {
        EXPECT_EQ(delivery.max_attempts, 1);
        ASSERT_TRUE(delivery.signature && delivery.timestamp);
        EXPECT_TRUE(verifier->verify(*delivery.signature, *delivery.timestamp, delivery.body).ok())
            << "each attempt is signed over its own body";
    }
    EXPECT_NE(all[0].signature, all[1].signature);
}

TEST_F(WebhookSenderTest, RetriesTransportErrors408And429) {
    http_.script({CapturingHttpClient::kTransportError, 408, 429, 200});
    const auto result = make(5).deliver("http://hooks.test/a", data_);
    EXPECT_TRUE(result.delivered);
    EXPECT_EQ(result.attempts, 4);
    EXPECT_EQ(pauses_.size(), 3U);
}

TEST_F(WebhookSenderTest, DoesNotRetryOther4xx) {
    http_.script({404});
    const auto result = make().deliver("http://hooks.test/a", data_);
    EXPECT_FALSE(result.delivered);
    EXPECT_EQ(result.attempts, 1);
    EXPECT_EQ(result.last_status, 404);
    EXPECT_EQ(http_.deliveries().size(), 1U);
}

TEST_F(WebhookSenderTest, GivesUpAfterMaxAttempts) {
    http_.script({503, 503, 503, 503});
    const auto result = make(3).deliver("http://hooks.test/a", data_);
    EXPECT_FALSE(result.delivered);
    EXPECT_EQ(result.attempts, 3);
    EXPECT_EQ(http_.deliveries().size(), 3U);
}

TEST_F(WebhookSenderTest, DoesNotRetryAUrlTheClientRefuses) {
    class RefusingClient final : public core::ports::HttpClient {
      public:
        core::Result<core::ports::HttpResponse> send(const core::ports::HttpRequest&) override {
            ++calls;
            return core::Error::validation("url", "unsupported scheme");
        }
        int calls = 0;
    } refusing;
    WebhookSender sender(refusing, signer_, clock_, 3, [](std::chrono::milliseconds) { return true; });
    EXPECT_FALSE(sender.deliver("ftp://hooks.test/a", data_).delivered);
    EXPECT_EQ(refusing.calls, 1);
}

TEST_F(WebhookSenderTest, StopsWhenThePauseIsInterrupted) {
    http_.script({500, 500});
    WebhookSender sender(http_, signer_, clock_, 3, [](std::chrono::milliseconds) { return false; });
    EXPECT_FALSE(sender.deliver("http://hooks.test/a", data_).delivered);
    EXPECT_EQ(http_.deliveries().size(), 1U);
}

TEST(WebhookSignerTest, AFixedSeedGivesAFixedKey) {
    WebhookSigner::Seed seed{};
    seed.fill(7);
    const WebhookSigner a(seed);
    const WebhookSigner b(seed);
    const WebhookSigner random(std::nullopt);
    EXPECT_EQ(a.public_key_base64(), b.public_key_base64());
    EXPECT_NE(a.public_key_base64(), random.public_key_base64());
    EXPECT_EQ(a.public_key_base64().size(), 44U);
    EXPECT_EQ(a.sign("1", "body"), b.sign("1", "body"));
}

}  // namespace
}  // namespace crossvoice::sandbox
