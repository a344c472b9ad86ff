#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/platform.hpp"

namespace crossvoice::core {

// What crossvoice asks the carrier to echo in every webhook of a call it placed (Telnyx `client_state`): enough
// to find the call without a lookup by the carrier's id, which may not be stored yet when the first webhook
// races the dial's reply. Text form "cv1|<platform>|<session id>|<call id>"; the carrier adapter base64s it.
struct CallClientState {
    Platform platform = Platform::kTetrix;
    std::string session_id;
    std::string call_id;
};

std::string encode_client_state(const CallClientState& state);
// nullopt for anything that is not exactly what encode_client_state writes (another application's state,
// a tampered value): the caller then falls back to the carrier's call id.
std::optional<CallClientState> decode_client_state(std::string_view text);

}  // namespace crossvoice::core
