#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crossvoice::telnyx {

// Standard (RFC 4648 §4) base64, as Telnyx uses for signatures, public keys and client_state. Padding is
// optional, but when present it must be exact; no whitespace; non-canonical trailing bits are refused.
// Calls sodium_init() itself, so it is safe before anything else has.
std::optional<std::string> decode_base64(std::string_view text);

// Standard base64 with padding, e.g. for the client_state Telnyx requires on commands. Any bytes encode.
std::string encode_base64(std::string_view bytes);

}  // namespace crossvoice::telnyx
