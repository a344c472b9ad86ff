#include "telnyx/webhook_verifier.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "telnyx/base64.hpp"

namespace crossvoice::telnyx {
namespace {

static_assert(WebhookVerifier::kPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(WebhookVerifier::kSignatureBytes == crypto_sign_BYTES);

constexpr std::string_view kKeyVariable = "TELNYX_PUBLIC_KEY";

core::Error refused(std::string_view reason, std::string message) {
    return core::Error::unauthorized("webhook signature check failed: " + message).with("reason", std::string(reason));
}

core::Error bad_key(std::string_view problem) {
    return core::Error::validation(std::string(kKeyVariable), fmt::format("{}: {}", kKeyVariable, problem));
}

// Decimal Unix seconds only: no sign, no spaces, no fraction. Anything else is not what Telnyx sends.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text) {
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

core::Result<WebhookVerifier> WebhookVerifier::create(std::string_view public_key_base64, const core::Clock& clock) {
    if (sodium_init() < 0) return core::Error::internal("libsodium failed to initialise");
    if (public_key_base64.empty()) return bad_key("is empty; set it to the base64 public key from the Telnyx portal");
    const auto decoded = decode_base64(public_key_base64);
    if (!decoded) return bad_key("is not base64");
    if (decoded->size() != kPublicKeyBytes) {
        return bad_key(fmt::format("must decode to {} bytes, not {}", kPublicKeyBytes, decoded->size()));
    }
    std::array<unsigned char, kPublicKeyBytes> key{};
    std::copy(decoded->begin(), decoded->end(), key.begin());
    // Refused here rather than at every verify(): crypto_sign_verify_detached would reject every signature
    // under a small-order or off-curve key, which looks like an attack instead of a typo.
    if (crypto_core_ed25519_is_valid_point(key.data()) != 1) return bad_key("is not a valid Ed25519 public key");
    return WebhookVerifier(key, clock);
}

core::Status WebhookVerifier::verify(std::optional<std::string_view> signature_base64,
                                     std::optional<std::string_view> timestamp, std::string_view raw_body) const {
    if (!signature_base64) return refused("missing_signature", "missing Telnyx-Signature-Ed25519 header");
    if (!timestamp) return refused("missing_timestamp", "missing Telnyx-Timestamp header");

    const auto seconds = parse_unix_seconds(*timestamp);
    if (!seconds) {
        return refused("malformed_timestamp", "malformed Telnyx-Timestamp header: must be decimal Unix seconds");
    }
    // Whole seconds of now, as the official SDK compares; |now - t| > tolerance is refused both ways, so a
    // clock skewed into the future cannot pre-sign deliveries either.
    const std::int64_t now = core::to_unix_ms(clock_->now()) / 1000;
    const std::int64_t skew = now - *seconds;  // cannot overflow: seconds >= 0 and now is a real time
    if (skew > kToleranceSeconds || skew < -kToleranceSeconds) {
        return refused("timestamp_out_of_window",
                       fmt::format("Telnyx-Timestamp is outside the {} s window ({} s {})", kToleranceSeconds,
                                   skew < 0 ? -skew : skew, skew < 0 ? "in the future" : "old"));
    }

    const auto signature = decode_base64(*signature_base64);
    if (!signature) return refused("signature_not_base64", "Telnyx-Signature-Ed25519 header is not base64");
    if (signature->size() != kSignatureBytes) {
        return refused("signature_wrong_length", fmt::format("Telnyx-Signature-Ed25519 must be {} bytes, not {}",
                                                             kSignatureBytes, signature->size()));
    }

    // The timestamp is signed as received, so a re-formatted number (leading zeros dropped) would not match.
    std::string message;
    message.reserve(timestamp->size() + 1 + raw_body.size());
    message.append(*timestamp).append("|").append(raw_body);
    if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature->data()),
                                    reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                    key_.data()) != 0) {
        return refused("signature_mismatch", "Telnyx-Signature-Ed25519 does not match the body and timestamp");
    }
    return {};
}

}  // namespace crossvoice::telnyx
