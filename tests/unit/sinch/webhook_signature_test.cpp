#include "sinch/webhook_signature.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "sinch/sinch_webhooks.hpp"
#include "support/error_detail.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_sinch_server.hpp"

namespace crossvoice::sinch {
namespace {

using core::ports::ChannelDelivery;

// The known answer from Sinch's own SDK tests: sinch/sinch-sdk-dotnet,
// tests/Sinch.Tests/Conversation/WebhooksTests.cs, ValidateRequest (a contact_create_notification callback).
// Also checked independently: printf '%s' "$body.$nonce.$timestamp" | openssl dgst -sha256 -hmac foo_secret1234
// -binary | base64.
constexpr std::string_view kSdkBody =
    R"({"app_id":"","accepted_time":"2021-10-18T17:49:13.813615Z","project_id":"e2df3a34-a71b-4448-9db5-a8d2baad28e4",)"
    R"("contact_create_notification":{"contact":{"id":"01FJA8B466Y0R2GNXD78MD9SM1","channel_identities":[{"channel":)"
    R"("SMS","identity":"48123456789","app_id":""}],"display_name":"New Test Contact","email":"new.contact@email.com",)"
    R"("external_id":"","metadata":"","language":"EN_US"}},"message_metadata":""})";
constexpr std::string_view kSdkNonce = "01FJA8B4A7BM43YGWSG9GBV067";
constexpr std::string_view kSdkTimestamp = "1634579353";
constexpr std::int64_t kSdkSeconds = 1634579353;
constexpr std::string_view kSdkSignature = "6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewOE=";
constexpr std::string_view kSdkSecret = "foo_secret1234";

core::TimePoint at_unix(std::int64_t seconds, std::int64_t extra_ms = 0) {
    return core::from_unix_ms(seconds * 1000 + extra_ms);
}

ChannelDelivery sdk_delivery() {
    return {kSdkSignature, kSdkNonce, kSdkTimestamp, std::string_view("HmacSHA256"), kSdkBody};
}

// "accepted", or the refusal's details["reason"] (and a wrong error code shows up as a mismatch too).
std::string outcome(const core::Status& status) {
    if (status) return "accepted";
    if (status.error().code != core::ErrorCode::kUnauthorized) return "not kUnauthorized: " + status.error().message;
    return testing::detail(status.error(), "reason").value_or("no reason");
}

std::string check(const ChannelDelivery& delivery, core::TimePoint now = at_unix(kSdkSeconds),
                  std::chrono::seconds window = kDefaultSignatureWindow) {
    return outcome(verify_callback(kSdkSecret, delivery, now, window));
}

TEST(SinchSignatureTest, MatchesTheKnownAnswerFromSinchsSdk) {
    EXPECT_EQ(callback_signature(kSdkSecret, kSdkBody, kSdkNonce, kSdkTimestamp), kSdkSignature);
    EXPECT_EQ(check(sdk_delivery()), "accepted");
}

TEST(SinchSignatureTest, TheAlgorithmHeaderMayBeAbsentButNotAnother) {
    auto delivery = sdk_delivery();
    delivery.algorithm.reset();
    EXPECT_EQ(check(delivery), "accepted");
    for (const std::string_view other : {"HmacSHA512", "hmacsha256", "HMAC-SHA256", ""}) {
        delivery.algorithm = other;
        EXPECT_EQ(check(delivery), "unsupported_algorithm") << other;
    }
}

TEST(SinchSignatureTest, MissingHeadersAreNamed) {
    auto delivery = sdk_delivery();
    delivery.signature.reset();
    EXPECT_EQ(check(delivery), "missing_signature");
    delivery.signature = std::string_view("");
    EXPECT_EQ(check(delivery), "missing_signature");

    delivery = sdk_delivery();
    delivery.nonce.reset();
    EXPECT_EQ(check(delivery), "missing_nonce");
    delivery.nonce = std::string_view("");
    EXPECT_EQ(check(delivery), "missing_nonce");

    delivery = sdk_delivery();
    delivery.timestamp.reset();
    EXPECT_EQ(check(delivery), "missing_timestamp");
    delivery.timestamp = std::string_view("");
    EXPECT_EQ(check(delivery), "missing_timestamp");
}

TEST(SinchSignatureTest, ATimestampMustBeDecimalUnixSeconds) {
    auto delivery = sdk_delivery();
    for (const std::string_view bad : {"16345x9353", "-1634579353", "+1634579353", " 1634579353", "1634579353.0",
                                       "2021-10-18T17:49:13Z", "99999999999999999999999"}) {
        delivery.timestamp = bad;
        EXPECT_EQ(check(delivery), "bad_timestamp") << bad;
    }
}

TEST(SinchSignatureTest, TheWindowIsInclusiveBothWays) {
    const auto delivery = sdk_delivery();
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds + 300)), "accepted");
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds + 300, 999)), "accepted") << "whole seconds of now are compared";
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds + 301)), "stale_timestamp");
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds - 300)), "accepted");
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds - 301)), "future_timestamp");
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds + 86'400)), "stale_timestamp");

    // A configured window.
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds + 30), std::chrono::seconds(30)), "accepted");
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds + 31), std::chrono::seconds(30)), "stale_timestamp");
    EXPECT_EQ(check(delivery, at_unix(kSdkSeconds - 31), std::chrono::seconds(30)), "future_timestamp");
}

