#pragma once

#include <string>
#include <string_view>

namespace crossvoice::assistant {

// Free text (a caller's question) as an FTS5 MATCH expression that cannot be a syntax error or an operator: its
// content words (see content_words) other than `ignored_word`, then the words they imply (implied_words), each in
// double quotes, joined with OR, at most 32 of them. Empty when the text has no content word; an empty expression
// must not be run. The index passes its platform's name as `ignored_word`: every document of the platform says
// it, so it tells nothing about which passage answers.
//   fts5_query("How do I get a REFUND?") == "\"refund\""
//   fts5_query("\"AND\" OR * NEAR(") == "\"near\""
std::string fts5_query(std::string_view text, std::string_view ignored_word = {});

}  // namespace crossvoice::assistant
