#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Knowledge text comes from operators (files, the API) and ends up in JSON replies and in the speech synthesizer,
// both of which choke on broken UTF-8 or control bytes. These helpers make any bytes safe to pass on.
namespace crossvoice::assistant {

// `text` with every invalid or overlong UTF-8 sequence dropped and every control character other than '\n' turned
// into a space ('\r' and '\t' included), so the result is valid UTF-8 that prints on one line per '\n'.
std::string clean_utf8(std::string_view text);

// The longest prefix of valid UTF-8 `text` that is at most `max_bytes` long and does not cut a character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace crossvoice::assistant
