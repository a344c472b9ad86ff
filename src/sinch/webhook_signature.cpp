#include "sinch/webhook_signature.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>

namespace crossvoice::sinch {
namespace {

core::Error refused(std::string_view reason, std::string message) {
    return core::Error{core::ErrorCode::kUnauthorized,
                       "Sinch callback signature check failed: " + std::move(message),
                       {{"reason", std::string(reason)}}};
}

const unsigned char* bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

// Decimal Unix seconds only: no sign, no spaces, no fraction, nothing that overflows.
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

std::string callback_signature(std::string_view secret, std::string_view body, std::string_view nonce,
                               std::string_view timestamp) {
    // Streamed rather than concatenated: the body may be large, and the signed text is never needed whole.
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, bytes(secret), secret.size());
    for (const std::string_view part : {body, std::string_view("."), nonce, std::string_view("."), timestamp}) {
        crypto_auth_hmacsha256_update(&state, bytes(part), part.size());
    }
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_final(&state, mac.data());
    std::array<char, sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)> text{};
    sodium_bin2base64(text.data(), text.size(), mac.data(), mac.size(), sodium_base64_VARIANT_ORIGINAL);
    return std::string(text.data());
}

core::Status verify_callback(std::string_view secret, const core::ports::ChannelDelivery& delivery, core::TimePoint now,
                             std::chrono::seconds window) {
    if (!delivery.signature || delivery.signature->empty()) {
        return refused("missing_signature", "no x-sinch-webhook-signature header");
    }
    if (!delivery.nonce || delivery.nonce->empty()) {
        return refused("missing_nonce", "no x-sinch-webhook-signature-nonce header");
    }
    if (!delivery.timestamp || delivery.timestamp->empty()) {
        return refused("missing_timestamp", "no x-sinch-webhook-signature-timestamp header");
    }
    if (delivery.algorithm && *delivery.algorithm != "HmacSHA256") {
        return refused("unsupported_algorithm", "x-sinch-webhook-signature-algorithm must be HmacSHA256");
    }
    const auto seconds = parse_unix_seconds(*delivery.timestamp);
    if (!seconds) {
        return refused("bad_timestamp", "x-sinch-webhook-signature-timestamp must be decimal Unix seconds");
    }
    // Whole seconds of now; cannot overflow: *seconds >= 0 and now is a real time.
    const std::int64_t skew = core::to_unix_ms(now) / 1000 - *seconds;
    if (skew > window.count()) {
        return refused("stale_timestamp",
                       fmt::format("the timestamp is {} s old (at most {} s)", skew, window.count()));
    }
    if (skew < -window.count()) {
        return refused("future_timestamp",
                       fmt::format("the timestamp is {} s in the future (at most {} s)", -skew, window.count()));
    }
    // The timestamp is signed as received, so it is used as received (a re-formatted number would not match).
    const auto expected = callback_signature(secret, delivery.body, *delivery.nonce, *delivery.timestamp);
    const std::string_view given = *delivery.signature;
    // The length is public (always 44 for a real signature); the content is compared in constant time.
    if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), expected.size()) != 0) {
        return refused("bad_signature", "x-sinch-webhook-signature does not match the body, nonce and timestamp");
    }
    return {};
}

}  // namespace crossvoice::sinch
