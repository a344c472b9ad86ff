#include "sinch/conversation_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "support/error_detail.hpp"
#include "support/fake_clock.hpp"
#include "support/scripted_http_client.hpp"

namespace crossvoice::sinch {
namespace {

using core::ErrorCode;
using core::ports::HttpHeaders;
using core::ports::HttpRequest;
using core::ports::HttpResponse;
using nlohmann::json;
using testing::detail;

constexpr std::string_view kSendUrl = "https://us.conversation.api.sinch.test/v1/projects/proj-1/messages:send";
constexpr std::string_view kAccepted = R"({"accepted_time":"2026-11-24T09:30:00.123Z","message_id":"01SINCH"})";

HttpResponse answer(int status, std::string_view body, HttpHeaders headers = {}) {
    return HttpResponse{status, std::move(headers), std::string(body), 1};
}

HttpResponse granted(const std::string& token) {
    return answer(200, json{{"access_token", token}, {"expires_in", 3600}, {"token_type", "bearer"}}.dump());
}

std::string sinch_error(int code, std::string_view status, std::string_view message) {
    return json{{"error", {{"code", code}, {"message", message}, {"status", status}, {"details", json::array()}}}}
        .dump();
}

std::optional<std::string> header(const HttpRequest& request, std::string_view name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

core::ports::OutboundMessage message(core::Channel channel, std::string to = "+46701234567") {
    core::ports::OutboundMessage out;
    out.message_id = "msg_01ours";
    out.channel = channel;
    out.to = std::move(to);
    out.text = "Hello from TETRIX";
    return out;
}

class SinchConversationClientTest : public ::testing::Test {
  protected:
    SinchConversationClientTest() {
        config_.base_url = "https://us.conversation.api.sinch.test/";
        config_.auth_url = "https://auth.sinch.test/oauth2/token";
        config_.project_id = "proj-1";
        config_.app_id = "01APP";
        config_.key_id = "key-id";
        config_.key_secret = "key-secret";
    }

    // A client whose first token request is answered with `token`.
    SinchConversationClient client(const std::string& token = "tok-1") {
        http_.replies.push_back(granted(token));
        return SinchConversationClient(config_, http_, clock_);
    }

    // The JSON body of the n-th request.
    json body(std::size_t n) const { return json::parse(http_.requests.at(n).body); }

    ConversationConfig config_;
    testing::ScriptedHttpClient http_;
    testing::FakeClock clock_;
};

TEST_F(SinchConversationClientTest, AWhatsAppMessageFallsBackToSmsOnTheSameNumber) {
    auto sender = client();
    http_.replies.push_back(answer(200, kAccepted));
    auto sent = sender.send(message(core::Channel::kWhatsapp));
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_EQ(sent->vendor, "sinch");
    EXPECT_EQ(sent->vendor_message_id, "01SINCH");

    ASSERT_EQ(http_.requests.size(), 2u);
    EXPECT_EQ(http_.requests[0].url, "https://auth.sinch.test/oauth2/token");
    const auto& send = http_.requests[1];
    EXPECT_EQ(send.method, "POST");
    EXPECT_EQ(send.url, kSendUrl);
    EXPECT_EQ(header(send, "Authorization"), "Bearer tok-1");
    EXPECT_EQ(header(send, "Content-Type"), "application/json");
    EXPECT_FALSE(send.retry.retry_if_maybe_processed) << "a send that may have arrived is never repeated";
    EXPECT_EQ(body(1), json::parse(R"({
        "app_id": "01APP",
        "recipient": {"identified_by": {"channel_identities": [
            {"channel": "WHATSAPP", "identity": "+46701234567"},
            {"channel": "SMS", "identity": "+46701234567"}]}},
        "message": {"text_message": {"text": "Hello from TETRIX"}},
        "channel_priority_order": ["WHATSAPP", "SMS"],
        "correlation_id": "msg_01ours"})"));
}

TEST_F(SinchConversationClientTest, AnSmsGoesToTheSmsIdentityOnly) {
    config_.callback_url = "https://voice.example.com/api/webhooks/sinch";
    auto sender = client();
    http_.replies.push_back(answer(200, kAccepted));
    ASSERT_TRUE(sender.send(message(core::Channel::kSms)).ok());
    EXPECT_EQ(body(1), json::parse(R"({
        "app_id": "01APP",
        "recipient": {"identified_by": {"channel_identities": [{"channel": "SMS", "identity": "+46701234567"}]}},
        "message": {"text_message": {"text": "Hello from TETRIX"}},
        "channel_priority_order": ["SMS"],
        "callback_url": "https://voice.example.com/api/webhooks/sinch",
        "correlation_id": "msg_01ours"})"));
}

TEST_F(SinchConversationClientTest, AChatMessageGoesToTheSinchContact) {
    auto sender = client();
    http_.replies.push_back(answer(200, kAccepted));
    auto chat = message(core::Channel::kChat, "01CONTACT");
    chat.callback_url = "https://elsewhere.example.com/cb";
    ASSERT_TRUE(sender.send(chat).ok());
    EXPECT_EQ(body(1), json::parse(R"({
        "app_id": "01APP",
        "recipient": {"contact_id": "01CONTACT"},
        "message": {"text_message": {"text": "Hello from TETRIX"}},
        "callback_url": "https://elsewhere.example.com/cb",
        "correlation_id": "msg_01ours"})"));
}

TEST_F(SinchConversationClientTest, TheChannelPriorityIsConfigurableAndStartsWithWhatsApp) {
    config_.channel_priority = {"SMS", "RCS", "SMS"};
    auto sender = client();
    http_.replies.push_back(answer(200, kAccepted));
    ASSERT_TRUE(sender.send(message(core::Channel::kWhatsapp)).ok());
    EXPECT_EQ(body(1)["channel_priority_order"], json::parse(R"(["WHATSAPP","SMS","RCS"])"));
    EXPECT_EQ(body(1)["recipient"]["identified_by"]["channel_identities"].size(), 3u);
}

TEST_F(SinchConversationClientTest, TheTokenIsFetchedOnceForManySends) {
    auto sender = client();
    for (int i = 0; i < 3; ++i) http_.replies.push_back(answer(200, kAccepted));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(sender.send(message(core::Channel::kSms)).ok());
    EXPECT_EQ(http_.requests.size(), 4u);
}

TEST_F(SinchConversationClientTest, A401RefreshesTheTokenAndTriesOnceMore) {
    auto sender = client("tok-1");
    http_.replies.push_back(answer(401, sinch_error(401, "UNAUTHENTICATED", "token expired")));
    http_.replies.push_back(granted("tok-2"));
    http_.replies.push_back(answer(200, kAccepted));
    auto sent = sender.send(message(core::Channel::kSms));
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    ASSERT_EQ(http_.requests.size(), 4u);
    EXPECT_EQ(header(http_.requests[1], "Authorization"), "Bearer tok-1");
    EXPECT_EQ(http_.requests[2].url, config_.auth_url);
    EXPECT_EQ(header(http_.requests[3], "Authorization"), "Bearer tok-2");
    EXPECT_EQ(http_.requests[3].body, http_.requests[1].body) << "the same message, not a new one";

    // The fresh token is the one kept.
    http_.replies.push_back(answer(200, kAccepted));
    ASSERT_TRUE(sender.send(message(core::Channel::kSms)).ok());
    EXPECT_EQ(header(http_.requests[4], "Authorization"), "Bearer tok-2");
}

TEST_F(SinchConversationClientTest, ASecond401IsReturnedNotRetried) {
    auto sender = client("tok-1");
    http_.replies.push_back(answer(401, sinch_error(401, "UNAUTHENTICATED", "no")));
    http_.replies.push_back(granted("tok-2"));
    http_.replies.push_back(answer(401, sinch_error(401, "UNAUTHENTICATED", "still no")));
    auto refused = sender.send(message(core::Channel::kSms));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(refused.error(), "vendor_status"), "401");
    EXPECT_EQ(detail(refused.error(), "vendor_message"), "still no");
    EXPECT_EQ(http_.requests.size(), 4u) << "token, send, token, send: no loop";
    EXPECT_TRUE(http_.replies.empty());
}

TEST_F(SinchConversationClientTest, A400IsAValidationErrorThatKeepsSinchsWords) {
    auto sender = client();
    http_.replies.push_back(answer(400, sinch_error(400, "INVALID_ARGUMENT", "Invalid recipient")));
    auto refused = sender.send(message(core::Channel::kSms));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    EXPECT_EQ(detail(refused.error(), "vendor"), "sinch");
    EXPECT_EQ(detail(refused.error(), "vendor_status"), "400");
    EXPECT_EQ(detail(refused.error(), "vendor_code"), "400");
    EXPECT_EQ(detail(refused.error(), "vendor_error"), "INVALID_ARGUMENT");
    EXPECT_EQ(detail(refused.error(), "vendor_message"), "Invalid recipient");
    EXPECT_EQ(detail(refused.error(), "field"), "message");
    EXPECT_EQ(refused.error().message, "Sinch 400: INVALID_ARGUMENT: Invalid recipient");
    EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(SinchConversationClientTest, A400NamesTheViolatedFieldWhenSinchDoes) {
    auto sender = client();
    const auto body =
        json{{"error",
              {{"code", 400},
               {"message", "Invalid argument"},
               {"status", "INVALID_ARGUMENT"},
               {"details", json::array({{{"@type", "type.googleapis.com/google.rpc.BadRequest"},
                                         {"field_violations", json::array({{{"field", "recipient.identified_by"},
                                                                            {"description", "bad identity"}}})}}})}}}};
    http_.replies.push_back(answer(400, body.dump()));
    EXPECT_EQ(detail(sender.send(message(core::Channel::kSms)).error(), "field"), "recipient.identified_by");
}

TEST_F(SinchConversationClientTest, A429AsksUsToSlowDown) {
    auto sender = client();
    http_.replies.push_back(
        answer(429, sinch_error(429, "RESOURCE_EXHAUSTED", "Too many requests"), {{"retry-after", "7"}}));
    http_.replies.push_back(answer(429, sinch_error(429, "RESOURCE_EXHAUSTED", "Too many requests")));
    auto limited = sender.send(message(core::Channel::kWhatsapp));
    EXPECT_EQ(limited.error().code, ErrorCode::kRateLimited);
    EXPECT_EQ(detail(limited.error(), "retry_after_seconds"), "7");
    EXPECT_EQ(detail(limited.error(), "vendor_error"), "RESOURCE_EXHAUSTED");
    EXPECT_EQ(detail(sender.send(message(core::Channel::kWhatsapp)).error(), "retry_after_seconds"), "1");
}

TEST_F(SinchConversationClientTest, OtherRefusalsAreVendorErrors) {
    auto sender = client();
    http_.replies.push_back(answer(403, sinch_error(403, "PERMISSION_DENIED", "App not allowed")));
    http_.replies.push_back(answer(404, sinch_error(404, "NOT_FOUND", "Project not found")));
    http_.replies.push_back(answer(503, "<html>upstream unavailable</html>"));
    auto forbidden = sender.send(message(core::Channel::kSms));
    EXPECT_EQ(forbidden.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(forbidden.error(), "vendor_error"), "PERMISSION_DENIED");
    EXPECT_EQ(detail(forbidden.error(), "vendor_code"), "403");
    EXPECT_FALSE(detail(forbidden.error(), "field").has_value());
    auto missing = sender.send(message(core::Channel::kSms));
    EXPECT_EQ(missing.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(missing.error(), "vendor_message"), "Project not found");
    auto down = sender.send(message(core::Channel::kSms));
    EXPECT_EQ(down.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(down.error(), "vendor_status"), "503");
    EXPECT_EQ(detail(down.error(), "vendor_detail"), "<html>upstream unavailable</html>");
}

TEST_F(SinchConversationClientTest, AnAcceptanceWithoutAMessageIdIsAVendorError) {
    auto sender = client();
    http_.replies.push_back(answer(200, R"({"accepted_time":"2026-11-24T09:30:00Z"})"));
    http_.replies.push_back(answer(200, "OK"));
    for (int i = 0; i < 2; ++i) {
        auto sent = sender.send(message(core::Channel::kSms));
        ASSERT_FALSE(sent.ok());
        EXPECT_EQ(sent.error().code, ErrorCode::kVendor);
        EXPECT_EQ(detail(sent.error(), "field"), "message_id");
    }
}

TEST_F(SinchConversationClientTest, NoAnswerPassesThroughWithoutARetryOfOurOwn) {
    auto sender = client();
    http_.replies.push_back(core::Error{ErrorCode::kTimeout, "deadline passed", {{"attempts", "1"}}});
    auto timed_out = sender.send(message(core::Channel::kSms));
    ASSERT_FALSE(timed_out.ok());
    EXPECT_EQ(timed_out.error().code, ErrorCode::kTimeout);
    EXPECT_EQ(detail(timed_out.error(), "vendor"), "sinch");
    EXPECT_EQ(detail(timed_out.error(), "action"), "messages:send");
    EXPECT_EQ(http_.requests.size(), 2u);
}

TEST_F(SinchConversationClientTest, ARefusedAccessKeyStopsBeforeSending) {
    http_.replies.push_back(answer(401, R"({"error":"invalid_client"})"));
    SinchConversationClient sender(config_, http_, clock_);
    auto refused = sender.send(message(core::Channel::kSms));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(refused.error(), "reason"), "credentials refused");
    EXPECT_EQ(http_.requests.size(), 1u);
}

TEST_F(SinchConversationClientTest, MalformedMessagesAreRefusedBeforeAnythingIsSent) {
    SinchConversationClient sender(config_, http_, clock_);
    auto no_number = message(core::Channel::kSms, "");
    EXPECT_EQ(detail(sender.send(no_number).error(), "field"), "to");
    auto no_text = message(core::Channel::kWhatsapp);
    no_text.text.clear();
    EXPECT_EQ(detail(sender.send(no_text).error(), "field"), "text");
    auto voice = sender.send(message(core::Channel::kVoice));
    EXPECT_EQ(voice.error().code, ErrorCode::kValidation);
    EXPECT_EQ(detail(voice.error(), "field"), "channel");
    EXPECT_TRUE(http_.requests.empty());
}

TEST_F(SinchConversationClientTest, TheProjectIdCannotChangeThePath) {
    config_.project_id = "a/../b?x";
    auto sender = client();
    http_.replies.push_back(answer(200, kAccepted));
    ASSERT_TRUE(sender.send(message(core::Channel::kSms)).ok());
    EXPECT_EQ(http_.requests[1].url, "https://us.conversation.api.sinch.test/v1/projects/a%2F..%2Fb%3Fx/messages:send");
}

TEST_F(SinchConversationClientTest, InvalidUtf8InTheTextIsReplacedNotThrown) {
    auto sender = client();
    http_.replies.push_back(answer(200, kAccepted));
    auto bad = message(core::Channel::kSms);
    bad.text = "caf\xC3";
    ASSERT_TRUE(sender.send(bad).ok());
    EXPECT_EQ(body(1)["message"]["text_message"]["text"], "caf\xEF\xBF\xBD");
}

}  // namespace
}  // namespace crossvoice::sinch
