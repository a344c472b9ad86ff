#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ports/channel_webhooks.hpp"
#include "core/result.hpp"

namespace crossvoice::sinch {

// Sinch documents no tolerance for the signature timestamp; this is ours, either side of now.
inline constexpr std::chrono::seconds kDefaultSignatureWindow{300};

// base64(HMAC-SHA256(key = secret as bytes, raw body + "." + nonce + "." + timestamp)): the
// x-sinch-webhook-signature Sinch puts on the callbacks of a webhook that has a secret (vendor-apis.md G).
std::string callback_signature(std::string_view secret, std::string_view body, std::string_view nonce,
                               std::string_view timestamp);

// Checks one delivery's x-sinch-webhook-signature* headers against `secret`, over the body bytes exactly as they
// came off the wire. The timestamp (decimal Unix seconds) must be within `window` of `now`, both ways, edges
// included; remembering nonces inside the window is the caller's job. The algorithm header may be absent; when
// present it must be HmacSHA256. The signature is compared in constant time.
// Every refusal is kUnauthorized with details["reason"]: missing_signature, missing_nonce, missing_timestamp,
// unsupported_algorithm, bad_timestamp, stale_timestamp, future_timestamp or bad_signature.
core::Status verify_callback(std::string_view secret, const core::ports::ChannelDelivery& delivery, core::TimePoint now,
                             std::chrono::seconds window = kDefaultSignatureWindow);

}  // namespace crossvoice::sinch
