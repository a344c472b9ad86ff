#pragma once

#include <string>
#include <string_view>

namespace crossvoice::assistant {

// Markdown inline syntax removed so that the text reads aloud as it reads on the page: emphasis ('*', '_' at a
// word's edge, "~~"), code backticks, links and images ("[text](url)" and "![alt](url)" become their text,
// "<https://…>" its address), HTML tags and backslash escapes. Whitespace runs become one space; the ends are
// trimmed. Lenient: unbalanced brackets are left as text.
std::string strip_inline_markdown(std::string_view text);

// Whitespace runs as one space, without leading or trailing space.
std::string collapse_whitespace(std::string_view text);

}  // namespace crossvoice::assistant
