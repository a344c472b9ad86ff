#include "assistant/knowledge_responder.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "assistant/sentences.hpp"
#include "assistant/words.hpp"

namespace crossvoice::assistant {
namespace {

// Sorted, unique stems of a text's content words.
using Stems = std::vector<std::string>;

// Words this short are too ambiguous to match by prefix ("plan" would match "planet").
constexpr std::size_t kMinPrefix = 5;

Stems stems_of(std::string_view text) {
    Stems stems;
    for (const auto& word : split_words(text)) {
        if (word.size() >= 2 && !is_stopword(word)) stems.push_back(stem(word));
    }
    std::sort(stems.begin(), stems.end());
    stems.erase(std::unique(stems.begin(), stems.end()), stems.end());
    return stems;
}

Stems question_stems(std::string_view utterance) {
    Stems stems;
    for (const auto& word : content_words(utterance)) stems.push_back(stem(word));
    std::sort(stems.begin(), stems.end());
    stems.erase(std::unique(stems.begin(), stems.end()), stems.end());
    return stems;
}

// The same stem, or one of at least kMinPrefix letters that begins the other ("cancel" / "cancelled",
// "transfer" / "transferring"): the crude stemmer leaves such pairs apart.
bool covers(const Stems& stems, const std::string& word) {
    if (std::binary_search(stems.begin(), stems.end(), word)) return true;
    if (word.size() >= kMinPrefix) {
        const auto longer = std::lower_bound(stems.begin(), stems.end(), word);
        if (longer != stems.end() && longer->starts_with(word)) return true;
        for (std::size_t length = kMinPrefix; length < word.size(); ++length) {
            if (std::binary_search(stems.begin(), stems.end(), word.substr(0, length))) return true;
        }
    }
    return false;
}

std::size_t covered(const Stems& question, const Stems& text) {
    return static_cast<std::size_t>(
        std::count_if(question.begin(), question.end(), [&](const std::string& word) { return covers(text, word); }));
}

struct RankedSentence {
    std::size_t position = 0;
    std::size_t matches = 0;
    std::string_view text;
};

// The passage's sentences, best match first; equal matches keep document order, so with no match at all the
// answer is the passage's opening.
std::vector<RankedSentence> rank_sentences(const Stems& question, std::string_view text) {
    std::vector<RankedSentence> ranked;
    const auto sentences = split_sentences(text);
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        ranked.push_back(RankedSentence{i, covered(question, stems_of(sentences[i])), sentences[i]});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const RankedSentence& a, const RankedSentence& b) { return a.matches > b.matches; });
    return ranked;
}

std::string join_in_document_order(std::vector<RankedSentence> chosen, std::vector<std::string> texts) {
    std::vector<std::size_t> order(chosen.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return chosen[a].position < chosen[b].position; });
    std::string joined;
    for (const std::size_t i : order) {
        if (!joined.empty()) joined.push_back(' ');
        joined += texts[i];
    }
    return joined;
}

}  // namespace

KnowledgeResponder::KnowledgeResponder(KnowledgeResponderOptions options) : options_(options) {}

// confidence = coverage × (0.8 + 0.2 × lead), in [0, 1]:
//   coverage: the share of the utterance's content words (stopwords removed, crudely stemmed) found in the best
//             passage's document name, heading or text. An off-topic question shares at most an incidental word
//             with whatever retrieval found ("tell me a joke about cats" → "joke", "cats": nothing), an on-topic
//             one most of its words.
//   lead:     (s1 - s2) / s1 for the best two retrieval scores (1 with a single passage): how clearly the best
//             passage beats the next. It only shades the coverage (at most 20 %), because neighbouring sections of
//             one document often tie on a good question.
// No passages or no content words: 0.
double KnowledgeResponder::confidence(std::string_view utterance, const std::vector<core::KnowledgePassage>& passages) {
    const Stems question = question_stems(utterance);
    if (question.empty() || passages.empty()) return 0;
    const auto& best = passages.front();
    // The example questions count: a question worded like one of them is one the passage answers.
    const Stems text = stems_of(best.document + " " + best.heading + " " + best.text + " " + best.asks);
    const double coverage = static_cast<double>(covered(question, text)) / static_cast<double>(question.size());
    double lead = 1;
    if (passages.size() > 1 && best.score > 0)
        lead = std::clamp((best.score - passages[1].score) / best.score, 0.0, 1.0);
    return std::clamp(coverage * (0.8 + 0.2 * lead), 0.0, 1.0);
}

core::Result<core::AssistantReply> KnowledgeResponder::respond(const core::AssistantRequest& request) {
    core::AssistantReply reply;
    reply.persona = request.persona.id;
    reply.intent = request.intent;
    reply.responder = std::string(name());
    const bool voice = request.channel == core::Channel::kVoice;
    try {
        reply.confidence = confidence(request.utterance, request.passages);
        if (request.passages.empty() || reply.confidence < options_.handoff_below) {
            reply.text = std::string(voice ? kVoiceHandoffText : kChatHandoffText);
            reply.handoff = core::Handoff::kAgent;
            return reply;
        }
        const Stems question = question_stems(request.utterance);
        const auto& best = request.passages.front();
        auto ranked = rank_sentences(question, best.text);
        std::vector<RankedSentence> chosen;
        std::vector<std::string> texts;
        if (voice) {
            std::size_t words = 0;
            for (const auto& sentence : ranked) {
                if (chosen.size() == options_.voice_sentences) break;
                // A second spoken sentence must earn its time by matching the question too.
                if (!chosen.empty() && sentence.matches == 0 && chosen.front().matches > 0) break;
                std::string spoken = speakable(sentence.text);
                if (chosen.empty()) spoken = shorten_sentence(spoken, options_.voice_max_words);
                const std::size_t length = count_words(spoken);
                if (!chosen.empty() && words + length > options_.voice_max_words) continue;
                words += length;
                chosen.push_back(sentence);
                texts.push_back(std::move(spoken));
            }
        } else {
            for (const auto& sentence : ranked) {
                if (chosen.size() == options_.chat_sentences) break;
                chosen.push_back(sentence);
                texts.emplace_back(sentence.text);
            }
        }
        reply.text = join_in_document_order(std::move(chosen), std::move(texts));
        reply.sources.push_back(best.id);

        // A close second from another section often holds the other half of a written answer ("how do I pay and
        // when is it charged?"); a spoken answer stays with one passage.
        if (!voice && request.passages.size() > 1) {
            const auto& second = request.passages[1];
            if (second.score >= 0.8 * best.score && second.heading != best.heading) {
                const auto extra = rank_sentences(question, second.text);
                if (!extra.empty() && extra.front().matches > 0) {
                    reply.text += ' ';
                    reply.text += extra.front().text;
                    reply.sources.push_back(second.id);
                }
            }
        }
        if (reply.text.empty()) {
            reply.text = std::string(voice ? kVoiceHandoffText : kChatHandoffText);
            reply.handoff = core::Handoff::kAgent;
            reply.sources.clear();
        }
        return reply;
    } catch (const std::exception&) {
        // Out of memory is the only way here; the use-case still gets a reply it can act on.
        reply.text = std::string(voice ? kVoiceHandoffText : kChatHandoffText);
        reply.handoff = core::Handoff::kAgent;
        reply.sources.clear();
        return reply;
    }
}

}  // namespace crossvoice::assistant
