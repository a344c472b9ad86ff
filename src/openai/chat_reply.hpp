#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

// What an OpenAI-compatible chat model answered, read without trusting it: the pure functions the chat
// responder uses, kept apart so they can be unit-tested on fixtures and fuzzed.
namespace crossvoice::openai {

struct ParsedChatReply {
    std::string content;                  // choices[0].message.content, as sent (may be empty with a tool call)
    std::vector<std::string> tool_names;  // choices[0].message.tool_calls[i].function.name, in order, non-empty
};

// A 2xx body of POST /v1/chat/completions. Only choices[0] counts (we never ask for n > 1). Content may be a
// string, null, or an array of {"type":"text","text"} parts (some compatible servers); a tool call's
// `arguments` is never read, so a malformed one does no harm. The legacy `function_call` is read as a tool
// call. Errors are kVendor "malformed chat completion: <what>", where <what> is our own words (and a 200 that
// carries an OpenAI error object adds its printable message as the detail "vendor_message").
core::Result<ParsedChatReply> parse_chat_completion(std::string_view body);

// The answer text with its citation markers taken out: "[1]", "[2, 3]", "[1][4]" (numbers 1..99). A
// marker's numbers that name a passage sent (1..passage_count) are returned as 0-based indexes, first
// citation first and each once; markers with other numbers are removed too, since they are never meant to
// be read out. The whitespace the markers leave is tidied; line breaks are kept.
struct CitedText {
    std::string text;
    std::vector<std::size_t> cited;  // 0-based passage indexes, each < passage_count
};
CitedText strip_citations(std::string_view text, std::size_t passage_count);

// Text a voice can read: markdown emphasis, headings, code ticks, quote marks and list bullets removed,
// links reduced to their words, every run of whitespace (line breaks too) made one space, trimmed. Bytes
// outside ASCII are kept as they are.
std::string speakable(std::string_view text);

}  // namespace crossvoice::openai
