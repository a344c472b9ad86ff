#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/platform.hpp"
#include "core/result.hpp"

namespace crossvoice::core {

// What a cross-platform hand-off token says: this session, begun on `from_platform`, may be continued once on
// `to_platform` (by this user, when named) until `expires_at`. Sealed and opened by ports::HandoffSealer;
// single-use marking (on token_id) and the platform checks belong to the service.
struct HandoffClaims {
    std::string token_id;  // 16 random bytes as 32 lower-case hex digits; empty when sealing = the sealer picks one
    std::string session_id;
    Platform from_platform = Platform::kTetrix;
    Platform to_platform = Platform::kJoromi;
    std::optional<std::string> user_id;
    TimePoint issued_at{};
    TimePoint expires_at{};
};

// Bounds that keep a token short enough for a URL; the sealer's layout depends on them (one length byte each).
inline constexpr std::size_t kHandoffTokenIdHexDigits = 32;
inline constexpr std::size_t kMaxHandoffSessionIdBytes = 255;
inline constexpr std::size_t kMaxHandoffUserIdBytes = 255;
// Times a token may carry: 1970-01-01 to 9999-12-31, so that every one of them formats as RFC 3339.
inline constexpr std::int64_t kMaxHandoffUnixMs = 253'402'300'799'999;

inline bool is_handoff_token_id(const std::string& text) {
    return text.size() == kHandoffTokenIdHexDigits && std::all_of(text.begin(), text.end(), [](char ch) {
               return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
           });
}

// Whether claims can be sealed: call before HandoffSealer::seal, which refuses (an empty token) what fails here.
// kValidation naming the field: token_id neither empty nor 32 lower-case hex digits; session_id empty or longer
// than 255 bytes; user_id present but empty or longer than 255 bytes; times outside 1970–9999; expires_at not
// after issued_at.
inline Status check_handoff_claims(const HandoffClaims& claims) {
    if (!claims.token_id.empty() && !is_handoff_token_id(claims.token_id)) {
        return Error::validation("token_id", "token_id must be 32 lower-case hex digits");
    }
    if (claims.session_id.empty() || claims.session_id.size() > kMaxHandoffSessionIdBytes) {
        return Error::validation("session_id", "session_id must be 1 to 255 bytes");
    }
    if (claims.user_id && (claims.user_id->empty() || claims.user_id->size() > kMaxHandoffUserIdBytes)) {
        return Error::validation("user_id", "user_id must be 1 to 255 bytes when present");
    }
    for (const auto& [field, time] :
         {std::pair{"issued_at", claims.issued_at}, std::pair{"expires_at", claims.expires_at}}) {
        if (to_unix_ms(time) < 0 || to_unix_ms(time) > kMaxHandoffUnixMs) {
            return Error::validation(field, std::string(field) + " must be between 1970 and 9999");
        }
    }
    if (claims.expires_at <= claims.issued_at)
        return Error::validation("expires_at", "expires_at must be after issued_at");
    return {};
}

}  // namespace crossvoice::core
