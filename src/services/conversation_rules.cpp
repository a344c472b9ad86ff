#include "services/conversation_rules.hpp"

#include <array>
#include <cctype>

namespace crossvoice::services {
namespace {

// Phrases, each matched as whole words. "agent" and "representative" alone count: callers say just that.
constexpr std::array<std::string_view, 22> kPersonPhrases{"agent",
                                                          "representative",
                                                          "operator",
                                                          "human",
                                                          "real person",
                                                          "a person",
                                                          "someone real",
                                                          "live person",
                                                          "speak to someone",
                                                          "talk to someone",
                                                          "speak with someone",
                                                          "talk with someone",
                                                          "customer service rep",
                                                          "staff member",
                                                          "team member",
                                                          "somebody real",
                                                          "actual person",
                                                          "talk to a person",
                                                          "speak to a person",
                                                          "person please",
                                                          "manager",
                                                          "supervisor"};
// Only explicit asks to move the conversation: "do you support WhatsApp" is a question, not a request.
constexpr std::array<std::string_view, 11> kChatPhrases{
    "text me",          "send me a text", "send me a message", "message me",     "continue by chat", "continue in chat",
    "continue by text", "chat instead",   "text instead",      "switch to chat", "whatsapp instead"};
constexpr std::array<std::string_view, 10> kGoodbyePhrases{
    "goodbye",      "good bye", "bye",     "that's all",  "that is all",
    "nothing else", "i'm done", "all set", "hang up now", "no thanks that's it"};

constexpr std::array<std::string_view, 10> kCallBackPhrases{
    "call me",   "call me back", "give me a call", "phone me",    "ring me",
    "call back", "callback",     "a call back",    "please call", "can you call"};
constexpr std::array<std::string_view, 5> kNoCallPhrases{"don't call", "do not call", "dont call", "no calls",
                                                         "stop calling"};

bool contains(const std::string& words, std::string_view phrase) {
    std::string needle;
    needle.reserve(phrase.size() + 2);
    needle.push_back(' ');
    needle.append(phrase);
    needle.push_back(' ');
    return words.find(needle) != std::string::npos;
}

template <std::size_t N>
bool any_of(const std::string& words, const std::array<std::string_view, N>& phrases) {
    for (const auto phrase : phrases) {
        if (contains(words, phrase)) return true;
    }
    return false;
}

}  // namespace

bool asks_for_call_back(std::string_view text) {
    const auto words = normalized_words(text);
    return any_of(words, kCallBackPhrases) && !any_of(words, kNoCallPhrases);
}

std::string normalized_words(std::string_view text) {
    std::string out(" ");
    for (const char raw : text) {
        const auto c = static_cast<unsigned char>(raw);
        if (std::isalnum(c) != 0 || c == '\'' || c >= 0x80) {
            out.push_back(static_cast<char>(std::tolower(c)));
        } else if (out.back() != ' ') {
            out.push_back(' ');
        }
    }
    if (out.back() != ' ') out.push_back(' ');
    return out;
}

ConversationCue conversation_cue(std::string_view utterance) {
    const std::string words = normalized_words(utterance);
    // A person first: "text me or get me a person" is a request for a person.
    if (any_of(words, kPersonPhrases)) return ConversationCue::kWantsPerson;
    if (any_of(words, kChatPhrases)) return ConversationCue::kWantsChat;
    if (any_of(words, kGoodbyePhrases)) return ConversationCue::kGoodbye;
    return ConversationCue::kNone;
}

std::optional<PersonaMatch> match_persona(const std::vector<core::Persona>& personas, std::string_view utterance) {
    const std::string words = normalized_words(utterance);
    std::optional<PersonaMatch> best;
    for (const auto& persona : personas) {
        int hits = 0;
        for (const auto& topic : persona.topics) {
            const std::string topic_words = normalized_words(topic);  // " phrase ", padded like `words`
            if (topic_words.size() > 2 && words.find(topic_words) != std::string::npos) ++hits;
        }
        // A tie with the general persona goes to the specialist: "help with my bill" is billing.
        const bool better = !best || hits > best->hits || (hits == best->hits && best->persona->id == "shango-general");
        if (hits > 0 && better) best = PersonaMatch{&persona, hits};
    }
    return best;
}

std::string intent_of_persona(std::string_view persona_id) {
    if (persona_id == "shango-billing") return "billing";
    if (persona_id == "shango-technical") return "technical_support";
    if (persona_id == "shango-sales") return "sales";
    return "general";
}

}  // namespace crossvoice::services
