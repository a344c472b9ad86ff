#include "services/visitor_service.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "core/e164.hpp"
#include "core/ids.hpp"
#include "services/text_language.hpp"

namespace crossvoice::services {
namespace {

core::Platform other(core::Platform platform) {
    return platform == core::Platform::kTetrix ? core::Platform::kJoromi : core::Platform::kTetrix;
}

std::string platform_name(core::Platform platform) { return platform == core::Platform::kTetrix ? "TETRIX" : "JoRoMi"; }

// A display name: printable, no control characters, not only spaces.
bool is_display_name(const std::string& name) {
    if (name.empty() || name.size() > VisitorService::kMaxNameLength) return false;
    const bool controls = std::any_of(name.begin(), name.end(),
                                      [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
    const bool blank = std::all_of(name.begin(), name.end(), [](char ch) { return ch == ' '; });
    return !controls && !blank;
}

}  // namespace

bool VisitorService::visible_to_visitor(core::MessageType type) {
    return type == core::MessageType::kText || type == core::MessageType::kEvent;
}

core::Status VisitorService::limit(const std::string& key, long allowed, std::string_view what) {
    auto decision = ports_.limits.acquire(key, allowed, settings_.window);
    if (!decision) return std::move(decision).error();
    if (decision->allowed) return {};
    const auto seconds = std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(decision->retry_after).count());
    return core::Error{core::ErrorCode::kRateLimited,
                       fmt::format("too many {}; try again in {} s", what, seconds),
                       {{"retry_after_seconds", std::to_string(seconds)}}};
}

core::Result<VisitorConversation> VisitorService::start(core::Platform platform, const VisitorStart& request) {
    if (request.name && !is_display_name(*request.name)) {
        return core::Error::validation("name",
                                       fmt::format("name must be 1 to {} printable characters", kMaxNameLength));
    }
    if (request.language && !is_language_tag(*request.language)) {
        return core::Error::validation("language", "language must be a language tag such as es or pt-BR")
            .with("value", *request.language);
    }
    if (request.handoff_token && request.handoff_token->empty()) {
        return core::Error::validation("handoffToken", "handoffToken must not be empty");
    }
    if (auto allowed = limit("widget:start:" + request.client, settings_.starts_per_window, "new conversations");
        !allowed) {
        return std::move(allowed).error();
    }
    const core::Principal visitor{platform, std::string(Visitor::kVisitorKeyId)};
    if (request.handoff_token) {
        auto claimed = ports_.handoffs.claim(visitor, *request.handoff_token);
        if (!claimed) {
            auto error = std::move(claimed).error();
            if (error.code == core::ErrorCode::kValidation) error = std::move(error).with("field", "handoffToken");
            return error;
        }
        return issue(platform, std::move(claimed).value(), true);
    }
    NewShangoSession chat;
    chat.user_id = request.name.value_or("web visitor");
    chat.channel = "chat";
    auto opened = ports_.shango.open(visitor, chat, request.language);
    if (!opened) return std::move(opened).error();
    return issue(platform, std::move(opened->session), false);
}

core::Result<VisitorConversation> VisitorService::issue(core::Platform platform, core::Session session,
                                                        bool continued) {
    VisitorConversation out;
    out.continued = continued;
    core::ports::VisitorClaims claims;
    claims.session_id = session.id;
    claims.platform = platform;
    claims.issued_at = ports_.clock.now();
    claims.expires_at = claims.issued_at + settings_.token_lifetime;
    out.token = ports_.tokens.seal(claims);
    if (out.token.empty()) return core::Error::internal("the visitor token could not be sealed");
    out.expires_at = claims.expires_at;
    const Visitor visitor{platform, session.id, claims.expires_at};
    auto seen = timeline(visitor, kMaxTimeline);
    if (!seen) return std::move(seen).error();
    out.session = std::move(seen->session);
    out.owner = seen->owner;
    out.history = std::move(seen->messages);
    return out;
}

core::Result<Visitor> VisitorService::authenticate(std::string_view token, std::string_view session_id) const {
    auto claims = ports_.tokens.open(token, ports_.clock.now());
    if (!claims) return std::move(claims).error();
    if (claims->session_id != session_id) {
        return core::Error{core::ErrorCode::kForbidden,
                           "this visitor token is for another conversation",
                           {{"reason", "other_session"}}};
    }
    return Visitor{claims->platform, std::move(claims->session_id), claims->expires_at};
}

core::Result<ShangoAnswer> VisitorService::say(const Visitor& visitor, const std::string& text) {
    const bool blank = std::all_of(text.begin(), text.end(),
                                   [](char ch) { return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r'; });
    if (blank) return core::Error::validation("text", "text must not be empty");
    if (text.size() > kMaxTextBytes) {
        return core::Error::validation("text", fmt::format("text must be at most {} bytes", kMaxTextBytes));
    }
    if (auto allowed = limit("widget:message:" + visitor.session_id, settings_.messages_per_window, "messages");
        !allowed) {
        return std::move(allowed).error();
    }
    return ports_.shango.chat(visitor.principal(), visitor.session_id, text);
}

core::Result<VisitorTimeline> VisitorService::timeline(const Visitor& visitor, int limit) {
    if (limit < 1 || limit > kMaxTimeline) {
        return core::Error::validation("limit", fmt::format("limit must be between 1 and {}", kMaxTimeline));
    }
    auto session = ports_.sessions.get(visitor.principal(), visitor.session_id);
    if (!session) return std::move(session).error();
    VisitorTimeline out;
    // A linked session's timeline and SHANGO's memory stay under the platform it began on.
    auto conversation = ports_.conversations.find(session->platform, session->id);
    if (!conversation) return std::move(conversation).error();
    if (*conversation) out.owner = (*conversation)->owner;
    core::ports::TimelineQuery query;
    query.platform = session->platform;
    query.session_id = session->id;
    query.limit = limit;
    query.newest = true;
    auto messages = ports_.timeline.list(query);
    if (!messages) return std::move(messages).error();
    for (auto& message : *messages) {
        if (visible_to_visitor(message.type)) out.messages.push_back(std::move(message));
    }
    out.session = std::move(session).value();
    return out;
}

core::Result<InitiatedCall> VisitorService::call_me(const Visitor& visitor, const std::string& phone) {
    if (!core::is_e164(phone)) {
        return core::Error::validation("phone", "phone must be an E.164 number such as +15551234567");
    }
    if (auto dialable = ports_.phone_numbers.check_dialable("phone", phone); !dialable) {
        return std::move(dialable).error();
    }
    return ports_.callbacks.call_back(visitor.principal(), visitor.session_id, phone, std::nullopt);
}

core::Result<HandoffTicket> VisitorService::hand_off(const Visitor& visitor) {
    auto session = ports_.sessions.get(visitor.principal(), visitor.session_id);
    if (!session) return std::move(session).error();
    if (session->platform != visitor.platform) {
        return core::Error::conflict(
                   fmt::format("this conversation began on {}; continue it there", platform_name(session->platform)))
            .with("platform", std::string(core::to_string(session->platform)));
    }
    HandoffRequest request;
    request.to_platform = std::string(core::to_string(other(visitor.platform)));
    return ports_.handoffs.issue(visitor.principal(), visitor.session_id, request);
}

}  // namespace crossvoice::services
