#include "services/messaging_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include <nlohmann/json.hpp>

#include "core/e164.hpp"
#include "observability/logging.hpp"
#include "services/callback_service.hpp"
#include "services/conversation_rules.hpp"
#include "services/message_json.hpp"

namespace crossvoice::services {
namespace {

using core::Channel;
using core::MessageStatus;
using core::ports::ConversationOwner;
using nlohmann::json;

// Typing events and delivery reports have no row of their own to deduplicate on; their ids are remembered this
// long (vendors retry for minutes, not days).
constexpr std::chrono::hours kEventMemory{24};

core::Error final_error(core::Error error) {
    error.details.emplace_back(kFinalFailureDetail, "true");
    return error;
}

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

std::optional<std::string> text_field(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
}

}  // namespace

core::Result<ReceiveOutcome> MessagingService::accept_sinch(const core::ports::ChannelDelivery& delivery) {
    if (ports_.sinch == nullptr) return core::Error::unavailable("Sinch callbacks are not configured");
    auto event = ports_.sinch->read(delivery);
    if (!event) return std::move(event).error();
    if (delivery.nonce) {
        const auto now = ports_.clock.now();
        auto first = ports_.replay.first_use("nonce:sinch:" + std::string(*delivery.nonce), now, now + kNonceMemory);
        if (!first) return std::move(first).error();
        if (!*first) {
            return core::Error{core::ErrorCode::kUnauthorized,
                               "this callback's nonce was already used: a replay",
                               {{"reason", "replayed_nonce"}}};
        }
    }
    return receive(*event);
}

core::Result<ReceiveOutcome> MessagingService::receive(const core::ChannelEvent& event) {
    if (event.kind == core::ChannelEventKind::kDelivery) return receive_delivery(event);
    const auto platform = settings_.platform_of ? settings_.platform_of(event) : std::nullopt;
    if (!platform) {
        return core::Error{core::ErrorCode::kValidation,
                           fmt::format("no platform takes {} messages for {}", event.vendor,
                                       event.our_identity.empty() ? "this sender" : event.our_identity),
                           {{"field", "to"}}};
    }
    if (event.kind == core::ChannelEventKind::kTyping) return receive_typing(event, *platform);
    return receive_message(event, *platform);
}

core::Result<ReceiveOutcome> MessagingService::receive_message(const core::ChannelEvent& event,
                                                               core::Platform platform) {
    if (blank(event.text) && event.media_urls.empty()) {
        return core::Error::validation("message", "the message has neither text nor media");
    }
    const auto now = ports_.clock.now();
    json metadata{{"vendor", event.vendor}, {"vendorMessageId", event.vendor_message_id}};
    if (!event.vendor_channel.empty()) metadata["vendorChannel"] = event.vendor_channel;
    if (!event.media_urls.empty()) metadata["media"] = event.media_urls;
    if (event.conversation_id) metadata["conversationId"] = *event.conversation_id;

    core::ports::InboundMessage inbound;
    inbound.event_id = event.event_id;
    inbound.platform = platform;
    inbound.channel = event.channel;
    inbound.contact = event.contact;
    inbound.vendor_contact_id = event.contact_id;
    auto& message = inbound.message;
    message.id = ports_.ids.next(core::kMessageIdPrefix);
    message.platform = platform;
    message.channel = event.channel;
    message.direction = core::MessageDirection::kInbound;
    message.author = core::MessageAuthor::kCaller;
    message.type = core::MessageType::kText;
    message.content = event.text;
    message.status = MessageStatus::kDelivered;
    message.created_at = now;
    message.metadata_json = metadata.dump();

    auto& session = inbound.new_session;
    session.id = ports_.ids.next(core::kSessionIdPrefix);
    session.platform = platform;
    session.channel = event.channel;
    if (core::is_e164(event.contact)) session.phone_number = event.contact;
    session.metadata_json = json{{"source", event.vendor}, {"opened_by", "inbound message"}}.dump();
    session.start_time = now;
    session.created_by_key = "channel:" + event.vendor;

    auto appended = ports_.messages.append_inbound(inbound);
    if (!appended) return std::move(appended).error();
    ReceiveOutcome out;
    out.duplicate = appended->duplicate;
    if (appended->duplicate) return out;
    count_message(event.channel, core::MessageDirection::kInbound);
    out.session_id = appended->session.id;
    out.message_id = appended->message.id;

    // Chat -> voice: a customer who asks to be called is called back in the same session (dialing is a vendor
    // call, so a job); the call is the answer, and SHANGO stays quiet on this message.
    if ((event.channel == Channel::kSms || event.channel == Channel::kWhatsapp) && core::is_e164(event.contact) &&
        asks_for_call_back(event.text)) {
        NewJob callback;
        callback.kind = std::string(kCallbackJob);
        callback.payload_json = json{
            {"platform", core::to_string(platform)},
            {"sessionId", appended->session.id},
            {"to", event.contact}}.dump();
        callback.platform = std::string(core::to_string(platform));
        callback.dedupe_key = "callback:" + appended->message.id;
        callback.max_attempts = 3;
        if (auto queued = ports_.jobs.submit(std::move(callback)); !queued) return std::move(queued).error();
        return out;
    }

    // SHANGO answers unless a person owns the conversation; answering may take a model call, so it is a job.
    auto conversation = ports_.conversations.find(platform, appended->session.id);
    if (!conversation) return std::move(conversation).error();
    if (*conversation && (*conversation)->owner == ConversationOwner::kAgent) return out;
    if (blank(event.text)) return out;  // a picture alone: nothing to answer, an agent will see it
    NewJob job;
    job.kind = std::string(kMessageAssistantJob);
    job.payload_json = json{
        {"platform", core::to_string(platform)},
        {"sessionId", appended->session.id},
        {"messageId", appended->message.id},
        {"channel", core::to_string(event.channel)},
        {"text",
         event.text}}.dump();
    job.platform = std::string(core::to_string(platform));
    job.dedupe_key = "assistant:" + appended->message.id;
    job.max_attempts = 3;
    if (auto submitted = ports_.jobs.submit(std::move(job)); !submitted) return std::move(submitted).error();
    return out;
}

core::Result<ReceiveOutcome> MessagingService::receive_delivery(const core::ChannelEvent& event) {
    ReceiveOutcome out;
    const auto now = ports_.clock.now();
    auto first = ports_.replay.first_use("event:" + event.event_id, now, now + kEventMemory);
    if (!first) return std::move(first).error();
    if (!*first) {
        out.duplicate = true;
        return out;
    }
    if (!event.status) return core::Error::validation("status", "a delivery report needs a status");
    auto changed = ports_.messages.report_status(event.vendor, event.vendor_message_id, event.correlation_id,
                                                 *event.status, event.failure_reason);
    if (!changed) return std::move(changed).error();
    count_status(changed);
    if (!changed->message) {
        // Not ours (another application on the same vendor account) or long gone: acknowledged, nothing to do.
        observability::logger("messaging")->info("{} delivery report for an unknown message", event.vendor);
        return out;
    }
    out.session_id = changed->message->session_id;
    out.message_id = changed->message->id;
    return out;
}

core::Result<ReceiveOutcome> MessagingService::receive_typing(const core::ChannelEvent& event,
                                                              core::Platform platform) {
    ReceiveOutcome out;
    const auto now = ports_.clock.now();
    auto first = ports_.replay.first_use("event:" + event.event_id, now, now + kEventMemory);
    if (!first) return std::move(first).error();
    if (!*first) {
        out.duplicate = true;
        return out;
    }
    auto session = ports_.messages.session_of_contact(platform, event.channel, event.contact);
    if (!session) return std::move(session).error();
    if (!*session) return out;  // typing before any message: no session to show it on
    out.session_id = *session;
    announce(platform, "typing", **session, json{{"channel", core::to_string(event.channel)}}.dump());
    return out;
}

core::Result<core::TimelineMessage> MessagingService::send(const core::Principal& caller, const std::string& session_id,
                                                           OutgoingMessage outgoing) {
    if (blank(outgoing.text)) return core::Error::validation("message", "the message is empty");
    if (outgoing.text.size() > settings_.max_text_bytes) {
        return core::Error::validation("message",
                                       fmt::format("a message is at most {} bytes", settings_.max_text_bytes));
    }
    if (outgoing.channel == Channel::kVoice) {
        return core::Error::validation("channel", "channel must be one of sms, whatsapp, chat");
    }
    auto session = ports_.sessions.get(caller, session_id);
    if (!session) return std::move(session).error();
    if (session->status == core::SessionStatus::kEnded) {
        return core::Error::conflict(fmt::format("session {} has ended", session_id));
    }

    // Where the customer is: the contact on the asked channel, else the channel they last used, else the
    // session's own channel and number.
    auto contact = ports_.messages.contact_of_session(session->platform, session_id, outgoing.channel);
    if (!contact) return std::move(contact).error();
    Channel channel = Channel::kChat;
    std::string recipient;
    if (*contact) {
        channel = (*contact)->first;
        recipient = (*contact)->second;
    } else {
        channel = outgoing.channel.value_or(session->channel == Channel::kVoice ? Channel::kSms : session->channel);
        if (channel == Channel::kChat) {
            recipient = session->id;  // the web chat: the conversation itself is the address
        } else if (session->phone_number) {
            recipient = *session->phone_number;
        } else {
            return core::Error::validation("channel", fmt::format("session {} has no {} contact to write to",
                                                                  session_id, core::to_string(channel)));
        }
    }
    if (sender_for(channel) == nullptr) {
        return core::Error::validation("channel", fmt::format("no {} channel is configured", core::to_string(channel)));
    }

    core::TimelineMessage message;
    message.session_id = session_id;
    message.platform = session->platform;
    message.channel = channel;
    message.direction = core::MessageDirection::kOutbound;
    message.author = outgoing.author;
    message.type = core::MessageType::kText;
    message.content = std::move(outgoing.text);
    message.status = MessageStatus::kPending;
    json metadata{{"keyId", caller.key_id}};
    if (outgoing.agent_id) metadata["agentId"] = *outgoing.agent_id;
    message.metadata_json = metadata.dump();

    // The take-over comes first on the timeline: then the person's words.
    if (outgoing.author == core::MessageAuthor::kAgent && outgoing.takes_over) {
        if (auto owned = set_owner(caller, session_id, ConversationOwner::kAgent, outgoing.agent_id); !owned) {
            return std::move(owned).error();
        }
    }
    message.id = ports_.ids.next(core::kMessageIdPrefix);  // after the take-over's: the timeline is in id order
    message.created_at = ports_.clock.now();
    core::ports::OutboundDelivery delivery;
    delivery.message_id = message.id;
    delivery.platform = session->platform;
    delivery.session_id = session_id;
    delivery.channel = channel;
    delivery.recipient = recipient;
    if (auto appended = ports_.messages.append_outbound(message, delivery); !appended) {
        return std::move(appended).error();
    }
    count_message(channel, core::MessageDirection::kOutbound);
    if (auto queued = queue_send(message); !queued) return std::move(queued).error();
    return message;
}

core::Result<core::TimelineMessage> MessagingService::continue_by_text(const core::Principal& caller,
                                                                       const std::string& session_id,
                                                                       core::Channel channel, std::string text) {
    OutgoingMessage message;
    message.text = std::move(text);
    message.channel = channel;
    message.author = core::MessageAuthor::kSystem;
    message.takes_over = false;
    auto sent = send(caller, session_id, std::move(message));
    if (!sent) return sent;
    // A hand-off: the customer's answer is for a person. A failure here leaves the message sent and SHANGO in
    // charge, which still answers the customer; it is reported so the call's step can say so.
    if (auto owned = set_owner(caller, session_id, ConversationOwner::kAgent, std::nullopt); !owned) {
        return std::move(owned).error();
    }
    return sent;
}

core::Result<core::ports::AssistantConversation> MessagingService::set_owner(
    const core::Principal& caller, const std::string& session_id, ConversationOwner owner,
    const std::optional<std::string>& agent_id) {
    auto session = ports_.sessions.get(caller, session_id);
    if (!session) return std::move(session).error();
    auto stored = ports_.conversations.find(session->platform, session_id);
    if (!stored) return std::move(stored).error();
    core::ports::AssistantConversation conversation;
    if (*stored) {
        conversation = std::move(**stored);
    } else {
        conversation.session_id = session_id;
        conversation.platform = session->platform;
    }
    if (conversation.owner == owner && (!agent_id || conversation.agent_id == agent_id)) return conversation;
    conversation.owner = owner;
    conversation.agent_id = owner == ConversationOwner::kAgent ? agent_id : std::nullopt;
    conversation.updated_at = ports_.clock.now();

    const std::string owner_name = owner == ConversationOwner::kAgent ? "agent" : "assistant";
    core::TimelineMessage event;
    event.id = ports_.ids.next(core::kMessageIdPrefix);
    event.session_id = session_id;
    event.platform = session->platform;
    event.channel = session->channel;
    event.direction = core::MessageDirection::kOutbound;
    event.author = core::MessageAuthor::kSystem;
    event.type = core::MessageType::kEvent;
    event.content = owner == ConversationOwner::kAgent ? "A person took over the conversation."
                                                       : "The conversation was handed back to SHANGO.";
    event.status = MessageStatus::kDelivered;
    event.created_at = conversation.updated_at;
    json metadata{{"owner", owner_name}, {"keyId", caller.key_id}};
    if (conversation.agent_id) metadata["agentId"] = *conversation.agent_id;
    event.metadata_json = metadata.dump();
    if (auto saved = ports_.conversations.save_turn(conversation, {event}); !saved) return std::move(saved).error();
    announce(session->platform, "conversation.owner", session_id, json{{"owner", owner_name}}.dump());
    return conversation;
}

core::Status MessagingService::run_assistant_job(const core::Job& job) {
    const auto payload = json::parse(job.payload_json, nullptr, false);
    const auto platform = core::parse_platform(text_field(payload, "platform").value_or(""));
    const auto channel = core::parse_channel(text_field(payload, "channel").value_or(""));
    const auto session_id = text_field(payload, "sessionId");
    const auto message_id = text_field(payload, "messageId");
    const auto text = text_field(payload, "text");
    if (!platform || !channel || !session_id || !message_id || !text) {
        return final_error(
            core::Error::internal("message.assistant payload needs platform, channel, sessionId, messageId, text"));
    }
    ShangoQuestion question;
    question.platform = *platform;
    question.session_id = *session_id;
    question.channel = *channel;
    question.text = *text;
    question.question_message_id = *message_id;
    auto answered = ports_.shango.answer(question);
    if (!answered) {
        if (answered.error().code == core::ErrorCode::kValidation) return final_error(std::move(answered).error());
        return std::move(answered).error();
    }
    if (answered->owned_by_agent || !answered->answer) return {};
    const auto& answer = *answered->answer;
    if (answered->reply.handoff == core::Handoff::kAgent) {
        announce(*platform, "conversation.owner", *session_id, json{{"owner", "agent"}}.dump());
    }
    if (*channel == Channel::kChat) {  // the web chat shows it from the timeline and the live events
        count_message(*channel, core::MessageDirection::kOutbound);
        return {};
    }

    auto contact = ports_.messages.contact_of_session(*platform, *session_id, *channel);
    if (!contact) return std::move(contact).error();
    if (!*contact) return final_error(core::Error::internal("message.assistant: the session has no contact to answer"));
    core::ports::OutboundDelivery delivery;
    delivery.message_id = answer.id;
    delivery.platform = *platform;
    delivery.session_id = *session_id;
    delivery.channel = *channel;
    delivery.recipient = (*contact)->second;
    if (auto recorded = ports_.messages.record_delivery(delivery, answer.created_at); !recorded) return recorded;
    count_message(*channel, core::MessageDirection::kOutbound);
    return queue_send(answer);
}

core::Status MessagingService::queue_send(const core::TimelineMessage& message) {
    NewJob job;
    job.kind = std::string(kMessageSendJob);
    job.payload_json = json{{"messageId", message.id}, {"text", message.content}}.dump();
    job.platform = std::string(core::to_string(message.platform));
    job.dedupe_key = "send:" + message.id;
    auto submitted = ports_.jobs.submit(std::move(job));
    if (!submitted) return std::move(submitted).error();
    return {};
}

core::Status MessagingService::run_send_job(const core::Job& job) {
    const auto payload = json::parse(job.payload_json, nullptr, false);
    const auto message_id = text_field(payload, "messageId");
    const auto text = text_field(payload, "text");
    if (!message_id || !text)
        return final_error(core::Error::internal("message.send payload needs messageId and text"));
    auto delivery = ports_.messages.find_delivery(*message_id);
    if (!delivery) return std::move(delivery).error();
    if (!*delivery) return final_error(core::Error::internal("message.send: no delivery for " + *message_id));
    if ((*delivery)->vendor_message_id) return {};  // sent by an earlier run that died before finishing

    auto fail = [&](const core::Error& error) -> core::Status {
        // The store logs the status change as a live event, like every other.
        auto failed = ports_.messages.set_status(*message_id, MessageStatus::kFailed, error.message);
        if (!failed) {
            observability::logger("messaging")
                ->warn("message {} could not be marked failed: {}", *message_id, failed.error().message);
        }
        count_status(failed);
        return final_error(error);
    };
    auto* sender = sender_for((*delivery)->channel);
    if (sender == nullptr) {
        return fail(core::Error::validation(
            "channel", fmt::format("no {} channel is configured", core::to_string((*delivery)->channel))));
    }
    core::ports::OutboundMessage outbound;
    outbound.message_id = *message_id;
    outbound.channel = (*delivery)->channel;
    outbound.to = (*delivery)->recipient;
    outbound.text = *text;
    auto sent = sender->send(outbound);
    if (!sent) {
        // A refusal no retry can cure, or the last attempt: the message has failed, and says why.
        if (sent.error().code == core::ErrorCode::kValidation || job.attempts >= job.max_attempts) {
            return fail(sent.error());
        }
        return std::move(sent).error();
    }
    auto marked = ports_.messages.mark_sent(*message_id, sent->vendor, sent->vendor_message_id);
    if (!marked) return std::move(marked).error();
    count_status(marked);
    if ((*delivery)->channel == Channel::kChat) {
        // The web chat has no delivery reports: the customer's page shows what is on the timeline.
        marked = ports_.messages.set_status(*message_id, MessageStatus::kDelivered, std::nullopt);
        if (!marked) return std::move(marked).error();
        count_status(marked);
    }
    return {};
}

core::ports::ChannelSender* MessagingService::sender_for(Channel channel) const {
    switch (channel) {
        case Channel::kSms: return ports_.senders.sms;
        case Channel::kWhatsapp: return ports_.senders.whatsapp;
        case Channel::kChat: return ports_.senders.chat;
        case Channel::kVoice: return nullptr;
    }
    return nullptr;
}

void MessagingService::announce(core::Platform platform, std::string type, const std::string& session_id,
                                std::string data_json) {
    if (ports_.live == nullptr) return;
    core::ports::LiveEvent event;
    event.platform = platform;
    event.type = std::move(type);
    event.session_id = session_id;
    event.data_json = std::move(data_json);
    event.at = ports_.clock.now();
    ports_.live->publish(std::move(event));
}

void MessagingService::count_message(core::Channel channel, core::MessageDirection direction) {
    if (metrics_ != nullptr) metrics_->count_message(channel, direction);
}

void MessagingService::count_status(const core::Result<core::ports::StatusChange>& change) {
    if (metrics_ == nullptr || !change || !change->changed || !change->message) return;
    metrics_->count_status(change->message->channel, change->message->status);
}

}  // namespace crossvoice::services
