#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/api_key.hpp"
#include "core/channel_event.hpp"
#include "core/clock.hpp"
#include "core/job.hpp"
#include "core/message.hpp"
#include "core/ports/assistant_store.hpp"
#include "core/ports/channel_sender.hpp"
#include "core/ports/channel_webhooks.hpp"
#include "core/ports/live_events.hpp"
#include "core/ports/message_store.hpp"
#include "core/ports/replay_guard.hpp"
#include "core/result.hpp"
#include "services/id_generator.hpp"
#include "services/job_runner.hpp"
#include "services/messaging_metrics.hpp"
#include "services/session_service.hpp"
#include "services/shango_service.hpp"

namespace crossvoice::services {

inline constexpr std::string_view kMessageSendJob = "message.send";            // one outbound message to its vendor
inline constexpr std::string_view kMessageAssistantJob = "message.assistant";  // SHANGO answers a customer

// Who carries each channel: SMS (Telnyx or Sinch), WhatsApp (Sinch) and the platforms' own web chat; the sandbox
// channel stands in for the vendors when none is configured. A null sender refuses that channel.
struct ChannelSenders {
    core::ports::ChannelSender* sms = nullptr;
    core::ports::ChannelSender* whatsapp = nullptr;
    core::ports::ChannelSender* chat = nullptr;
};

struct MessagingSettings {
    // Which platform an inbound message is for (Sinch: its app; Telnyx: the number written to, as the IVR
    // routes calls). nullopt: no platform takes it, and the callback is refused.
    std::function<std::optional<core::Platform>(const core::ChannelEvent&)> platform_of;
    std::size_t max_text_bytes = 4096;
};

// A person's (or the system's) message to the customer of a session.
struct OutgoingMessage {
    std::string text;
    std::optional<core::Channel> channel;  // default: the channel the customer last used
    core::MessageAuthor author = core::MessageAuthor::kAgent;
    std::optional<std::string> agent_id;
    // An agent's reply takes the conversation from SHANGO (it stays quiet until handed back).
    bool takes_over = true;
};

struct ReceiveOutcome {
    bool duplicate = false;
    std::optional<std::string> session_id;
    std::optional<std::string> message_id;
};

// Messaging across channels: customers' messages onto their session's timeline (SHANGO answers while it owns
// the conversation), agents' and SHANGO's words out on the customer's channel as queued send jobs, delivery
// reports moving each message's status forward, typing as a live event.
class MessagingService {
  public:
    struct Ports {
        core::ports::MessageStore& messages;
        core::ports::AssistantStore& conversations;
        core::ports::ReplayGuard& replay;
        SessionService& sessions;
        ShangoService& shango;
        JobRunner& jobs;
        ChannelSenders senders;
        core::ports::LiveEventSink* live = nullptr;           // optional
        const core::ports::ChannelWebhooks* sinch = nullptr;  // POST /api/webhooks/sinch; null: refused
        const core::Clock& clock;
        IdGenerator& ids;
    };

    MessagingService(Ports ports, MessagingSettings settings) : ports_(ports), settings_(std::move(settings)) {}

    // Counts messages and status changes for /metrics. Set before serving.
    void set_metrics(MessagingMetrics* metrics) { metrics_ = metrics; }

    // A Sinch callback off the wire: signature and window checked by the adapter, its nonce remembered here so
    // a replay inside the window is refused (kUnauthorized), then received.
    core::Result<ReceiveOutcome> accept_sinch(const core::ports::ChannelDelivery& delivery);

    // A verified vendor callback. kValidation when no platform takes it or a message has nothing in it.
    core::Result<ReceiveOutcome> receive(const core::ChannelEvent& event);

    // How long a webhook nonce is remembered: the signature window on both sides of now.
    static constexpr std::chrono::seconds kNonceMemory{600};

    // An agent's (or the system's) message to the session's customer: on the timeline as pending, then sent by a
    // job. kNotFound for a session not on the caller's platform, kConflict for an ended one, kValidation for empty
    // or oversized text or a channel the customer cannot be reached on.
    core::Result<core::TimelineMessage> send(const core::Principal& caller, const std::string& session_id,
                                             OutgoingMessage message);

    // Voice -> chat (the IVR chat node, SHANGO escalating to chat): `text` goes to the caller on `channel` and
    // continues the same session there, handed to the platform's agents (SHANGO does not answer the reply).
    core::Result<core::TimelineMessage> continue_by_text(const core::Principal& caller, const std::string& session_id,
                                                         core::Channel channel, std::string text);

    // Hands a conversation to a person (agent) or back to SHANGO (assistant), as a timeline event.
    core::Result<core::ports::AssistantConversation> set_owner(const core::Principal& caller,
                                                               const std::string& session_id,
                                                               core::ports::ConversationOwner owner,
                                                               const std::optional<std::string>& agent_id);

    // Job handlers.
    core::Status run_send_job(const core::Job& job);
    core::Status run_assistant_job(const core::Job& job);

  private:
    core::Result<ReceiveOutcome> receive_message(const core::ChannelEvent& event, core::Platform platform);
    core::Result<ReceiveOutcome> receive_delivery(const core::ChannelEvent& event);
    core::Result<ReceiveOutcome> receive_typing(const core::ChannelEvent& event, core::Platform platform);
    core::Status queue_send(const core::TimelineMessage& message);
    core::ports::ChannelSender* sender_for(core::Channel channel) const;
    void announce(core::Platform platform, std::string type, const std::string& session_id, std::string data_json);
    void count_message(core::Channel channel, core::MessageDirection direction);
    // Counts the change a store reports, when it moved a message.
    void count_status(const core::Result<core::ports::StatusChange>& change);

    Ports ports_;
    MessagingSettings settings_;
    MessagingMetrics* metrics_ = nullptr;
};

}  // namespace crossvoice::services
