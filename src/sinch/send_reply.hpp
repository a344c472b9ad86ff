#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace crossvoice::sinch {

// Reading what POST /v1/projects/{project}/messages:send answers (vendor-apis.md G). Pure functions: no I/O,
// nothing throws, any bytes are accepted. Everything taken from a body is printable ASCII and shortened, because
// it ends up in logs and API responses. Every error has details vendor "sinch" and action "messages:send".

// The 2xx body {"accepted_time":"…","message_id":"…"} → the message id. Not JSON, or no non-empty message_id:
// kVendor with details["field"] "message_id" and vendor_status.
core::Result<std::string> parse_send_reply(const core::ports::HttpResponse& response);

// A non-2xx answer as the ChannelSender port classifies it: 400 kValidation (a message Sinch called malformed:
// not retried), 429 kRateLimited (details retry_after_seconds: Retry-After's delta-seconds, 1 to 86400, else 1),
// every other status kVendor. Details: vendor_status (the HTTP status) and, from {"error":{code, message, status,
// details}}, vendor_code, vendor_message, vendor_error (the status text, e.g. INVALID_ARGUMENT); a 400 names
// details["field"]: the first field violation's field when Sinch gives one, else "message". A body without that
// shape gives vendor_detail, an excerpt of it, instead.
core::Error send_refusal(const core::ports::HttpResponse& response);

}  // namespace crossvoice::sinch
