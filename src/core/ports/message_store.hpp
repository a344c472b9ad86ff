#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/channel_event.hpp"
#include "core/message.hpp"
#include "core/result.hpp"
#include "core/session.hpp"

namespace crossvoice::core::ports {

// A customer's message as it arrived on a channel, to be put on the timeline of the session that customer is
// in. The store finds that session: the one the contact was last written to or from (contacts table), else the
// newest active session on the platform with the contact's number (a caller who now texts), else `new_session`
// (its id and fields prepared by the caller) is opened.
struct InboundMessage {
    std::string event_id;  // the vendor event's idempotency key; a repeat appends nothing
    Platform platform = Platform::kTetrix;
    Channel channel = Channel::kSms;
    std::string contact;                           // the customer's identity on the channel
    std::optional<std::string> vendor_contact_id;  // Sinch's contact id, kept for replies
    TimelineMessage message;                       // session_id is filled in by the store
    Session new_session;                           // used only when no session is found
};

struct InboundOutcome {
    bool duplicate = false;  // the event was seen before: nothing was written, `message` is empty
    bool opened = false;     // `session` was opened for this message
    Session session;
    TimelineMessage message;
};

// Where a message we send goes, kept beside its timeline entry until the vendor has it.
struct OutboundDelivery {
    std::string message_id;
    Platform platform = Platform::kTetrix;
    std::string session_id;
    Channel channel = Channel::kSms;
    std::string recipient;  // the contact's identity (E.164 for SMS and WhatsApp)
    std::optional<std::string> vendor;
    std::optional<std::string> vendor_message_id;
};

// What a status change did. `message` is the message after the change (or as it was when the change was not
// allowed), nullopt when no message matched.
struct StatusChange {
    std::optional<TimelineMessage> message;
    bool changed = false;
};

// The messaging side of the timeline: contacts, outbound deliveries and message status. Statuses only move
// forward (pending → sent → delivered → read; failed from pending or sent), so late and repeated delivery
// reports never undo a newer one.
class MessageStore {
  public:
    virtual ~MessageStore() = default;

    // One unit of work: the event is remembered, the session found or opened, the contact pointed at it, the
    // message appended. A repeated event_id writes nothing and answers duplicate.
    virtual Result<InboundOutcome> append_inbound(const InboundMessage& inbound) = 0;

    // One unit of work: the message (status pending) joins the session's timeline, its delivery is recorded and
    // the recipient's contact points at the session, so the customer's answer lands in it. kNotFound (nothing
    // written) when the session is not on the platform.
    virtual Status append_outbound(const TimelineMessage& message, const OutboundDelivery& delivery) = 0;

    // As append_outbound, for a message already on the timeline (SHANGO's answer, saved with its turn).
    virtual Status record_delivery(const OutboundDelivery& delivery, TimePoint at) = 0;

    virtual Result<std::optional<OutboundDelivery>> find_delivery(const std::string& message_id) = 0;

    // The vendor accepted the message: its id is kept and the status becomes sent (if still pending).
    virtual Result<StatusChange> mark_sent(const std::string& message_id, const std::string& vendor,
                                           const std::string& vendor_message_id) = 0;

    // A delivery report, by the vendor's id (or, when that is unknown yet, our message id the vendor echoed).
    // `reason` is kept in the message's metadata as failureReason.
    virtual Result<StatusChange> report_status(const std::string& vendor, const std::string& vendor_message_id,
                                               const std::optional<std::string>& our_message_id, MessageStatus status,
                                               const std::optional<std::string>& reason) = 0;

    // Our own verdict on a message (a send that failed for good).
    virtual Result<StatusChange> set_status(const std::string& message_id, MessageStatus status,
                                            const std::optional<std::string>& reason) = 0;

    // The session a contact is in on the platform and channel, if any.
    virtual Result<std::optional<std::string>> session_of_contact(Platform platform, Channel channel,
                                                                  const std::string& contact) = 0;

    // The contact a session last wrote from or to, on `channel` when given: where a reply goes.
    virtual Result<std::optional<std::pair<Channel, std::string>>> contact_of_session(
        Platform platform, const std::string& session_id, std::optional<Channel> channel) = 0;
};

}  // namespace crossvoice::core::ports
