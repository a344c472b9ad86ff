#include "assistant/fts5_query.hpp"

#include <cstddef>

#include "assistant/synonyms.hpp"
#include "assistant/words.hpp"

namespace crossvoice::assistant {
namespace {

// A spoken question has a dozen words; the cap bounds the work a pasted essay can cause.
constexpr std::size_t kMaxTerms = 32;

}  // namespace

std::string fts5_query(std::string_view text, std::string_view ignored_word) {
    std::string query;
    std::size_t terms = 0;
    auto words = content_words(text);
    std::erase(words, ignored_word);
    auto implied = implied_words(text, words);
    words.insert(words.end(), implied.begin(), implied.end());
    for (const auto& word : words) {
        if (terms == kMaxTerms) break;
        // content_words yields only [a-z0-9'], so no '"' needs escaping inside the quotes, and a quoted word is a
        // plain term to FTS5 even when it spells AND, OR, NOT or NEAR.
        if (!query.empty()) query += " OR ";
        query += '"';
        query += word;
        query += '"';
        ++terms;
    }
    return query;
}

}  // namespace crossvoice::assistant
