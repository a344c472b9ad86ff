#include "language/context_words.hpp"

#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace crossvoice::language {
namespace {

// Unpunctuated engine text is cut into chunks of this many words once a "sentence" grows past kLongSentence.
constexpr std::size_t kChunkWords = 20;
constexpr std::size_t kLongSentence = 30;
constexpr std::size_t kMaxPlaceholderBytes = 40;

// The word lists read better filled than one per line.
// clang-format off
constexpr std::array kStopwords = {
    // Words of any call that name no topic: fillers, and verbs of talking and trying.
    "actually", "anyway", "asked", "basically", "called", "calling", "came", "guess", "honestly", "keep", "keeps",
    "kept", "literally", "lot", "mean", "means", "probably", "seem", "seems", "show", "shows", "showed", "today",
    "told", "tomorrow", "tried", "try", "trying", "went", "yesterday",
    // The usual English stopwords.
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "anything", "are",
    "around", "as", "at", "back", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "bye", "can", "cannot", "come", "could", "did", "do", "does", "doing", "done", "down", "during", "each",
    "either", "else", "even", "ever", "every", "few", "for", "from", "further", "get", "gets", "getting", "give",
    "go", "goes", "going", "gonna", "got", "had", "has", "have", "having", "he", "hello", "her", "here", "hers",
    "herself", "hey", "hi", "him", "himself", "his", "hmm", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "know", "let", "like", "look", "make", "many", "may", "maybe", "me", "might", "mine", "more",
    "most", "much", "must", "my", "myself", "need", "needs", "no", "nor", "not", "now", "of", "off", "oh", "ok",
    "okay", "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "please",
    "put", "quite", "rather", "really", "right", "said", "same", "say", "says", "see", "she", "should", "so",
    "some", "someone", "something", "still", "such", "sure", "take", "tell", "than", "thank", "thanks", "that",
    "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "thing", "things", "think",
    "this", "those", "through", "to", "too", "uh", "uhm", "um", "under", "until", "up", "upon", "us", "very",
    "want", "wanted", "wants", "was", "way", "we", "well", "were", "what", "when", "where", "whether", "which",
    "while", "who", "whom", "why", "will", "with", "would", "yeah", "yep", "yes", "you", "your", "yours",
    "yourself", "yourselves",
};

constexpr std::array kNegators = {
    "not", "no", "never", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont",
    "wouldnt", "couldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint", "nothing", "none", "neither", "nor",
    "without", "hardly", "barely",
};

constexpr auto kIntensities = std::to_array<std::pair<std::string_view, double>>({
    {"very", 1.5}, {"really", 1.5}, {"extremely", 1.8}, {"so", 1.4}, {"super", 1.5}, {"totally", 1.5},
    {"absolutely", 1.6}, {"incredibly", 1.7}, {"completely", 1.5}, {"truly", 1.4}, {"highly", 1.5}, {"too", 1.3},
    {"seriously", 1.5}, {"utterly", 1.7}, {"most", 1.3}, {"quite", 1.2}, {"especially", 1.3}, {"terribly", 1.6},
    {"insanely", 1.7}, {"deeply", 1.5}, {"slightly", 0.5}, {"somewhat", 0.6}, {"bit", 0.6}, {"little", 0.6},
    {"kinda", 0.6}, {"fairly", 0.8}, {"marginally", 0.5},
});

// Polarity of words in customer calls. Wanting to cancel, asking for a refund or escalating are unhappy
// signals even when said politely; "sorry" mostly comes from agents apologising for a problem.
constexpr auto kLexicon = std::to_array<std::pair<std::string_view, double>>({
    // positive
    {"thanks", 1}, {"thank", 1}, {"thankful", 1.5}, {"grateful", 1.5}, {"appreciate", 1.5}, {"appreciated", 1.5},
    {"great", 1.5}, {"good", 1}, {"excellent", 2}, {"awesome", 2}, {"amazing", 2}, {"wonderful", 2},
    {"fantastic", 2}, {"perfect", 1.5}, {"happy", 1.5}, {"glad", 1.5}, {"pleased", 1.5}, {"satisfied", 1.5},
    {"love", 2}, {"lovely", 1.5}, {"helpful", 1.5}, {"helped", 1}, {"resolved", 1.5}, {"fixed", 1.5},
    {"solved", 1.5}, {"sorted", 1}, {"working", 0.5}, {"easy", 1}, {"quick", 1}, {"quickly", 1}, {"fast", 1},
    {"smooth", 1}, {"friendly", 1.5}, {"polite", 1}, {"nice", 1}, {"best", 1.5}, {"better", 1}, {"welcome", 1},
    {"brilliant", 2}, {"delighted", 2}, {"enjoy", 1.5}, {"enjoyed", 1.5}, {"recommend", 1.5}, {"reliable", 1},
    {"outstanding", 2}, {"superb", 2}, {"fine", 0.5}, {"success", 1}, {"successful", 1}, {"convenient", 1},
    {"clear", 0.5}, {"efficient", 1}, {"professional", 1}, {"patient", 1}, {"courteous", 1}, {"relieved", 1},
    {"impressed", 1.5}, {"cool", 1}, {"fair", 0.5}, {"valuable", 1}, {"accurate", 1}, {"correct", 0.5},
    {"approved", 1}, {"secure", 0.5}, {"exactly", 0.5}, {"pleasure", 1.5}, {"beautiful", 1.5}, {"excited", 1.5},
    {"fabulous", 2}, {"terrific", 2}, {"incredible", 1.5}, {"satisfying", 1.5}, {"improved", 1}, {"bonus", 1},
    {"free", 0.5},
    // negative
    {"angry", -2}, {"annoyed", -1.5}, {"annoying", -1.5}, {"upset", -1.5}, {"frustrated", -2}, {"frustrating", -2},
    {"furious", -2.5}, {"mad", -1.5}, {"disappointed", -2}, {"disappointing", -2}, {"unhappy", -2},
    {"terrible", -2.5}, {"horrible", -2.5}, {"awful", -2.5}, {"bad", -1.5}, {"worst", -2.5}, {"worse", -1.5},
    {"poor", -1.5}, {"useless", -2}, {"broken", -1.5}, {"wrong", -1.5}, {"error", -1}, {"fail", -1.5},
    {"failed", -1.5}, {"failure", -1.5}, {"problem", -1}, {"problems", -1}, {"issue", -0.5}, {"complaint", -1.5},
    {"complain", -1.5}, {"cancel", -1}, {"cancellation", -1}, {"refund", -0.5}, {"overcharged", -2}, {"scam", -2.5},
    {"fraud", -2}, {"ridiculous", -2}, {"unacceptable", -2.5}, {"rude", -2}, {"slow", -1}, {"late", -1},
    {"delay", -1}, {"delayed", -1}, {"waiting", -0.5}, {"outage", -1.5}, {"lost", -1}, {"missing", -1},
    {"stuck", -1}, {"confusing", -1}, {"confused", -1}, {"difficult", -1}, {"hate", -2.5}, {"sucks", -2},
    {"dead", -1}, {"crash", -1.5}, {"crashed", -1.5}, {"bug", -1}, {"glitch", -1}, {"leaving", -0.5},
    {"expensive", -1}, {"mistake", -1.5}, {"incorrect", -1.5}, {"damaged", -1.5}, {"defective", -2},
    {"dropped", -1}, {"disconnected", -1}, {"unreliable", -1.5}, {"incompetent", -2.5}, {"waste", -2},
    {"worried", -1}, {"concerned", -1}, {"sorry", -0.5}, {"unfortunately", -1}, {"sadly", -1}, {"nightmare", -2.5},
    {"disaster", -2.5}, {"hopeless", -2}, {"pathetic", -2.5}, {"shocking", -2}, {"escalate", -1},
    {"unresolved", -1.5}, {"ignored", -1.5}, {"nobody", -1}, {"unfair", -1.5}, {"insane", -1.5},
});
// clang-format on

struct Lexicon {
    std::unordered_set<std::string_view> stopwords{kStopwords.begin(), kStopwords.end()};
    std::unordered_set<std::string_view> negators{kNegators.begin(), kNegators.end()};
    std::unordered_map<std::string_view, double> intensities{kIntensities.begin(), kIntensities.end()};
    std::unordered_map<std::string_view, double> by_word{kLexicon.begin(), kLexicon.end()};
    std::unordered_map<std::string, double> by_stem;

