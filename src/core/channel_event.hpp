#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/message.hpp"
#include "core/session.hpp"

namespace crossvoice::core {

enum class ChannelEventKind {
    kMessage,   // a customer wrote to us
    kDelivery,  // a vendor reports what became of a message we sent
    kTyping,    // the customer is composing
};

// One messaging vendor callback (Sinch MESSAGE_INBOUND / MESSAGE_DELIVERY / EVENT_INBOUND, Telnyx
// message.received / message.sent / message.finalized) after its signature was checked, in vendor-neutral
// terms. The messaging use-case turns it into timeline entries and status changes.
struct ChannelEvent {
    ChannelEventKind kind = ChannelEventKind::kMessage;
    std::string vendor;    // "sinch" or "telnyx"
    std::string event_id;  // unique per event, the idempotency key (vendor + its ids; a duplicate repeats it)
    Channel channel = Channel::kSms;             // WhatsApp -> kWhatsapp, SMS/MMS -> kSms, every other channel -> kChat
    std::string vendor_channel;                  // the vendor's own channel name: "WHATSAPP", "SMS", "MESSENGER", "sms"
    std::string contact;                         // the customer's identity on that channel (E.164 number, PSID, …)
    std::optional<std::string> contact_id;       // Sinch's contact id
    std::optional<std::string> conversation_id;  // Sinch's conversation id
    std::string our_identity;                    // the number or app the customer wrote to (Telnyx `to`, Sinch app_id)
    std::string text;                            // kMessage: the text (empty for a media-only message)
    std::vector<std::string> media_urls;
    std::string vendor_message_id;              // kMessage: the inbound message; kDelivery: the message reported on
    std::optional<std::string> correlation_id;  // kDelivery: our timeline message id, when the vendor echoes it
    std::optional<MessageStatus> status;        // kDelivery: the new status
    std::optional<std::string> failure_reason;  // kDelivery with kFailed: the vendor's code and description
    TimePoint occurred_at{};
};

}  // namespace crossvoice::core
