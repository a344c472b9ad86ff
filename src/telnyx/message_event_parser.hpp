#pragma once

#include <string_view>

#include "core/channel_event.hpp"
#include "core/result.hpp"

namespace crossvoice::telnyx {

// Reads one Telnyx Messaging webhook body (vendor-apis.md D: the envelope {"data":{id, event_type, occurred_at,
// payload}, "meta":{…}}) into a core::ChannelEvent. Verify the signature on the same raw bytes first
// (WebhookVerifier): this only reads.
//
// message.received → kMessage: contact = payload.from.phone_number, our_identity = payload.to[0].phone_number,
// text (absent or null = empty), media[].url, vendor_message_id = payload.id, occurred_at = payload.received_at
// or else data.occurred_at.
// message.sent / message.finalized → kDelivery: vendor_message_id = payload.id, contact = to[0].phone_number,
// our_identity = payload.from.phone_number when present, status from to[0].status (queued, sending → kPending;
// sent → kSent; delivered → kDelivered; sending_failed, delivery_failed, delivery_unconfirmed → kFailed with
// failure_reason "<status>" followed by payload.errors[0]'s code, title and detail when present),
// occurred_at = data.occurred_at. Telnyx does not echo our message id, so correlation_id stays empty.
// Both: vendor "telnyx", event_id "telnyx:" + data.id, channel kSms, vendor_channel "sms".
//
// Errors: kBadRequest when the body is not a JSON object. kValidation with details["field"] the RFC 6901 JSON
// pointer of the first bad field ("/data/payload/to/0/phone_number"; also in the message) when it is missing,
// empty, of the wrong type or malformed (times must be RFC 3339). Any other event type is kValidation with
// details["field"] "/data/event_type" and details["event_type"] the type received (printable, shortened).
// Nothing throws; any bytes are accepted.
core::Result<core::ChannelEvent> parse_message_event(std::string_view raw_body);

}  // namespace crossvoice::telnyx
