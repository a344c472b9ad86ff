#pragma once

#include <string_view>
#include <vector>

namespace crossvoice::http {

// The items of a comma-separated header value (Sec-WebSocket-Protocol, Connection, Upgrade), each without the
// spaces and tabs around it; empty items are dropped. The views point into `value`.
std::vector<std::string_view> comma_separated(std::string_view value);

}  // namespace crossvoice::http
