#pragma once

#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "core/ports/carrier.hpp"
#include "core/result.hpp"

namespace crossvoice::telnyx {

// Reading what Telnyx Call Control v2 answers (vendor-apis.md A.2, A.6). Pure functions: no I/O, nothing throws,
// any bytes are accepted. Every error they return is kVendor with details["vendor"] = "telnyx".

// The 2xx body of POST /calls: {"data":{"call_control_id":"v3:…","call_leg_id":…,"call_session_id":…}}.
// data.call_control_id is required (without it the call cannot be controlled): its absence, or a body that is
// not JSON, is kVendor with details["field"] naming what was missing. The leg and session ids are kept when
// they are strings and left empty otherwise: the call is already ringing, and refusing the reply over an
// informational field would lose the one id that matters.
core::Result<core::ports::DialedCall> parse_dial_reply(std::string_view body);

// A non-2xx answer as the Carrier port describes it: kVendor, message "Telnyx <status>: <title>: <detail>",
// details vendor_status, and from the first entry of {"errors":[{code, title, detail, source:{pointer}}]}
// vendor_code, vendor_title, vendor_detail and vendor_pointer when present. A body without that shape (HTML
// from a proxy, truncated JSON, nothing) gives vendor_detail = a short excerpt of it instead. Everything taken
// from the body is reduced to printable ASCII and shortened, because it ends up in logs and API responses.
//
// For 429, details["retry_after_seconds"] is a whole number of seconds, 1 to 86400: from Retry-After when it
// holds delta-seconds, else from x-ratelimit-reset (Telnyx: seconds until the window resets), else "1".
// Header values are passed as received (nullopt when absent).
core::Error vendor_error(int status, std::string_view body, std::optional<std::string_view> retry_after_header,
                         std::optional<std::string_view> ratelimit_reset_header);

// Whether any entry of the body's `errors` array has this code (a string, or a number written the same way).
// The hangup command uses it for 90018, "call has already ended".
bool has_error_code(std::string_view body, std::string_view code);

}  // namespace crossvoice::telnyx
