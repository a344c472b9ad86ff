#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace crossvoice::telnyx {

// Checks the Ed25519 signature Telnyx puts on every webhook (Call Control, TeXML, messaging): the
// `Telnyx-Signature-Ed25519` header signs the bytes "<Telnyx-Timestamp>|<raw body>" with the account's key.
// The timestamp window stops a captured delivery from being replayed later. Thread-safe: verify() only reads.
class WebhookVerifier {
  public:
    static constexpr std::size_t kPublicKeyBytes = 32;
    static constexpr std::size_t kSignatureBytes = 64;
    // The official SDKs refuse a delivery more than this far from now, in either direction.
    static constexpr std::int64_t kToleranceSeconds = 300;

    // `public_key_base64` is TELNYX_PUBLIC_KEY: base64 of the raw 32-byte key. A key that is not base64, not
    // 32 bytes or not an Ed25519 point is a validation error naming TELNYX_PUBLIC_KEY, so the service refuses
    // to start instead of answering every webhook 401. `clock` must outlive the verifier.
    static core::Result<WebhookVerifier> create(std::string_view public_key_base64, const core::Clock& clock);

    // The header values as received (absent headers as nullopt) and the body bytes exactly as they came off
    // the wire. Every refusal is kUnauthorized with the reason in the message and in details["reason"].
    core::Status verify(std::optional<std::string_view> signature_base64, std::optional<std::string_view> timestamp,
                        std::string_view raw_body) const;

  private:
    WebhookVerifier(const std::array<unsigned char, kPublicKeyBytes>& key, const core::Clock& clock)
        : key_(key), clock_(&clock) {}

    std::array<unsigned char, kPublicKeyBytes> key_;
    const core::Clock* clock_;
};

}  // namespace crossvoice::telnyx
