#include "telnyx/webhook_verifier.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "support/fake_clock.hpp"

namespace crossvoice::telnyx {
namespace {

constexpr std::int64_t kNowSeconds = 1'790'000'000;
constexpr std::string_view kBody =
    R"({"data":{"event_type":"call.answered","id":"evt-1","occurred_at":"2026-09-21T14:13:20Z"}})";

std::string base64(std::string_view bytes, int variant = sodium_base64_VARIANT_ORIGINAL) {
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      variant);
    out.resize(out.size() - 1);  // libsodium counts the terminating NUL
    return out;
}

std::string_view reason_of(const core::Error& error) {
    for (const auto& [key, value] : error.details) {
        if (key == "reason") return value;
    }
    return "";
}

std::string_view field_of(const core::Error& error) {
    for (const auto& [key, value] : error.details) {
        if (key == "field") return value;
    }
    return "";
}

class WebhookVerifierTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_GE(sodium_init(), 0);
        crypto_sign_keypair(public_key_.data(), secret_key_.data());
        auto made = WebhookVerifier::create(base64(key_bytes()), clock_);
        ASSERT_TRUE(made.ok()) << made.error().message;
        verifier_.emplace(std::move(made).value());
    }

    std::string_view key_bytes() const {
        return {reinterpret_cast<const char*>(public_key_.data()), public_key_.size()};
    }

    // The raw 64-byte signature over "<timestamp>|<body>" with this test's secret key.
    std::string sign_raw(std::string_view timestamp, std::string_view body) const {
        const std::string message = std::string(timestamp) + "|" + std::string(body);
        std::array<unsigned char, crypto_sign_BYTES> signature{};
        crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                             message.size(), secret_key_.data());
        return {reinterpret_cast<const char*>(signature.data()), signature.size()};
    }

    std::string sign(std::string_view timestamp, std::string_view body = kBody) const {
        return base64(sign_raw(timestamp, body));
    }

    // Signs with timestamp now + offset and verifies it.
    core::Status at_offset(std::int64_t offset_seconds) const {
        const auto timestamp = std::to_string(kNowSeconds + offset_seconds);
        return verifier_->verify(sign(timestamp), timestamp, kBody);
    }

    testing::FakeClock clock_{kNowSeconds * 1000};
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key_{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key_{};
    std::optional<WebhookVerifier> verifier_;
};

void expect_refused(const core::Status& status, std::string_view reason, std::string_view in_message) {
    ASSERT_FALSE(status.ok()) << "expected refusal: " << reason;
    EXPECT_EQ(status.error().code, core::ErrorCode::kUnauthorized);
    EXPECT_EQ(reason_of(status.error()), reason);
    EXPECT_NE(status.error().message.find(in_message), std::string::npos) << status.error().message;
}

TEST_F(WebhookVerifierTest, AcceptsAGoodSignature) {
    const auto timestamp = std::to_string(kNowSeconds);
    const auto status = verifier_->verify(sign(timestamp), timestamp, kBody);
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
}

TEST_F(WebhookVerifierTest, AcceptsASignatureWithoutPadding) {
    const auto timestamp = std::to_string(kNowSeconds);
    const auto unpadded = base64(sign_raw(timestamp, kBody), sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    ASSERT_EQ(unpadded.find('='), std::string::npos);
    EXPECT_TRUE(verifier_->verify(unpadded, timestamp, kBody).ok());
}

TEST_F(WebhookVerifierTest, AcceptsAnEmptyBody) {
    const auto timestamp = std::to_string(kNowSeconds);
    EXPECT_TRUE(verifier_->verify(sign(timestamp, ""), timestamp, "").ok());
}

TEST_F(WebhookVerifierTest, VerifiesTheTimestampAsReceived) {
    // Leading zeros are still decimal seconds; the signature covers the text exactly as sent.
    const auto timestamp = "0" + std::to_string(kNowSeconds);
    EXPECT_TRUE(verifier_->verify(sign(timestamp), timestamp, kBody).ok());
    expect_refused(verifier_->verify(sign(std::to_string(kNowSeconds)), timestamp, kBody), "signature_mismatch",
                   "does not match");
}

TEST_F(WebhookVerifierTest, RefusesASignatureFromAnotherKey) {
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> other_public{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> other_secret{};
    crypto_sign_keypair(other_public.data(), other_secret.data());
    const auto timestamp = std::to_string(kNowSeconds);
    const std::string message = timestamp + "|" + std::string(kBody);
    std::array<unsigned char, crypto_sign_BYTES> signature{};
    crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), other_secret.data());
    const std::string raw(reinterpret_cast<const char*>(signature.data()), signature.size());
    expect_refused(verifier_->verify(base64(raw), timestamp, kBody), "signature_mismatch", "does not match");
}

TEST_F(WebhookVerifierTest, RefusesAFlippedSignatureBit) {
    const auto timestamp = std::to_string(kNowSeconds);
    auto raw = sign_raw(timestamp, kBody);
    raw[10] = static_cast<char>(raw[10] ^ 0x01);
    expect_refused(verifier_->verify(base64(raw), timestamp, kBody), "signature_mismatch", "does not match");
}

TEST_F(WebhookVerifierTest, RefusesATamperedBody) {
    const auto timestamp = std::to_string(kNowSeconds);
    std::string tampered(kBody);
    tampered.replace(tampered.find("answered"), 8, "hangup..");
    expect_refused(verifier_->verify(sign(timestamp), timestamp, tampered), "signature_mismatch", "does not match");
    expect_refused(verifier_->verify(sign(timestamp), timestamp, std::string(kBody) + " "), "signature_mismatch",
                   "does not match");
}

