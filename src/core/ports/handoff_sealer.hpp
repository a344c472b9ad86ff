#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/handoff.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// Seals hand-off claims into an opaque, tamper-proof, URL-safe token and opens such tokens again. Only the
// holder of the key (derived from CROSS_PLATFORM_SESSION_SECRET) can make or read one; the token text reveals
// nothing of the claims. Thread-safe.
class HandoffSealer {
  public:
    virtual ~HandoffSealer() = default;

    // A token for `claims` (check them first with core::check_handoff_claims: claims that fail it give an empty
    // string, which open() refuses). An empty token_id is replaced by a random one. Sealing the same claims
    // twice gives different tokens.
    virtual std::string seal(const HandoffClaims& claims) = 0;

    // The claims of a token this sealer (or one with the same secret) made, checked against `now`. Errors:
    // - kValidation "not a hand-off token", details["reason"] "prefix" (not "cvh1."), "length" (too short or too
    //   long), "base64" (not unpadded base64url), "claims" (authentic but unreadable: a platform this build does
    //   not know, or a field out of bounds);
    // - kUnauthorized "hand-off token failed authentication", reason "tampered" (altered, or sealed with another
    //   secret);
    // - kUnauthorized "hand-off token expired", reason "expired", details["expired_at"] (RFC 3339), when
    //   now >= expires_at;
    // - kUnauthorized "hand-off token issued in the future", reason "not_yet_valid", details["issued_at"], when
    //   issued_at is more than 60 s after `now` (clock skew between instances is tolerated up to that).
    // Details never carry the secret, the key or the token.
    virtual Result<HandoffClaims> open(std::string_view token, TimePoint now) const = 0;
};

}  // namespace crossvoice::core::ports
