#pragma once

#include <string_view>

#include "core/channel_event.hpp"
#include "core/result.hpp"

namespace crossvoice::sinch {

// Reads one Sinch Conversation API callback body (vendor-apis.md G) into a core::ChannelEvent. Verify the
// signature on the same raw bytes first (webhook_signature.hpp): this only reads. Exactly one trigger key is read,
// in this order of precedence:
//
//   "message" (MESSAGE_INBOUND) → kMessage: id (→ vendor_message_id, event_id "sinch:msg:<id>"), direction TO_APP
//     when present, contact_message.text_message.text or contact_message.media_message.url (→ media_urls),
//     channel_identity {channel, identity}, contact_id and conversation_id when present.
//   "message_delivery_report" (MESSAGE_DELIVERY) → kDelivery: message_id, status (QUEUED_ON_CHANNEL → kSent,
//     DELIVERED → kDelivered, READ → kRead, FAILED → kFailed, SWITCHING_CHANNEL → kPending), event_id
//     "sinch:dlr:<message_id>:<status>"; FAILED gets failure_reason "<reason.code>: <reason.description>" (printable,
//     bounded; "FAILED" without a reason); channel_identity when present; correlation_id from the callback's
//     correlation_id, else its message_metadata, when non-empty (our message id, echoed).
//   "event" (EVENT_INBOUND) with contact_event.composing_event → kTyping; event_id "sinch:evt:<event.id>", or
//     "sinch:evt:<contact_id or identity>:<event_time or accepted_time as sent>" when Sinch gives no id.
//
// All: vendor "sinch", our_identity = app_id (may be empty), occurred_at = event_time, else accepted_time (RFC 3339,
// fraction and 'Z' as Sinch writes them; one of the two is required). Channels: WHATSAPP → kWhatsapp, SMS and MMS
// → kSms, anything else → kChat; vendor_channel keeps Sinch's name.
//
// Errors: kBadRequest when the body is not a JSON object. kValidation with details["field"] the RFC 6901 JSON
// pointer of the first missing, empty, mistyped or unknown-valued field ("/message/channel_identity/identity").
// A callback with none of the three keys, or an EVENT_INBOUND other than composing, is kValidation with
// details["trigger"]: the trigger keys it does have (printable, bounded), or "EVENT_INBOUND". Nothing throws; any
// bytes are accepted.
core::Result<core::ChannelEvent> parse_callback(std::string_view body);

}  // namespace crossvoice::sinch
