#include "assistant/words.hpp"

#include <algorithm>
#include <array>

namespace crossvoice::assistant {
namespace {

// Sorted, for binary search. Question words, pronouns, auxiliaries, prepositions and the fillers callers put
// around a question. Words that name things a knowledge base covers ("number", "call", "help desk") stay out.
constexpr std::array<std::string_view, 153> kStopwords{
    "able",    "about",   "after",  "again",    "all",     "also",      "am",     "an",       "and",     "any",
    "anybody", "anymore", "anyone", "anything", "are",     "as",        "at",     "be",       "been",    "before",
    "being",   "but",     "by",     "can",      "can't",   "could",     "did",    "didn't",   "do",      "does",
    "doesn't", "doing",   "don't",  "each",     "either",  "else",      "even",   "ever",     "for",     "from",
    "get",     "give",    "go",     "going",    "got",     "had",       "happen", "happened", "happens", "has",
    "have",    "hello",   "her",    "here",     "hey",     "hi",        "him",    "his",      "how",     "i'd",
    "i'll",    "i'm",     "i've",   "if",       "in",      "instead",   "into",   "is",       "isn't",   "it",
    "it's",    "its",     "just",   "know",     "let",     "like",      "many",   "may",      "me",      "might",
    "more",    "much",    "must",   "my",       "need",    "no",        "not",    "now",      "of",      "ok",
    "okay",    "on",      "one",    "or",       "our",     "out",       "please", "possible", "really",  "right",
    "should",  "so",      "some",   "somebody", "someone", "something", "still",  "tell",     "than",    "thank",
    "thanks",  "that",    "the",    "their",    "them",    "then",      "there",  "there's",  "these",   "they",
    "they're", "thing",   "things", "this",     "those",   "to",        "too",    "up",       "us",      "use",
    "very",    "want",    "was",    "way",      "ways",    "we",        "we're",  "we've",    "were",    "what",
    "what's",  "when",    "where",  "which",    "who",     "why",       "will",   "with",     "won't",   "would",
    "you",     "you're",  "your"};

bool word_byte(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '\''; }

char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; }

bool ends_with(std::string_view word, std::string_view suffix) { return word.ends_with(suffix); }

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    const auto flush = [&] {
        while (!word.empty() && word.back() == '\'') word.pop_back();
        if (word.size() > 2 && ends_with(word, "'s")) word.resize(word.size() - 2);
        const auto first = word.find_first_not_of('\'');
        if (first != std::string::npos) words.push_back(word.substr(first));
        word.clear();
    };
    for (const char raw : text) {
        const char ch = lower(raw);
        if (word_byte(ch)) {
            word.push_back(ch);
        } else {
            flush();
        }
    }
    flush();
    return words;
}

bool is_stopword(std::string_view word) { return std::binary_search(kStopwords.begin(), kStopwords.end(), word); }

std::vector<std::string> content_words(std::string_view text) {
    std::vector<std::string> kept;
    for (auto& word : split_words(text)) {
        if (word.size() < 2 || is_stopword(word)) continue;
        if (std::find(kept.begin(), kept.end(), word) == kept.end()) kept.push_back(std::move(word));
    }
    return kept;
}

std::string stem(std::string_view word) {
    std::string out(word);
    const auto strip = [&](std::string_view suffix, std::size_t keep) {
        if (out.size() >= suffix.size() + keep && ends_with(out, suffix)) {
            out.resize(out.size() - suffix.size());
            return true;
        }
        return false;
    };
    if (!strip("ing", 3) && !strip("ed", 3) && !strip("es", 3) && !ends_with(out, "ss")) strip("s", 3);
    strip("e", 3);
    return out;
}

}  // namespace crossvoice::assistant
