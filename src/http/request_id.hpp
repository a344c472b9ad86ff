#pragma once

#include <string>
#include <string_view>

namespace crossvoice::http {

// A caller's X-Request-Id is kept when it is 1–128 characters of [A-Za-z0-9._:-]; otherwise
// (absent, too long, or carrying characters that could forge log lines) a new one is generated.
bool is_acceptable_request_id(std::string_view id);
std::string generate_request_id();

}  // namespace crossvoice::http