    Lexicon() {
        for (const auto& [word, weight] : kLexicon) by_stem.emplace(stem_word(word), weight);
    }
};

const Lexicon& lexicon() {
    static const Lexicon instance;  // built once; read-only afterwards, so shared freely across threads
    return instance;
}

bool is_ascii_alnum(unsigned char byte) {
    return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9');
}

bool is_space(unsigned char byte) {
    return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\f' || byte == '\v';
}

// Bytes of typographic punctuation that UTF-8 encodes as E2 80 xx (dashes, quotes, ellipsis) and the no-break
// space C2 A0 separate words; other non-ASCII bytes are letters of some script.
std::size_t separator_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0U; };
    if (byte(at) == 0xE2 && byte(at + 1) == 0x80 && byte(at + 2) >= 0x80 && byte(at + 2) <= 0xBF) return 3;
    if (byte(at) == 0xC2 && byte(at + 1) == 0xA0) return 2;
    return 0;
}

bool is_typographic_apostrophe(std::string_view text, std::size_t at) {
    return at + 2 < text.size() && static_cast<unsigned char>(text[at]) == 0xE2 &&
           static_cast<unsigned char>(text[at + 1]) == 0x80 && static_cast<unsigned char>(text[at + 2]) == 0x99;
}

bool is_word_byte(std::string_view text, std::size_t at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    return is_ascii_alnum(byte) || (byte >= 0x80 && separator_length(text, at) == 0);
}

