#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// Passage text cut into sentences and made fit to be spoken.
namespace crossvoice::assistant {

// The sentences of plain text, in order, each trimmed. A sentence ends at '.', '!' or '?' followed by a space and
// then an upper-case letter, a digit, a quote or a non-ASCII character, or at the end of the text, so "e.g. a
// card" and "$5.50" stay whole.
std::vector<std::string_view> split_sentences(std::string_view text);

// Words separated by spaces.
std::size_t count_words(std::string_view text);

// Every web address ("http://…", "https://…", "www.…") replaced by `replacement`; punctuation that ends the
// sentence after the address stays.
std::string replace_urls(std::string_view text, std::string_view replacement);

// Text for a speech synthesizer: markdown characters that survived ('*', '#', '`', '|', '_', '<', '>') become
// spaces and web addresses become "our website".
std::string speakable(std::string_view text);

// At most `max_words` words of a sentence: the text itself when it is short enough, otherwise cut after the last
// ',' or ';' within the limit (or at the limit) and ended with a full stop.
std::string shorten_sentence(std::string_view sentence, std::size_t max_words);

}  // namespace crossvoice::assistant
