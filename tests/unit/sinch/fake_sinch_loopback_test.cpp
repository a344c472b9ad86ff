// The adapter against the loopback fake of Sinch through the real CurlHttpClient: real HTTP, real headers, real
// form and JSON bodies, so that what the scripted tests assume about the wire holds.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "infra/curl_http_client.hpp"
#include "sinch/conversation_client.hpp"
#include "sinch/sinch_webhooks.hpp"
#include "support/error_detail.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_sinch_server.hpp"

namespace crossvoice::sinch {
namespace {

using nlohmann::json;
using testing::detail;
using testing::FakeSinchServer;

ConversationConfig config_for(const FakeSinchServer& fake) {
    ConversationConfig config;
    config.base_url = fake.base_url();
    config.auth_url = fake.auth_url();
    config.project_id = fake.options().project_id;
    config.app_id = fake.options().app_id;
    config.key_id = fake.options().key_id;
    config.key_secret = fake.options().key_secret;
    config.callback_url = "http://127.0.0.1:1/api/webhooks/sinch";
    config.attempt_timeout = std::chrono::milliseconds(5'000);
    config.retry.base_delay = std::chrono::milliseconds(1);
    return config;
}

core::ports::OutboundMessage whatsapp(std::string id) {
    core::ports::OutboundMessage message;
    message.message_id = std::move(id);
    message.channel = core::Channel::kWhatsapp;
    message.to = "+46701234567";
    message.text = "Your order has shipped";
    return message;
}

class SinchLoopbackTest : public ::testing::Test {
  protected:
    FakeSinchServer fake_;
    infra::CurlHttpClient http_;
    core::SystemClock clock_;
};

TEST_F(SinchLoopbackTest, AMessageIsSentWithAnOAuthTokenInTheDocumentedShape) {
    SinchConversationClient client(config_for(fake_), http_, clock_);
    auto sent = client.send(whatsapp("msg_1"));
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_EQ(sent->vendor, "sinch");
    EXPECT_EQ(sent->vendor_message_id, "01FAKEMSG1");
    EXPECT_EQ(fake_.tokens_issued(), 1u);
    ASSERT_EQ(fake_.sent().size(), 1u);
    const auto body = json::parse(fake_.sent()[0]);
    EXPECT_EQ(body["app_id"], "fake-app");
    EXPECT_EQ(body["correlation_id"], "msg_1");
    EXPECT_EQ(body["channel_priority_order"], json::parse(R"(["WHATSAPP","SMS"])"));
    EXPECT_EQ(body["message"]["text_message"]["text"], "Your order has shipped");

    ASSERT_TRUE(client.send(whatsapp("msg_2")).ok());
    EXPECT_EQ(fake_.tokens_issued(), 1u) << "the token is reused";
}

TEST_F(SinchLoopbackTest, ATokenTheServerNoLongerAcceptsIsReplacedOnce) {
    SinchConversationClient client(config_for(fake_), http_, clock_);
    ASSERT_TRUE(client.send(whatsapp("msg_1")).ok());
    fake_.expire_tokens();
    auto sent = client.send(whatsapp("msg_2"));
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_EQ(fake_.tokens_issued(), 2u);
    EXPECT_EQ(fake_.sent().size(), 2u) << "the refused request was not processed, the retried one was";

    std::size_t sends = 0;
    for (const auto& request : fake_.requests()) {
        if (request.target.ends_with("messages:send")) ++sends;
    }
    EXPECT_EQ(sends, 3u) << "msg_1, msg_2 refused, msg_2 again: one retry, no loop";
}

TEST_F(SinchLoopbackTest, SinchsRefusalsAreMappedFromTheRealWire) {
    SinchConversationClient client(config_for(fake_), http_, clock_);
    fake_.reply_error(400, 400, "Invalid recipient identity", "INVALID_ARGUMENT");
    auto invalid = client.send(whatsapp("msg_1"));
    ASSERT_FALSE(invalid.ok());
    EXPECT_EQ(invalid.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(detail(invalid.error(), "vendor_error"), "INVALID_ARGUMENT");
    EXPECT_EQ(detail(invalid.error(), "vendor_message"), "Invalid recipient identity");

    fake_.reply_error(429, 429, "Too many requests", "RESOURCE_EXHAUSTED");
    auto config = config_for(fake_);
    config.retry.max_attempts = 1;  // the HttpClient would retry a 429 itself otherwise
    SinchConversationClient single_try(config, http_, clock_);
    EXPECT_EQ(single_try.send(whatsapp("msg_2")).error().code, core::ErrorCode::kRateLimited);
}

TEST_F(SinchLoopbackTest, WrongCredentialsAreNamed) {
    auto config = config_for(fake_);
    config.key_secret = "wrong";
    SinchConversationClient client(config, http_, clock_);
    auto refused = client.send(whatsapp("msg_1"));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kVendor);
    EXPECT_EQ(detail(refused.error(), "reason"), "credentials refused");
    EXPECT_EQ(detail(refused.error(), "vendor_error"), "invalid_client");
    EXPECT_TRUE(fake_.sent().empty());
}

TEST_F(SinchLoopbackTest, TheFakesSignedCallbacksAreReadByOurWebhooks) {
    testing::FakeClock clock(1'790'000'000'000);
    SinchWebhooks webhooks(std::string("hook-secret"), clock);
    for (const auto trigger : {testing::SinchTrigger::kMessageInbound, testing::SinchTrigger::kMessageDelivery,
                               testing::SinchTrigger::kEventInbound}) {
        testing::SinchCallbackSpec spec;
        spec.trigger = trigger;
        const auto callback = testing::make_sinch_callback(spec, "hook-secret", 1'790'000'000);
        const auto signature = callback.header("x-sinch-webhook-signature");
        const auto nonce = callback.header("x-sinch-webhook-signature-nonce");
        const auto timestamp = callback.header("x-sinch-webhook-signature-timestamp");
        const auto algorithm = callback.header("x-sinch-webhook-signature-algorithm");
        ASSERT_TRUE(signature && nonce && timestamp && algorithm);
        EXPECT_EQ(nonce->size(), 32u);
        auto event = webhooks.read({*signature, *nonce, *timestamp, *algorithm, callback.body});
        ASSERT_TRUE(event.ok()) << event.error().message;
        EXPECT_EQ(event->our_identity, "fake-app");
    }
}

}  // namespace
}  // namespace crossvoice::sinch
