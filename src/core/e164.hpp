#pragma once

#include <string_view>

namespace crossvoice::core {

// E.164 syntax: '+', a non-zero country digit, at most 15 digits in all.
bool is_e164(std::string_view number);

}  // namespace crossvoice::core