// Length of an apostrophe at `at` that joins two word characters ("don't", "customer’s"); 0 otherwise.
std::size_t joining_apostrophe(std::string_view text, std::size_t at) {
    std::size_t length = 0;
    if (text[at] == '\'') length = 1;
    if (is_typographic_apostrophe(text, at)) length = 3;
    if (length == 0 || at + length >= text.size()) return 0;
    return is_word_byte(text, at + length) ? length : 0;
}

std::string lower_word(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (is_typographic_apostrophe(raw, i)) {
            out.push_back('\'');
            i += 2;
            continue;
        }
        const char ch = raw[i];
        out.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
    }
    return out;
}

bool ends_with(std::string_view word, std::string_view suffix) { return word.ends_with(suffix); }

class SentenceBuilder {
  public:
    explicit SentenceBuilder(TextTokens& out) : out_(out) {}

    // Closes the sentence running since the last close, `end` being where its text stops.
    void close(std::size_t end) {
        const std::size_t count = out_.tokens.size() - first_;
        if (count == 0) return;
        if (count <= kLongSentence) {
            add(first_, count, end);
        } else {
            std::size_t at = first_;
            std::size_t left = count;
            while (left > 0) {
                // The last chunk absorbs a short remainder rather than leaving a fragment of a few words.
                const std::size_t take = left < kChunkWords + kChunkWords / 2 ? left : kChunkWords;
                add(at, take, take == left ? end : out_.tokens[at + take - 1].end);
                at += take;
                left -= take;
            }
        }
        first_ = out_.tokens.size();
    }

  private:
    void add(std::size_t first, std::size_t count, std::size_t end) {
        const std::size_t index = out_.sentences.size();
        for (std::size_t i = first; i < first + count; ++i) out_.tokens[i].sentence = index;
        out_.sentences.push_back(TextSentence{out_.tokens[first].begin, end, first, count});
    }

    TextTokens& out_;
    std::size_t first_ = 0;
};

}  // namespace

