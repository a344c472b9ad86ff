#include "services/intent_vocabulary.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <variant>

namespace crossvoice::services {
namespace {

using core::ports::IntentCandidate;

// The personas' scopes as words callers use. Issue 6 (SHANGO) moves these into per-platform configuration.
std::vector<IntentCandidate> persona_topics() {
    return {
        {"billing",
         {"bill", "billing", "invoice", "payment", "pay", "charge", "charged", "refund", "card", "balance",
          "subscription", "price", "receipt", "overcharged"},
         "shango-billing"},
        {"technical_support",
         {"not working", "broken", "error", "crash", "technical", "support", "outage", "bug", "login", "password",
          "reset", "connect", "install", "slow", "down"},
         "shango-technical"},
        {"sales",
         {"buy", "purchase", "pricing", "plan", "upgrade", "demo", "quote", "sales", "new account", "trial", "discount",
          "order"},
         "shango-sales"},
        {"general",
         {"hours", "open", "information", "question", "help", "speak to someone", "agent", "representative",
          "operator"},
         "shango-general"},
    };
}

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

std::vector<IntentCandidate> intent_vocabulary(const std::vector<std::shared_ptr<const core::ivr::IvrFlow>>& flows) {
    auto candidates = persona_topics();
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
