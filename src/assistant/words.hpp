#pragma once

#include <string>
#include <string_view>
#include <vector>

// The words of a question or a passage as retrieval and the responder compare them: lower-case ASCII letters,
// digits and apostrophes, without the little words every question has.
namespace crossvoice::assistant {

// Every run of [a-z0-9'] in `text` (ASCII letters lower-cased; any other byte separates words), in order, with
// leading and trailing apostrophes and a possessive "'s" removed.
std::vector<std::string> split_words(std::string_view text);

// True for the English function words and conversational fillers ("what", "the", "please", "tell") that say
// nothing about which passage answers a question.
bool is_stopword(std::string_view word);

// The words of `text` that carry its topic: split_words without stopwords and one-character words, each once, in
// order of first appearance.
std::vector<std::string> content_words(std::string_view text);

// A crude stem, enough to match "refunds", "refunded" and "refunding" to "refund": strips -ing, -ed, -es, -s and
// then a final -e, keeping at least three letters.
std::string stem(std::string_view word);

}  // namespace crossvoice::assistant