TEST_F(WebhookVerifierTest, RefusesATamperedTimestamp) {
    // Replaying an old delivery with a fresh timestamp header breaks the signature.
    const auto signed_at = std::to_string(kNowSeconds - 1000);
    const auto fresh = std::to_string(kNowSeconds);
    expect_refused(verifier_->verify(sign(signed_at), fresh, kBody), "signature_mismatch", "does not match");
}

TEST_F(WebhookVerifierTest, RefusesStaleAndFutureTimestamps) {
    expect_refused(at_offset(-301), "timestamp_out_of_window", "outside the 300 s window");
    expect_refused(at_offset(-3600), "timestamp_out_of_window", "old");
    expect_refused(at_offset(301), "timestamp_out_of_window", "in the future");
    expect_refused(at_offset(86400), "timestamp_out_of_window", "outside the 300 s window");
    expect_refused(verifier_->verify(sign("0"), "0", kBody), "timestamp_out_of_window", "old");
}

TEST_F(WebhookVerifierTest, WindowEdgesAreInclusive) {
    EXPECT_TRUE(at_offset(-300).ok());
    EXPECT_TRUE(at_offset(300).ok());
    EXPECT_FALSE(at_offset(-301).ok());
    EXPECT_FALSE(at_offset(301).ok());
}

TEST_F(WebhookVerifierTest, WindowFollowsTheClock) {
    const auto timestamp = std::to_string(kNowSeconds);
    const auto signature = sign(timestamp);
    EXPECT_TRUE(verifier_->verify(signature, timestamp, kBody).ok());
    // Now is compared in whole seconds: 300.999 s later is still 300.
    clock_.advance_ms(300'999);
    EXPECT_TRUE(verifier_->verify(signature, timestamp, kBody).ok());
    clock_.advance_ms(1);
    expect_refused(verifier_->verify(signature, timestamp, kBody), "timestamp_out_of_window", "301 s old");
}

TEST_F(WebhookVerifierTest, RefusesMissingHeaders) {
    const auto timestamp = std::to_string(kNowSeconds);
    expect_refused(verifier_->verify(std::nullopt, timestamp, kBody), "missing_signature",
                   "missing Telnyx-Signature-Ed25519 header");
    expect_refused(verifier_->verify(sign(timestamp), std::nullopt, kBody), "missing_timestamp",
                   "missing Telnyx-Timestamp header");
    expect_refused(verifier_->verify(std::nullopt, std::nullopt, kBody), "missing_signature", "missing");
}

TEST_F(WebhookVerifierTest, RefusesMalformedTimestamps) {
    for (const char* timestamp : {"12a", "", "-5", "+1790000000", " 1790000000", "1790000000 ", "1790000000.0",
                                  "1.79e9", "0x6AB1A780", "99999999999999999999999"}) {
        expect_refused(verifier_->verify(sign(timestamp), std::string_view(timestamp), kBody), "malformed_timestamp",
                       "malformed Telnyx-Timestamp");
    }
}

TEST_F(WebhookVerifierTest, RefusesSignaturesThatAreNotBase64) {
    const auto timestamp = std::to_string(kNowSeconds);
    const auto good = sign(timestamp);
    // Wrong "=" count, surrounding whitespace, padding after a full group, a URL-safe alphabet character.
    for (const std::string& bad : {std::string("not base64!!"), good.substr(0, good.size() - 1), " " + good,
                                   good + "\n", std::string("AAAA="), "-" + good.substr(1)}) {
        expect_refused(verifier_->verify(bad, timestamp, kBody), "signature_not_base64", "not base64");
    }
}

TEST_F(WebhookVerifierTest, RefusesSignaturesOfTheWrongLength) {
    const auto timestamp = std::to_string(kNowSeconds);
    const auto raw = sign_raw(timestamp, kBody);
    expect_refused(verifier_->verify(base64(raw.substr(0, 63)), timestamp, kBody), "signature_wrong_length",
                   "must be 64 bytes, not 63");
    expect_refused(verifier_->verify(base64(raw + "x"), timestamp, kBody), "signature_wrong_length",
                   "must be 64 bytes, not 65");
    expect_refused(verifier_->verify("", timestamp, kBody), "signature_wrong_length", "not 0");
}

TEST(WebhookVerifierKey, RefusesBadPublicKeys) {
    ASSERT_GE(sodium_init(), 0);
    const testing::FakeClock clock;
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};
    crypto_sign_keypair(public_key.data(), secret_key.data());
    const std::string key(reinterpret_cast<const char*>(public_key.data()), public_key.size());

    const std::string zeros(32, '\0');  // decodes to a point of small order
    for (const std::string& bad : {std::string(""), std::string("not base64!!"), base64(key.substr(0, 31)),
                                   base64(key + "x"), base64(zeros), base64(key) + "\n"}) {
        const auto made = WebhookVerifier::create(bad, clock);
        ASSERT_FALSE(made.ok()) << bad;
        EXPECT_EQ(made.error().code, core::ErrorCode::kValidation);
        EXPECT_EQ(field_of(made.error()), "TELNYX_PUBLIC_KEY");
        EXPECT_EQ(made.error().message.rfind("TELNYX_PUBLIC_KEY: ", 0), 0u) << made.error().message;
    }
    EXPECT_NE(WebhookVerifier::create(base64(key.substr(0, 31)), clock).error().message.find("not 31"),
              std::string::npos);
    EXPECT_TRUE(WebhookVerifier::create(base64(key), clock).ok());
    EXPECT_TRUE(WebhookVerifier::create(base64(key, sodium_base64_VARIANT_ORIGINAL_NO_PADDING), clock).ok());
}

}  // namespace
}  // namespace crossvoice::telnyx
