#include "language/context_analyzer.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

#include "language/context_words.hpp"

namespace crossvoice::language {
namespace {

using core::ports::IntentCandidate;

constexpr std::size_t kMaxKeywords = 8;
constexpr std::size_t kMaxSummaryBytes = 200;
constexpr std::size_t kMaxCountedMatches = 3;  // a phrase said ten times is not ten times the evidence
constexpr std::size_t kNegationReach = 3;      // words after "not" whose polarity flips
constexpr double kNegationFactor = -0.75;      // "not happy" is less strong than "unhappy"
constexpr double kSentimentThreshold = 0.1;
constexpr double kIntentSentenceBonus = 3.0;  // a sentence stating the intent is the one worth quoting

double round3(double value) { return std::round(value * 1000.0) / 1000.0; }

std::vector<std::string> phrase_stems(std::string_view phrase) {
    std::vector<std::string> stems;
    for (auto& token : tokenize_text(phrase).tokens) {
        if (!token.placeholder) stems.push_back(std::move(token.stem));
    }
    return stems;
}

// Longer phrases are stronger evidence: "pay my bill" says more than "bill".
double phrase_weight(std::size_t words) { return static_cast<double>(words * words); }

bool matches_at(const std::vector<TextToken>& tokens, std::size_t at, const std::vector<std::string>& stems) {
    if (at + stems.size() > tokens.size()) return false;
    for (std::size_t k = 0; k < stems.size(); ++k) {
        if (tokens[at + k].placeholder || tokens[at + k].stem != stems[k]) return false;
    }
    return true;
}

struct IntentMatch {
    std::size_t candidate = 0;
    double score = 0;
};

struct PhraseHit {
    std::size_t token = 0;
    std::size_t words = 0;
};

double score_candidate(const IntentCandidate& candidate, const std::vector<TextToken>& tokens,
                       std::vector<PhraseHit>* hits) {
    double score = 0;
    for (const auto& phrase : candidate.phrases) {
        const auto stems = phrase_stems(phrase);
        if (stems.empty()) continue;
        std::size_t found = 0;
        for (std::size_t at = 0; at + stems.size() <= tokens.size(); ++at) {
            if (!matches_at(tokens, at, stems)) continue;
            ++found;
            if (hits != nullptr) hits->push_back(PhraseHit{at, stems.size()});
        }
        score += static_cast<double>(std::min(found, kMaxCountedMatches)) * phrase_weight(stems.size());
    }
    return score;
}

// Confidence grows with the evidence (saturating) and with the lead over the runner-up: a close call between
// two intents is an uncertain one however many phrases matched.
double intent_confidence(double best, double second) {
    const double strength = best / (best + 2.0);
    const double margin = (best - second) / best;
    return round3(strength * (0.5 + 0.5 * margin));
}

void analyze_intent(const std::vector<TextToken>& tokens, const std::vector<IntentCandidate>& intents,
                    core::Analysis& analysis, std::vector<PhraseHit>& hits) {
    analysis.intent = "unknown";
    analysis.intent_confidence = 0;
    IntentMatch best;
    double second = 0;
    for (std::size_t i = 0; i < intents.size(); ++i) {
        const double score = score_candidate(intents[i], tokens, nullptr);
        if (score > best.score) {  // ties keep the earlier candidate: the caller's order is its priority
            second = best.score;
            best = IntentMatch{i, score};
        } else if (score > second) {
            second = score;
        }
    }
    if (best.score <= 0) return;
    const auto& winner = intents[best.candidate];
    analysis.intent = winner.name;
    analysis.intent_confidence = intent_confidence(best.score, second);
    analysis.persona = winner.persona;
    score_candidate(winner, tokens, &hits);
}

core::Sentiment analyze_sentiment(const std::vector<TextToken>& tokens) {
    double raw = 0;
    std::size_t words = 0;
    std::size_t negation_left = 0;
    double intensity = 1.0;
    std::size_t sentence = 0;
    for (const auto& token : tokens) {
        if (token.sentence != sentence || token.clause_break_before) {
            negation_left = 0;
            intensity = 1.0;
            sentence = token.sentence;
        }
        if (token.placeholder) continue;
        ++words;
        if (is_negator(token.lower)) {
            negation_left = kNegationReach;
            continue;
        }
        if (const double factor = intensity_of(token.lower); factor != 1.0) {
            intensity *= factor;
            continue;
        }
        if (token.lower == "but") {  // "it was slow but they fixed it": what follows is the verdict
            negation_left = 0;
            intensity = 1.0;
            continue;
        }
        const double weight = sentiment_weight(token.lower, token.stem);
        if (weight != 0) {
            raw += weight * intensity * (negation_left > 0 ? kNegationFactor : 1.0);
            negation_left = 0;
            intensity = 1.0;
            continue;
        }
        // "don't think it was helpful": little words do not use up the negation's reach.
        if (negation_left > 0 && !is_stopword(token.lower)) --negation_left;
        intensity = 1.0;
    }
    core::Sentiment sentiment;
    if (words == 0) {
        sentiment.label = "neutral";
        return sentiment;
    }
    // Normalised by length so a single "thanks" in a long complaint does not make the call positive, then
    // squashed into -1..1.
    const double density = raw / std::sqrt(static_cast<double>(words));
    sentiment.score = round3(density / std::sqrt(density * density + 1.0));
    sentiment.label = sentiment.score >= kSentimentThreshold    ? "positive"
                      : sentiment.score <= -kSentimentThreshold ? "negative"
                                                                : "neutral";
    return sentiment;
}

bool is_keyword_word(const TextToken& token) {
    if (token.placeholder || token.lower.size() < 3) return false;
    if (token.lower.find('\'') != std::string::npos) return false;  // contractions: "i'm", "that's"
    if (std::all_of(token.lower.begin(), token.lower.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        return false;  // numbers are entities, not topics
    }
    return !is_stopword(token.lower) && !is_negator(token.lower) && intensity_of(token.lower) == 1.0;
}

struct TermCount {
    std::string label;  // the word as most often written (lower case), or "word word" for a bigram
    std::size_t count = 0;
    std::size_t first = 0;  // token index of the first occurrence, for a stable order
    bool bigram = false;
    std::vector<std::string> parts;  // a bigram's two stems
    std::unordered_map<std::string, std::size_t> forms;
};

// Frequency of each keyword-worthy stem; also the weights the summary scores sentences with.
std::unordered_map<std::string, TermCount> count_words(const std::vector<TextToken>& tokens) {
    std::unordered_map<std::string, TermCount> counts;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        if (!is_keyword_word(token)) continue;
        auto [entry, added] = counts.try_emplace(token.stem);
        if (added) entry->second.first = i;
        ++entry->second.count;
        ++entry->second.forms[token.lower];
    }
    for (auto& [stem, term] : counts) {
        std::size_t best = 0;
        for (const auto& [form, seen] : term.forms) {
            if (seen > best || (seen == best && form < term.label)) {
                best = seen;
                term.label = form;
            }
        }
    }
    return counts;
}

std::vector<std::string> pick_keywords(const std::vector<TextToken>& tokens,
                                       std::unordered_map<std::string, TermCount> words) {
    // Word pairs said more than once ("internet connection", "credit card") are one topic, not two.
    std::unordered_map<std::string, TermCount> pairs;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        const auto& left = tokens[i];
        const auto& right = tokens[i + 1];
        if (left.sentence != right.sentence || right.clause_break_before) continue;
        if (!is_keyword_word(left) || !is_keyword_word(right) || left.stem == right.stem) continue;
        auto [entry, added] = pairs.try_emplace(left.stem + " " + right.stem);
        if (added) {
            entry->second.first = i;
            entry->second.bigram = true;
            entry->second.label = left.lower + " " + right.lower;
            entry->second.parts = {left.stem, right.stem};
        }
        ++entry->second.count;
    }
    std::vector<TermCount> ranked;
    for (auto& [key, pair] : pairs) {
        if (pair.count < 2) continue;
        for (const auto& part : pair.parts) {
            auto& word = words[part];
            word.count -= std::min(word.count, pair.count);
        }
        ranked.push_back(std::move(pair));
    }
    for (auto& [stem, word] : words) {
        if (word.count > 0) ranked.push_back(std::move(word));
    }
    const auto weight = [](const TermCount& term) { return static_cast<double>(term.count) * (term.bigram ? 2 : 1); };
    std::sort(ranked.begin(), ranked.end(), [&](const TermCount& a, const TermCount& b) {
        if (weight(a) != weight(b)) return weight(a) > weight(b);
        if (a.first != b.first) return a.first < b.first;
        return a.bigram && !b.bigram;
    });
    std::vector<std::string> keywords;
    for (auto& term : ranked) {
        if (keywords.size() == kMaxKeywords) break;
        keywords.push_back(std::move(term.label));
    }
    return keywords;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() &&
           (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

// Cuts at a word boundary, never inside a UTF-8 character, and says it was cut.
std::string shorten(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    const std::string_view kEllipsis = "…";
    std::size_t cut = limit - kEllipsis.size();
    const std::size_t space = text.substr(0, cut + 1).rfind(' ');
    if (space != std::string_view::npos && space > limit / 2) {
        cut = space;
    } else {
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    }
    return std::string(trim(text.substr(0, cut))) + std::string(kEllipsis);
}

std::string summarize(std::string_view text, const TextTokens& parsed,
                      const std::unordered_map<std::string, TermCount>& words, const std::vector<PhraseHit>& hits) {
    const auto& sentences = parsed.sentences;
    if (sentences.empty()) return {};
    // Words said once carry no topic signal; repeated ones do, scaled to 0..1 by the most repeated word so
    // that a sentence stating the intent outranks any amount of repeated filler.
    std::size_t most = 1;
    for (const auto& [stem, term] : words) most = std::max(most, term.count);
    std::vector<double> scores(sentences.size(), 0.0);
    for (std::size_t s = 0; s < sentences.size(); ++s) {
        const auto& sentence = sentences[s];
        double weight = 0;
        for (std::size_t i = sentence.first_token; i < sentence.first_token + sentence.token_count; ++i) {
            const auto& token = parsed.tokens[i];
            if (most < 2 || !is_keyword_word(token)) continue;
            const auto found = words.find(token.stem);
            if (found != words.end()) {
                weight += static_cast<double>(found->second.count - 1) / static_cast<double>(most - 1);
            }
        }
        scores[s] = weight / std::sqrt(static_cast<double>(sentence.token_count));
    }
    for (const auto& hit : hits) {
        scores[parsed.tokens[hit.token].sentence] += kIntentSentenceBonus * static_cast<double>(hit.words);
    }
    std::vector<std::size_t> order(sentences.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });

    const auto sentence_text = [&](std::size_t index) {
        const auto& sentence = sentences[index];
        return trim(text.substr(sentence.begin, sentence.end - sentence.begin));
    };
    const std::string_view best = sentence_text(order[0]);
    // The runner-up, unless it only repeats the best (callers say the same thing twice).
    const auto runner_up = std::find_if(order.begin() + 1, order.end(), [&](std::size_t index) {
        return scores[index] > 0 && sentence_text(index) != best;
    });
    if (runner_up == order.end()) return shorten(best, kMaxSummaryBytes);
    const std::string_view next = sentence_text(*runner_up);
    if (best.size() + 1 + next.size() > kMaxSummaryBytes) return shorten(best, kMaxSummaryBytes);
    // Quoted in the order they were said, so the summary reads like the call.
    return order[0] < *runner_up ? std::string(best) + " " + std::string(next)
                                 : std::string(next) + " " + std::string(best);
}

}  // namespace

core::Analysis analyze_context(std::string_view text, const std::vector<IntentCandidate>& intents) {
    const TextTokens parsed = tokenize_text(text);
    core::Analysis analysis;
    std::vector<PhraseHit> hits;
    analyze_intent(parsed.tokens, intents, analysis, hits);
    analysis.sentiment = analyze_sentiment(parsed.tokens);
    auto words = count_words(parsed.tokens);
    analysis.summary = summarize(text, parsed, words, hits);
    analysis.keywords = pick_keywords(parsed.tokens, std::move(words));
    return analysis;
}

}  // namespace crossvoice::language
