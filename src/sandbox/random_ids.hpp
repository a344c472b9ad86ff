#pragma once

#include <string>

namespace crossvoice::sandbox {

// Identifiers in the shapes Telnyx uses. Random (libsodium), thread-safe.

// A lower-case UUID v4, as Telnyx's call_leg_id, call_session_id and event ids.
std::string random_uuid();

// "v3:" and 32 URL-safe base64 characters, like a real call_control_id; safe in a URL path unescaped.
std::string random_call_control_id();

}  // namespace crossvoice::sandbox
