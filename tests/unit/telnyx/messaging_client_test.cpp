#include "telnyx/messaging_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/error_detail.hpp"
#include "support/scripted_http_client.hpp"

namespace crossvoice::telnyx {
namespace {

using core::ErrorCode;
using core::ports::HttpHeaders;
using core::ports::HttpRequest;
using core::ports::HttpResponse;
using core::ports::OutboundMessage;
using crossvoice::testing::detail;
using nlohmann::json;

// Shaped like vendor-apis.md D's send reply.
constexpr std::string_view kSentReply = R"({"data":{"id":"40317159-3b0b-4a4c-9a3e-8f0b6c1a2b3c","record_type":"message",
  "direction":"outbound","from":{"phone_number":"+15550001111"},"to":[{"phone_number":"+15557654321","status":"queued"}],
  "text":"Your code is 1234","parts":1}})";
constexpr std::string_view kMessageId = "40317159-3b0b-4a4c-9a3e-8f0b6c1a2b3c";

MessagingOptions test_options() {
    MessagingOptions options;
    options.api_base = "https://telnyx.test/";
    options.api_key = "KEY0123456789";
    options.default_from = "+15550001111";
    options.connect_timeout = std::chrono::milliseconds(1'500);
    options.attempt_timeout = std::chrono::milliseconds(4'000);
    options.deadline = std::chrono::milliseconds(9'000);
    // Asks for retries of maybe-processed requests on purpose: the client must override it.
    options.retry = core::ports::RetryPolicy{4, true, std::chrono::milliseconds(100), std::chrono::milliseconds(2'000)};
    return options;
}

OutboundMessage sms(std::string to = "+15557654321", std::string text = "Your code is 1234") {
    OutboundMessage message;
    message.message_id = "msg_01";
    message.channel = core::Channel::kSms;
    message.to = std::move(to);
    message.text = std::move(text);
    return message;
}

std::vector<std::string> header_values(const HttpRequest& request, std::string_view name) {
    std::vector<std::string> values;
    for (const auto& [key, value] : request.headers) {
        if (key == name) values.push_back(value);
    }
    return values;
}

class MessagingClientTest : public ::testing::Test {
  protected:
    void reply(int status, std::string_view body, HttpHeaders headers = {}) {
        http_.replies.emplace_back(HttpResponse{status, std::move(headers), std::string(body), 1});
    }

    // The one request sent, checked for what every send carries; its body as JSON.
    json sent_body() {
        EXPECT_EQ(http_.requests.size(), 1u);
        if (http_.requests.empty()) return json();
        const HttpRequest& request = http_.requests.front();
        EXPECT_EQ(request.method, "POST");
        EXPECT_EQ(request.url, "https://telnyx.test/v2/messages");
        EXPECT_EQ(header_values(request, "Authorization"), std::vector<std::string>{"Bearer KEY0123456789"});
        EXPECT_EQ(header_values(request, "Content-Type"), std::vector<std::string>{"application/json"});
        EXPECT_EQ(header_values(request, "Accept"), std::vector<std::string>{"application/json"});
        EXPECT_EQ(request.headers.size(), 3u);
        EXPECT_EQ(request.connect_timeout, std::chrono::milliseconds(1'500));
        EXPECT_EQ(request.attempt_timeout, std::chrono::milliseconds(4'000));
        EXPECT_EQ(request.deadline, std::chrono::milliseconds(9'000));
        EXPECT_EQ(request.retry.max_attempts, 4);
        EXPECT_EQ(request.retry.base_delay, std::chrono::milliseconds(100));
        EXPECT_EQ(request.retry.max_delay, std::chrono::milliseconds(2'000));
        // No idempotency key exists for messages: a retry after Telnyx may have acted would send the SMS twice.
        EXPECT_FALSE(request.retry.retry_if_maybe_processed);
        return json::parse(request.body);
    }

    core::Error refused(int status, std::string_view body, HttpHeaders headers = {}) {
        reply(status, body, std::move(headers));
        auto sent = client().send(sms());
        EXPECT_FALSE(sent.ok());
        if (sent.ok()) return core::Error{};
        EXPECT_EQ(detail(sent.error(), "vendor"), "telnyx");
        EXPECT_EQ(detail(sent.error(), "vendor_status"), std::to_string(status));
        return std::move(sent).error();
    }

    TelnyxMessagingClient client() { return TelnyxMessagingClient(options_, http_); }

    MessagingOptions options_ = test_options();
    crossvoice::testing::ScriptedHttpClient http_;
};

TEST_F(MessagingClientTest, SendsTheDocumentedBodyAndReturnsTelnyxsId) {
    reply(200, kSentReply);
    const auto sent = client().send(sms());
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    EXPECT_EQ(sent->vendor, "telnyx");
    EXPECT_EQ(sent->vendor_message_id, kMessageId);
    EXPECT_EQ(sent_body(), json::parse(R"({"to":"+15557654321","from":"+15550001111","text":"Your code is 1234"})"));
}

TEST_F(MessagingClientTest, AddsTheMessagingProfileAndTheConfiguredWebhook) {
    options_.messaging_profile_id = "400174d6-8d4a-4f6c-9a3e-000000000001";
    options_.webhook_url = "https://cv.example.com/api/messaging/telnyx";
    reply(200, kSentReply);
    ASSERT_TRUE(client().send(sms()).ok());
    EXPECT_EQ(sent_body(), json::parse(R"({"to":"+15557654321","from":"+15550001111","text":"Your code is 1234",
        "messaging_profile_id":"400174d6-8d4a-4f6c-9a3e-000000000001",
        "webhook_url":"https://cv.example.com/api/messaging/telnyx"})"));
}

TEST_F(MessagingClientTest, TheMessagesSenderAndCallbackWinOverTheDefaults) {
    options_.webhook_url = "https://cv.example.com/default";
    auto message = sms();
    message.from = "+15559998888";
    message.callback_url = "https://cv.example.com/this-one";
    reply(200, kSentReply);
    ASSERT_TRUE(client().send(message).ok());
    EXPECT_EQ(sent_body(), json::parse(R"({"to":"+15557654321","from":"+15559998888","text":"Your code is 1234",
        "webhook_url":"https://cv.example.com/this-one"})"));
}

TEST_F(MessagingClientTest, TextIsEscapedAsJson) {
    reply(200, kSentReply);
    ASSERT_TRUE(client().send(sms("+15557654321", "Line \"one\"\nZweite Zeile ü")).ok());
    EXPECT_EQ(sent_body().at("text"), "Line \"one\"\nZweite Zeile ü");
}

TEST_F(MessagingClientTest, AnyTwoHundredIsSuccess) {
    reply(202, kSentReply);
    const auto sent = client().send(sms());
    ASSERT_TRUE(sent.ok());
    EXPECT_EQ(sent->vendor_message_id, kMessageId);
}

TEST_F(MessagingClientTest, RefusesEveryChannelButSmsWithoutSending) {
    for (const auto channel : {core::Channel::kWhatsapp, core::Channel::kChat, core::Channel::kVoice}) {
        auto message = sms();
        message.channel = channel;
        const auto sent = client().send(message);
        ASSERT_FALSE(sent.ok());
        EXPECT_EQ(sent.error().code, ErrorCode::kValidation);
        EXPECT_EQ(detail(sent.error(), "field"), "channel");
    }
    EXPECT_TRUE(http_.requests.empty());
}

TEST_F(MessagingClientTest, RefusesMissingFieldsWithoutSending) {
    const auto expect_field = [&](const OutboundMessage& message, std::string_view field) {
        const auto sent = client().send(message);
        ASSERT_FALSE(sent.ok());
        EXPECT_EQ(sent.error().code, ErrorCode::kValidation);
        EXPECT_EQ(detail(sent.error(), "field"), field);
    };
    expect_field(sms(""), "to");
    expect_field(sms("+15557654321", ""), "text");
    options_.default_from.clear();
    expect_field(sms(), "from");
    auto empty_from = sms();
    empty_from.from = "";
    expect_field(empty_from, "from");
    EXPECT_TRUE(http_.requests.empty());
}

TEST_F(MessagingClientTest, WithAProfileAndNoSenderTelnyxPicksFromThePool) {
    options_.default_from.clear();
    options_.messaging_profile_id = "profile-1";
    reply(200, kSentReply);
    ASSERT_TRUE(client().send(sms()).ok());
    EXPECT_EQ(sent_body(),
              json::parse(R"({"to":"+15557654321","text":"Your code is 1234","messaging_profile_id":"profile-1"})"));
}

constexpr std::string_view kInvalidNumber =
    R"({"errors":[{"code":"40310","title":"Invalid 'to' address","detail":"The 'to' address should be E.164.",
        "source":{"pointer":"/to"}}]})";

TEST_F(MessagingClientTest, BadRequestAndUnprocessableAreValidationWithTheVendorsWords) {
    for (const int status : {400, 422}) {
        http_.requests.clear();
        const auto error = refused(status, kInvalidNumber);
        EXPECT_EQ(error.code, ErrorCode::kValidation) << status;
        EXPECT_EQ(detail(error, "vendor_code"), "40310");
        EXPECT_EQ(detail(error, "vendor_title"), "Invalid 'to' address");
        EXPECT_EQ(detail(error, "vendor_detail"), "The 'to' address should be E.164.");
        EXPECT_EQ(detail(error, "vendor_pointer"), "/to");
        EXPECT_NE(error.message.find("Invalid 'to' address"), std::string::npos) << error.message;
    }
}

TEST_F(MessagingClientTest, UnauthorizedAndForbiddenAreVendorErrors) {
    for (const int status : {401, 403}) {
        http_.requests.clear();
        const auto error = refused(status, R"({"errors":[{"code":"10009","title":"Authentication failed",
            "detail":"The API key is not valid."}]})");
        EXPECT_EQ(error.code, ErrorCode::kVendor) << status;
        EXPECT_EQ(detail(error, "vendor_code"), "10009");
        EXPECT_EQ(detail(error, "vendor_title"), "Authentication failed");
        EXPECT_EQ(detail(error, "vendor_detail"), "The API key is not valid.");
    }
}

TEST_F(MessagingClientTest, TooManyRequestsIsRateLimitedWithTheWait) {
    const auto error =
        refused(429, R"({"errors":[{"code":"10011","title":"Too many requests"}]})", {{"x-ratelimit-reset", "7"}});
    EXPECT_EQ(error.code, ErrorCode::kRateLimited);
    EXPECT_EQ(detail(error, "vendor_code"), "10011");
    EXPECT_EQ(detail(error, "retry_after_seconds"), "7");
}

TEST_F(MessagingClientTest, OtherStatusesAreVendorErrors) {
    for (const int status : {404, 409, 500, 503}) {
        http_.requests.clear();
        const auto error = refused(status, R"({"errors":[{"code":"10001","title":"Something"}]})");
        EXPECT_EQ(error.code, ErrorCode::kVendor) << status;
        EXPECT_EQ(detail(error, "vendor_code"), "10001");
    }
}

TEST_F(MessagingClientTest, ABodyThatIsNotTelnyxsErrorShapeIsQuoted) {
    const auto error = refused(502, "<html>Bad gateway</html>");
    EXPECT_EQ(error.code, ErrorCode::kVendor);
    EXPECT_EQ(detail(error, "vendor_detail"), "<html>Bad gateway</html>");
}

TEST_F(MessagingClientTest, ASuccessWithoutAnIdIsAVendorError) {
    for (const std::string_view body : {R"({"data":{"record_type":"message"}})", R"({"data":{"id":""}})",
                                        R"({"data":{"id":7}})", R"({"data":[]})", R"([])", "not json"}) {
        http_.requests.clear();
        const auto error = refused(200, body);
        EXPECT_EQ(error.code, ErrorCode::kVendor) << body;
        EXPECT_TRUE(detail(error, "field") == "data.id" || detail(error, "field") == "data") << body;
    }
}

TEST_F(MessagingClientTest, NoAnswerPassesTheHttpClientsErrorThrough) {
    http_.replies.emplace_back(core::Error{ErrorCode::kTimeout, "deadline passed", {{"attempts", "1"}}});
    const auto timed_out = client().send(sms());
    ASSERT_FALSE(timed_out.ok());
    EXPECT_EQ(timed_out.error().code, ErrorCode::kTimeout);
    EXPECT_EQ(detail(timed_out.error(), "vendor"), "telnyx");
    EXPECT_EQ(detail(timed_out.error(), "attempts"), "1");

    http_.replies.emplace_back(core::Error::unavailable("connection refused"));
    const auto unreachable = client().send(sms());
    ASSERT_FALSE(unreachable.ok());
    EXPECT_EQ(unreachable.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(detail(unreachable.error(), "vendor"), "telnyx");
}

TEST_F(MessagingClientTest, TheApiKeyNeverAppearsInAnError) {
    const auto error = refused(401, R"({"errors":[{"code":"10009","title":"Authentication failed"}]})");
    EXPECT_EQ(error.message.find("KEY0123456789"), std::string::npos);
    for (const auto& [key, value] : error.details) EXPECT_EQ(value.find("KEY0123456789"), std::string::npos) << key;
}

}  // namespace
}  // namespace crossvoice::telnyx
