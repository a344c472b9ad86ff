#pragma once

#include "core/error.hpp"
#include "http/message.hpp"

namespace crossvoice::http {

// The one place that maps an error code to an HTTP status.
int http_status(core::ErrorCode code);

// {"success":false,"error":"<message>","code":"<code>","details":{…}} with the mapped status.
Response render_error(const core::Error& error);

}  // namespace crossvoice::http
