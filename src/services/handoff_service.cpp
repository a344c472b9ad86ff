#include "services/handoff_service.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/time_format.hpp"

namespace crossvoice::services {
namespace {

core::Error disabled() {
    return core::Error{core::ErrorCode::kUnavailable,
                       "cross-platform hand-off is disabled: CROSS_PLATFORM_SESSION_SECRET is not set",
                       {{"variable", "CROSS_PLATFORM_SESSION_SECRET"}}};
}

std::string platform_name(core::Platform platform) { return platform == core::Platform::kTetrix ? "TETRIX" : "JoRoMi"; }

}  // namespace

core::Result<HandoffTicket> HandoffService::issue(const core::Principal& caller, const std::string& session_id,
                                                  const HandoffRequest& request) {
    if (sealer_ == nullptr) return disabled();
    const auto to = core::parse_platform(request.to_platform);
    if (!to) return core::Error::validation("toPlatform", "toPlatform must be tetrix or joromi");
    if (*to == caller.platform) {
        return core::Error::validation("toPlatform", fmt::format("a hand-off goes to the other platform, not {}",
                                                                 core::to_string(caller.platform)));
    }
    const auto lifetime = request.expires_in.value_or(kDefaultLifetime);
    if (lifetime < kMinLifetime || lifetime > kMaxLifetime) {
        return core::Error::validation("expiresInSeconds", "expiresInSeconds must be from 30 to 3600");
    }
    auto session = sessions_.get(caller, session_id);
    if (!session) return std::move(session).error();
    if (session->platform != caller.platform) {
        // A session continued here from the other platform goes back by that platform's own hand-off.
        return core::Error::not_found("session", session_id);
    }
    if (session->status == core::SessionStatus::kEnded) {
        return core::Error::conflict(fmt::format("session {} has ended", session_id));
    }
    if (request.user_id && (request.user_id->empty() || request.user_id->size() > core::kMaxHandoffUserIdBytes)) {
        return core::Error::validation("userId", "userId must be 1 to 255 bytes");
    }
    HandoffTicket out;
    out.claims.session_id = session_id;
    out.claims.from_platform = caller.platform;
    out.claims.to_platform = *to;
    out.claims.user_id = request.user_id ? request.user_id : session->user_id;
    out.claims.issued_at = clock_.now();
    out.claims.expires_at = out.claims.issued_at + lifetime;
    if (auto checked = core::check_handoff_claims(out.claims); !checked) {
        return core::Error::internal("hand-off claims out of bounds: " + checked.error().message);
    }
    out.token = sealer_->seal(out.claims);
    if (out.token.empty()) return core::Error::internal("the hand-off token could not be sealed");
    return out;
}

core::Result<core::Session> HandoffService::claim(const core::Principal& caller, const std::string& token) {
    if (sealer_ == nullptr) return disabled();
    const auto now = clock_.now();
    auto claims = sealer_->open(token, now);
    if (!claims) {
        auto error = std::move(claims).error();
        // Our API keys answer 401; a token that fails is a refusal of this request, not of the key.
        if (error.code == core::ErrorCode::kUnauthorized) error.code = core::ErrorCode::kForbidden;
        return error;
    }
    if (claims->to_platform != caller.platform) {
        return core::Error{core::ErrorCode::kForbidden,
                           fmt::format("this hand-off token continues the session on {}, not on {}",
                                       platform_name(claims->to_platform), platform_name(caller.platform)),
                           {{"reason", "wrong_platform"}}};
    }
    // The session must still be there and open before the token is spent.
    const core::Principal owner{claims->from_platform, "handoff"};
    auto session = sessions_.get(owner, claims->session_id);
    if (!session) return std::move(session).error();
    if (session->status == core::SessionStatus::kEnded) {
        return core::Error::conflict(fmt::format("session {} has ended", claims->session_id));
    }
    auto first = used_tokens_.first_use("handoff:" + claims->token_id, now, claims->expires_at);
    if (!first) return std::move(first).error();
    if (!*first) {
        return core::Error{core::ErrorCode::kConflict, "this hand-off token was already used", {{"reason", "used"}}};
    }
    return link(caller, *claims);
}

core::Result<core::Session> HandoffService::link(const core::Principal& caller, const core::HandoffClaims& claims) {
    core::TimelineMessage event;
    event.id = ids_.next(core::kMessageIdPrefix);
    event.session_id = claims.session_id;
    event.platform = claims.from_platform;
    event.direction = core::MessageDirection::kOutbound;
    event.author = core::MessageAuthor::kSystem;
    event.type = core::MessageType::kEvent;
    event.content = fmt::format("The conversation continues on {}.", platform_name(claims.to_platform));
    event.status = core::MessageStatus::kDelivered;
    event.created_at = clock_.now();
    nlohmann::json metadata{{"handoff", "claimed"},
                            {"fromPlatform", core::to_string(claims.from_platform)},
                            {"toPlatform", core::to_string(claims.to_platform)},
                            {"keyId", caller.key_id}};
    if (claims.user_id) metadata["userId"] = *claims.user_id;
    event.metadata_json = metadata.dump();
    auto session = sessions_.get(core::Principal{claims.from_platform, "handoff"}, claims.session_id);
    if (!session) return std::move(session).error();
    event.channel = session->channel;
    if (auto linked = store_.link(caller.platform, claims.session_id, event, event.created_at); !linked) {
        return linked.error();
    }
    return std::move(session).value();
}

}  // namespace crossvoice::services
