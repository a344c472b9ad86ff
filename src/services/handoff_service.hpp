#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/api_key.hpp"
#include "core/clock.hpp"
#include "core/handoff.hpp"
#include "core/ports/handoff_sealer.hpp"
#include "core/ports/replay_guard.hpp"
#include "core/ports/session_store.hpp"
#include "core/result.hpp"
#include "core/session.hpp"
#include "services/id_generator.hpp"
#include "services/session_service.hpp"

namespace crossvoice::services {

struct HandoffRequest {
    std::string to_platform;  // "tetrix" or "joromi": the other platform
    std::optional<std::string> user_id;
    std::optional<std::chrono::seconds> expires_in;  // default 10 minutes; 30 s to 1 h
};

struct HandoffTicket {
    std::string token;
    core::HandoffClaims claims;
};

// Cross-platform sessions: the platform a session is on issues a single-use token (sealed with a key derived from
// CROSS_PLATFORM_SESSION_SECRET) that the other platform claims to continue the same session and timeline.
class HandoffService {
  public:
    // `sealer` is null when no secret is configured: hand-off is then disabled and says why.
    HandoffService(core::ports::HandoffSealer* sealer, core::ports::ReplayGuard& used_tokens,
                   core::ports::SessionStore& store, SessionService& sessions, const core::Clock& clock,
                   IdGenerator& ids)
        : sealer_(sealer), used_tokens_(used_tokens), store_(store), sessions_(sessions), clock_(clock), ids_(ids) {}

    // kUnavailable when disabled; kValidation for a platform that is not the other one, a bad user id or expiry;
    // kNotFound for a session not on the caller's platform; kConflict for an ended one.
    core::Result<HandoffTicket> issue(const core::Principal& caller, const std::string& session_id,
                                      const HandoffRequest& request);

    // kUnavailable when disabled; kValidation for text that is not a token; kForbidden for a token that fails
    // authentication, has expired, or is for the other platform; kConflict when it was already used or the session
    // has ended since. Nothing is changed by a refused claim.
    core::Result<core::Session> claim(const core::Principal& caller, const std::string& token);

    static constexpr std::chrono::seconds kDefaultLifetime{600};
    static constexpr std::chrono::seconds kMinLifetime{30};
    static constexpr std::chrono::seconds kMaxLifetime{3600};

  private:
    core::Result<core::Session> link(const core::Principal& caller, const core::HandoffClaims& claims);

    core::ports::HandoffSealer* sealer_;
    core::ports::ReplayGuard& used_tokens_;
    core::ports::SessionStore& store_;
    SessionService& sessions_;
    const core::Clock& clock_;
    IdGenerator& ids_;
};

}  // namespace crossvoice::services
