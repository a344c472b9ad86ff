#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_key.hpp"
#include "core/clock.hpp"
#include "core/message.hpp"
#include "core/platform.hpp"
#include "core/ports/assistant_store.hpp"
#include "core/ports/phone_numbers.hpp"
#include "core/ports/rate_limiter.hpp"
#include "core/ports/transcript_store.hpp"
#include "core/ports/visitor_token_sealer.hpp"
#include "core/result.hpp"
#include "core/session.hpp"
#include "services/call_service.hpp"
#include "services/callback_service.hpp"
#include "services/handoff_service.hpp"
#include "services/session_service.hpp"
#include "services/shango_service.hpp"

namespace crossvoice::services {

// A visitor of a platform's web page (the widget), authenticated by a visitor token for exactly one session.
struct Visitor {
    core::Platform platform = core::Platform::kTetrix;
    std::string session_id;
    core::TimePoint expires_at{};

    // How the use-cases the visitor reaches see it: the page's platform, no API key ("visitor" in audit rows).
    core::Principal principal() const { return core::Principal{platform, std::string(kVisitorKeyId)}; }
    static constexpr std::string_view kVisitorKeyId = "visitor";
};

struct VisitorStart {
    std::optional<std::string> name;           // shown to the staff as the session's user
    std::optional<std::string> language;       // BCP 47: the greeting and the staff's words in it
    std::optional<std::string> handoff_token;  // continue a conversation begun on the other platform
    std::string client;                        // who asks (the client's address): conversation starts are limited
};

struct VisitorConversation {
    core::Session session;
    std::string token;  // the visitor's credential for this session; never logged
    core::TimePoint expires_at{};
    bool continued = false;                      // a hand-off was claimed: the session began on the other platform
    std::vector<core::TimelineMessage> history;  // what the visitor sees, oldest first (the greeting, or all)
    core::ports::ConversationOwner owner = core::ports::ConversationOwner::kAssistant;
};

struct VisitorTimeline {
    core::Session session;
    core::ports::ConversationOwner owner = core::ports::ConversationOwner::kAssistant;
    std::vector<core::TimelineMessage> messages;  // oldest first, only what a visitor may see
};

struct VisitorSettings {
    std::chrono::seconds token_lifetime{24 * 3600};
    long starts_per_window = 20;    // conversations one client address may start per window
    long messages_per_window = 30;  // messages one session's visitor may send per window
    std::chrono::milliseconds window{60'000};
};

// The embeddable widget's visitors: a web chat answered by SHANGO (or a person once one takes over), a call back
// to the visitor's number, and a hand-off to the other platform; each through the use-case the integration API
// and the staff use, under the visitor's own narrow credential. Visitors have no API key: a conversation starts
// from the page's platform alone (rate-limited per client address), and everything after is scoped to the one
// session the visitor token names.
class VisitorService {
  public:
    struct Ports {
        ShangoService& shango;
        HandoffService& handoffs;
        CallbackService& callbacks;
        SessionService& sessions;
        core::ports::TimelineStore& timeline;
        core::ports::AssistantStore& conversations;
        core::ports::RateLimiter& limits;
        const core::ports::PhoneNumbers& phone_numbers;
        core::ports::VisitorTokenSealer& tokens;
        const core::Clock& clock;
    };

    VisitorService(Ports ports, VisitorSettings settings) : ports_(ports), settings_(settings) {}

    // A new web chat with SHANGO (its greeting), or with handoff_token the claimed session of the other platform
    // with its whole timeline. kValidation naming name, language or handoffToken; kRateLimited (retry_after_seconds)
    // past the client's starts; the hand-off claim's own errors (503 disabled, 403, 409).
    core::Result<VisitorConversation> start(core::Platform platform, const VisitorStart& request);

    // The visitor a token speaks for, when it is one of ours, unexpired, and for `session_id`: kUnauthorized for
    // a token that is not (details reason), kForbidden for a token of another session.
    core::Result<Visitor> authenticate(std::string_view token, std::string_view session_id) const;

    // The visitor's message on the timeline and SHANGO's answer (none while a person owns the conversation).
    // kValidation (text), kRateLimited past the session's messages, kConflict for an ended session.
    core::Result<ShangoAnswer> say(const Visitor& visitor, const std::string& text);

    // The newest `limit` (1..kMaxTimeline) messages a visitor may see: text and events, no transcripts or
    // internal records.
    core::Result<VisitorTimeline> timeline(const Visitor& visitor, int limit = kDefaultTimeline);

    // "Call me": a call back to `phone` (E.164, dialable) in the same session. kValidation naming phone.
    core::Result<InitiatedCall> call_me(const Visitor& visitor, const std::string& phone);

    // A single-use token continuing this conversation on the other platform. kConflict when the session came
    // from the other platform (it is already there: the visitor goes back to that page).
    core::Result<HandoffTicket> hand_off(const Visitor& visitor);

    // Whether a timeline entry of `type` is shown to visitors (text and events; not transcripts, translations
    // or call turns).
    static bool visible_to_visitor(core::MessageType type);

    static constexpr std::size_t kMaxNameLength = 80;
    static constexpr std::size_t kMaxTextBytes = ShangoService::kMaxMessageBytes;
    static constexpr int kDefaultTimeline = 100;
    static constexpr int kMaxTimeline = 200;

  private:
    core::Status limit(const std::string& key, long allowed, std::string_view what);
    core::Result<VisitorConversation> issue(core::Platform platform, core::Session session, bool continued);

    Ports ports_;
    VisitorSettings settings_;
};

}  // namespace crossvoice::services
