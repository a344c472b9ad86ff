#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace crossvoice::assistant {

// Callers do not speak the words of the documentation: they want their "money back" (a refund), send "texts"
// (messages), ring a "cell" (a mobile). These are the words a question implies beyond its own, from a small
// built-in table of customer-support paraphrases (lower-case `text`, its content `words`): each one not already
// among `words`, in table order. Retrieval adds them to the query; a passage that uses the caller's own word still
// scores higher, since it matches both.
std::vector<std::string> implied_words(std::string_view text, const std::vector<std::string>& words);

}  // namespace crossvoice::assistant
