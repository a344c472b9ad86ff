#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/call.hpp"
#include "core/message.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/transcript_store.hpp"
#include "core/result.hpp"
#include "core/session.hpp"
#include "services/call_service.hpp"
#include "services/messaging_service.hpp"
#include "services/session_service.hpp"

namespace crossvoice::services {

// A session with what happened in it: its calls and the newest messages of its timeline.
struct IntegrationSessionDetail {
    core::Session session;
    std::vector<core::Call> calls;
    std::vector<core::TimelineMessage> recent_messages;  // oldest first, the newest `messages` of the timeline
};

struct SessionStatusChange {
    core::Session session;
    bool changed = false;  // false when the session already had the asked status
};

// POST /api/voice/integration/initiate: the seed's contract, one request for any channel.
struct IntegrationInitiate {
    std::string to;
    std::optional<std::string> from;
    std::string channel;                  // voice, sms, whatsapp, chat
    std::optional<std::string> platform;  // must be the caller's own when given
    std::optional<std::string> user_id;
    std::optional<std::string> conversation_id;  // an existing session to continue instead of opening one
    std::optional<bool> enable_transcription;    // voice: default, transcribe when recording (the call's default)
    bool enable_translation = false;
    std::optional<std::string> target_language;  // BCP 47; required with enable_translation
    std::optional<std::string> message;          // the first message; required for sms and whatsapp
};

struct IntegrationInitiated {
    core::Session session;
    core::Channel channel = core::Channel::kVoice;
    std::optional<core::Call> call;                // voice
    std::optional<core::TimelineMessage> message;  // sms, whatsapp, chat
    bool opened_session = false;                   // false when conversation_id continued an existing session
};

// The integration API's use-cases: sessions as the platforms' integrations see them (listing, detail, status)
// and starting a conversation on any channel. Composes the session, call and messaging use-cases; it places no
// call and sends no message itself. `calls` or `messaging` may be null: that channel is then refused.
class IntegrationService {
  public:
    struct Ports {
        SessionService& sessions;
        core::ports::CallStore& call_store;
        core::ports::TimelineStore& timeline;
        CallService* calls = nullptr;
        MessagingService* messaging = nullptr;
    };

    explicit IntegrationService(Ports ports) : ports_(ports) {}

    // Newest first, the caller's platform and sessions linked to it. kValidation naming status, channel, limit
    // (1..kMaxPageSize) or cursor.
    core::Result<SessionPage> list(const core::Principal& caller, const SessionFilter& filter);

    // kNotFound for a session the caller's platform cannot see (another platform's is the same as none).
    // kValidation when `messages` is outside 0..kMaxRecentMessages.
    core::Result<IntegrationSessionDetail> detail(const core::Principal& caller, const std::string& id,
                                                  int messages = kDefaultRecentMessages);

    // `status` is one of the session statuses (active, ended). Ending an ended session changes nothing;
    // reopening one is kConflict; an unknown status is kValidation naming "status".
    core::Result<SessionStatusChange> set_status(const core::Principal& caller, const std::string& id,
                                                 const std::string& status);

    // Voice: the call-initiation use-case (the session opened here first, so it carries the integration's
    // settings). SMS, WhatsApp, chat: a session for the contact and the first message through the messaging
    // use-case. A session opened here is ended again when the call or the message is refused, so a failed
    // request leaves no active session behind.
    core::Result<IntegrationInitiated> initiate(const core::Principal& caller, IntegrationInitiate input);

    static constexpr int kMaxPageSize = 100;
    static constexpr int kDefaultPageSize = 20;
    static constexpr int kDefaultRecentMessages = 20;
    static constexpr int kMaxRecentMessages = 200;

  private:
    core::Status validate(const core::Principal& caller, const IntegrationInitiate& input, core::Channel channel) const;
    core::Result<core::Session> session_for(const core::Principal& caller, const IntegrationInitiate& input,
                                            core::Channel channel, bool& opened);
    void abandon(const core::Principal& caller, const core::Session& session, bool opened);

    Ports ports_;
};

}  // namespace crossvoice::services