TEST(SinchSignatureTest, AnyChangeToTheSignedPartsBreaksTheSignature) {
    const std::string tampered_body = std::string(kSdkBody).replace(kSdkBody.find("New Test"), 3, "Old");
    auto delivery = sdk_delivery();
    delivery.body = tampered_body;
    EXPECT_EQ(check(delivery), "bad_signature");

    const std::string with_space = std::string(kSdkBody) + " ";  // re-serialised JSON is not the same bytes
    delivery.body = with_space;
    EXPECT_EQ(check(delivery), "bad_signature");

    delivery = sdk_delivery();
    delivery.nonce = std::string_view("01FJA8B4A7BM43YGWSG9GBV068");
    EXPECT_EQ(check(delivery), "bad_signature");

    delivery = sdk_delivery();
    delivery.timestamp = std::string_view("1634579354");  // in the window, but not what was signed
    EXPECT_EQ(check(delivery), "bad_signature");
    delivery.timestamp = std::string_view("01634579353");  // the same number, written differently
    EXPECT_EQ(check(delivery), "bad_signature");

    EXPECT_EQ(outcome(verify_callback("foo_secret1235", sdk_delivery(), at_unix(kSdkSeconds))), "bad_signature");

    delivery = sdk_delivery();
    const std::string truncated(kSdkSignature.substr(0, 43));
    delivery.signature = truncated;
    EXPECT_EQ(check(delivery), "bad_signature");
    const std::string hex_instead = "e9ba49a19185a175627c9215825328273617c67a3146e8f47e493618e5dec0e1";
    delivery.signature = hex_instead;
    EXPECT_EQ(check(delivery), "bad_signature");
}

TEST(SinchSignatureTest, TheTestFakeSignsTheSameWay) {
    // tests/support computes its HMAC separately: both must agree with Sinch's vector, or integration tests would
    // only prove that our two implementations share a bug.
    EXPECT_EQ(testing::sinch_callback_signature(std::string(kSdkSecret), std::string(kSdkBody), std::string(kSdkNonce),
                                                std::string(kSdkTimestamp)),
              kSdkSignature);
}

// --- SinchWebhooks: the port ----------------------------------------------------------------------------------

constexpr std::int64_t kNowSeconds = 1'790'000'000;

ChannelDelivery delivery_of(const testing::SignedSinchCallback& callback) {
    const auto header = [&](const char* name) -> std::optional<std::string_view> {
        for (const auto& [key, value] : callback.headers) {
            if (key == name) return std::string_view(value);
        }
        return std::nullopt;
    };
    return {header("x-sinch-webhook-signature"), header("x-sinch-webhook-signature-nonce"),
            header("x-sinch-webhook-signature-timestamp"), header("x-sinch-webhook-signature-algorithm"),
            callback.body};
}

TEST(SinchWebhooksTest, WithASecretOnlySignedCallbacksAreRead) {
    testing::FakeClock clock(kNowSeconds * 1000);
    SinchWebhooks webhooks(std::string("s3cret"), clock);
    const auto callback = testing::make_sinch_callback({}, "s3cret", kNowSeconds);

    auto event = webhooks.read(delivery_of(callback));
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->kind, core::ChannelEventKind::kMessage);
    EXPECT_EQ(event->text, "hello");

    auto unsigned_delivery = delivery_of(callback);
    unsigned_delivery.signature.reset();
    unsigned_delivery.nonce.reset();
    unsigned_delivery.timestamp.reset();
    unsigned_delivery.algorithm.reset();
    EXPECT_EQ(outcome(core::Status(webhooks.read(unsigned_delivery).error())), "missing_signature");

    const auto other_secret = testing::make_sinch_callback({}, "not-the-secret", kNowSeconds);
    EXPECT_EQ(outcome(core::Status(webhooks.read(delivery_of(other_secret)).error())), "bad_signature");

    clock.advance_ms(301'000);
    EXPECT_EQ(outcome(core::Status(webhooks.read(delivery_of(callback)).error())), "stale_timestamp");
}

TEST(SinchWebhooksTest, TheWindowIsConfigurable) {
    testing::FakeClock clock(kNowSeconds * 1000);
    SinchWebhooks webhooks(std::string("s3cret"), clock, std::chrono::seconds(10));
    const auto callback = testing::make_sinch_callback({}, "s3cret", kNowSeconds - 11);
    EXPECT_EQ(outcome(core::Status(webhooks.read(delivery_of(callback)).error())), "stale_timestamp");
}

TEST(SinchWebhooksTest, TheSignatureIsCheckedBeforeTheBodyIsRead) {
    testing::FakeClock clock(kNowSeconds * 1000);
    SinchWebhooks webhooks(std::string("s3cret"), clock);
    const auto garbage = testing::sign_sinch_callback("not json", "another", kNowSeconds);
    EXPECT_EQ(webhooks.read(delivery_of(garbage)).error().code, core::ErrorCode::kUnauthorized);
    const auto signed_garbage = testing::sign_sinch_callback("not json", "s3cret", kNowSeconds);
    EXPECT_EQ(webhooks.read(delivery_of(signed_garbage)).error().code, core::ErrorCode::kBadRequest);
}

TEST(SinchWebhooksTest, WithoutASecretCallbacksAreReadUnsigned) {
    // Sinch signs only when the webhook has a secret: with none configured there is nothing to check against,
    // so signature headers, good or bad, are ignored.
    testing::FakeClock clock(kNowSeconds * 1000);
    SinchWebhooks open(std::nullopt, clock);
    const auto callback = testing::make_sinch_callback({}, "whatever", 1);
    auto bare = delivery_of(callback);
    EXPECT_TRUE(open.read(bare).ok());
    bare.signature.reset();
    bare.nonce.reset();
    bare.timestamp.reset();
    EXPECT_TRUE(open.read(bare).ok());
    EXPECT_EQ(open.read({std::nullopt, std::nullopt, std::nullopt, std::nullopt, "[]"}).error().code,
              core::ErrorCode::kBadRequest);
}

}  // namespace
}  // namespace crossvoice::sinch