TextTokens tokenize_text(std::string_view text) {
    TextTokens out;
    out.tokens.reserve(text.size() / 5 + 1);
    SentenceBuilder sentences(out);
    bool clause_break = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const char ch = text[i];
        if (ch == '[') {
            // A redaction token: one opaque placeholder, not the words of its label.
            const std::size_t close = text.find(']', i + 1);
            if (close != std::string_view::npos && close > i + 1 && close - i <= kMaxPlaceholderBytes) {
                const auto inside = text.substr(i + 1, close - i - 1);
                bool plain = true;
                for (const char c : inside) plain = plain && !is_space(static_cast<unsigned char>(c)) && c != '\n';
                if (plain) {
                    TextToken token;
                    token.begin = i;
                    token.end = close + 1;
                    token.placeholder = true;
                    token.clause_break_before = clause_break;
                    clause_break = false;
                    out.tokens.push_back(std::move(token));
                    i = close + 1;
                    continue;
                }
            }
        }
        if (is_word_byte(text, i)) {
            const std::size_t begin = i;
            while (i < text.size()) {
                if (is_word_byte(text, i)) {
                    ++i;
                } else if (const std::size_t apostrophe = joining_apostrophe(text, i); apostrophe > 0) {
                    i += apostrophe;
                } else {
                    break;
                }
            }
            TextToken token;
            token.begin = begin;
            token.end = i;
            token.lower = lower_word(text.substr(begin, i - begin));
            token.stem = stem_word(token.lower);
            token.clause_break_before = clause_break;
            clause_break = false;
            out.tokens.push_back(std::move(token));
            continue;
        }
        if (const std::size_t separator = separator_length(text, i); separator > 0) {
            clause_break = true;  // a dash, an ellipsis or a quote mark
            i += separator;
            continue;
        }
        if (ch == '.' || ch == '?' || ch == '!') {
            std::size_t end = i + 1;
            while (end < text.size() && (text[end] == '.' || text[end] == '?' || text[end] == '!')) ++end;
            const bool at_break = end == text.size() || is_space(static_cast<unsigned char>(text[end])) ||
                                  text[end] == '\n' || text[end] == '"' || text[end] == '\'' || text[end] == ')';
            if (at_break) {
                sentences.close(end);
                clause_break = false;
            }
            i = end;
            continue;
        }
        if (ch == '\n') {
            sentences.close(out.tokens.empty() ? 0 : out.tokens.back().end);
            clause_break = false;
        } else if (ch == ',' || ch == ';' || ch == ':' || ch == '-' || ch == '(' || ch == ')') {
            clause_break = true;
        }
        ++i;
    }
    sentences.close(out.tokens.empty() ? 0 : out.tokens.back().end);
    return out;
}

std::string stem_word(std::string_view lower) {
    std::string word(lower);
    if (ends_with(word, "'s")) word.resize(word.size() - 2);
    const std::size_t size = word.size();
    if (size > 4 && ends_with(word, "ies")) {
        word.resize(size - 3);
        word.push_back('y');
    } else if (size >= 6 && ends_with(word, "ing")) {
        word.resize(size - 3);
    } else if (size >= 5 && ends_with(word, "ed")) {
        word.resize(size - 2);
    } else if (size > 3 && ends_with(word, "s") && !ends_with(word, "ss") && !ends_with(word, "us") &&
               !ends_with(word, "is")) {
        word.resize(size - 1);
    }
    // Applied to every form alike, so "charge"/"charged" and "bill"/"billing"/"cancelled"/"cancel" meet.
    if (word.size() > 3 && word.back() == 'e') word.pop_back();
    if (word.size() > 3 && word.back() == word[word.size() - 2] &&
        is_ascii_alnum(static_cast<unsigned char>(word.back()))) {
        word.pop_back();
    }
    return word;
}

bool is_stopword(std::string_view lower) { return lexicon().stopwords.contains(lower); }

bool is_negator(std::string_view lower) {
    if (lower.ends_with("n't")) return true;  // don't, isn't, can't, won't, …
    return lexicon().negators.contains(lower);
}

double intensity_of(std::string_view lower) {
    const auto& intensities = lexicon().intensities;
    const auto found = intensities.find(lower);
    return found == intensities.end() ? 1.0 : found->second;
}

double sentiment_weight(std::string_view lower, std::string_view stem) {
    const auto& words = lexicon();
    if (const auto found = words.by_word.find(lower); found != words.by_word.end()) return found->second;
    if (stem.empty()) return 0;
    if (const auto found = words.by_stem.find(std::string(stem)); found != words.by_stem.end()) return found->second;
    return 0;
}

}  // namespace crossvoice::language
