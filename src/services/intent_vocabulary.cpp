#include "services/intent_vocabulary.hpp"

#include "services/conversation_rules.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <variant>

namespace crossvoice::services {
namespace {

using core::ports::IntentCandidate;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The persona whose topic shares the most words with the option's phrases; nullopt when none do.
std::optional<std::string> persona_for(const std::vector<std::string>& phrases,
                                       const std::vector<IntentCandidate>& personas) {
    std::optional<std::string> best;
    std::size_t best_hits = 0;
    for (const auto& persona : personas) {
        std::size_t hits = 0;
        for (const auto& phrase : phrases) {
            for (const auto& word : persona.phrases) {
                if (lower(phrase).find(word) != std::string::npos) ++hits;
            }
        }
        if (hits > best_hits) {
            best_hits = hits;
            best = persona.persona;
        }
    }
    return best;
}

}  // namespace

std::vector<IntentCandidate> intent_vocabulary(const std::vector<std::shared_ptr<const core::ivr::IvrFlow>>& flows,
                                               const std::vector<core::Persona>& personas_of_platform) {
    std::vector<IntentCandidate> candidates;
    for (const auto& persona : personas_of_platform) {
        candidates.push_back({intent_of_persona(persona.id), persona.topics, persona.id});
    }
    const auto personas = candidates;
    std::set<std::string> seen;
    for (const auto& flow : flows) {
        if (!flow) continue;
        for (const auto& node : flow->nodes) {
            const auto* menu = std::get_if<core::ivr::MenuNode>(&node.body);
            if (menu == nullptr) continue;
            for (const auto& option : menu->options) {
                std::vector<std::string> phrases = option.phrases;
                phrases.insert(phrases.end(), option.synonyms.begin(), option.synonyms.end());
                if (phrases.empty() || option.next.empty() || !seen.insert(option.next).second) continue;
                IntentCandidate candidate{option.next, phrases, persona_for(phrases, personas)};
                candidates.push_back(std::move(candidate));
            }
        }
    }
    return candidates;
}

}  // namespace crossvoice::services
