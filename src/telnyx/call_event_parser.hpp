#pragma once

#include <string_view>

#include "core/call.hpp"
#include "core/result.hpp"

namespace crossvoice::telnyx {

// Reads one Telnyx webhook body (the envelope {"data":{id, event_type, occurred_at, payload}, "meta":{attempt}})
// into a core::CallEvent. Call the WebhookVerifier on the same raw bytes first: this only reads.
//
// Required: data.id, data.event_type, data.occurred_at (RFC 3339) and, for call.* and streaming.* events,
// data.payload.call_control_id, all non-empty. Event types we do not act on parse as kUnknown (and every
// message.* event as kMessage) rather than failing, so that a new Telnyx event is stored instead of being
// refused. Errors: kBadRequest when the body is not a JSON object; kValidation with details["field"] the
// JSON path ("data.payload.call_control_id") when a field is missing, of the wrong type or malformed.
// Nothing throws.
core::Result<core::CallEvent> parse_call_event(std::string_view raw_body);

}  // namespace crossvoice::telnyx
