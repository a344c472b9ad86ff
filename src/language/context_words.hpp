#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crossvoice::language {

// The English word knowledge behind context analysis: a tokenizer that also finds sentences, a light stemmer,
// and the built-in word lists (stopwords, a sentiment lexicon for customer calls, negators, intensifiers).

struct TextToken {
    std::size_t begin = 0;  // byte offsets into the text, [begin, end)
    std::size_t end = 0;
    std::string lower;  // ASCII lower case, typographic apostrophes as '\''; empty for a placeholder
    std::string stem;   // stem_word(lower)
    std::size_t sentence = 0;
    bool placeholder = false;          // a redaction token such as "[CARD]": never a word of the text
    bool clause_break_before = false;  // ",", ";", ":" or a dash since the previous token: ends a negation
};

struct TextSentence {
    std::size_t begin = 0;  // byte offsets of the sentence in the text, its closing punctuation included
    std::size_t end = 0;
    std::size_t first_token = 0;
    std::size_t token_count = 0;
};

struct TextTokens {
    std::vector<TextToken> tokens;
    std::vector<TextSentence> sentences;
};

// Words are runs of letters, digits and UTF-8 characters (apostrophes inside a word kept: "don't").
// Sentences end at '.', '?' or '!' before a space or the end, and at line breaks; a sentence of more than 30
// words (engine text often has no punctuation) is cut into chunks of about 20.
TextTokens tokenize_text(std::string_view text);

// A stem for matching word forms ("bills", "billing", "billed" → the same stem); not a real word.
std::string stem_word(std::string_view lower);

bool is_stopword(std::string_view lower);
bool is_negator(std::string_view lower);
// How much a word strengthens (> 1: "very") or weakens (< 1: "slightly") the next sentiment word; 1 otherwise.
double intensity_of(std::string_view lower);
// The word's polarity in customer calls (-2..2), looked up by word and then by stem; 0 when not in the lexicon.
double sentiment_weight(std::string_view lower, std::string_view stem);

}  // namespace crossvoice::language
