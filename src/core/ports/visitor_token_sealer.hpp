#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/platform.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// What a widget visitor's token says: its holder may read and write this one session, as a visitor of
// `platform`, until `expires_at`. Visitors have no API key; the token is their only credential.
struct VisitorClaims {
    std::string session_id;  // 1 to 255 bytes
    Platform platform = Platform::kTetrix;
    TimePoint issued_at{};
    TimePoint expires_at{};
};

// Seals visitor claims into an opaque, tamper-proof, URL-safe token and opens such tokens again. A visitor token
// is never a hand-off token (and the other way round): another format, another key. Thread-safe.
class VisitorTokenSealer {
  public:
    virtual ~VisitorTokenSealer() = default;

    // A token for `claims`; empty when the claims are out of bounds (empty or oversized session id, times outside
    // 1970–9999, expires_at not after issued_at), which open() refuses.
    virtual std::string seal(const VisitorClaims& claims) = 0;

    // The claims of a token sealed with the same key, checked against `now`. Every refusal is kUnauthorized with
    // details["reason"]: "malformed" (not a visitor token), "tampered", "expired", "not_yet_valid". Details
    // never carry the token or the key.
    virtual Result<VisitorClaims> open(std::string_view token, TimePoint now) const = 0;
};

}  // namespace crossvoice::core::ports
