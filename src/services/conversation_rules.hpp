#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/assistant.hpp"

// What a caller or chatter says that decides the conversation's course whatever the answer would be: asking for a
// person always hands off, asking to continue by text hands off to chat, saying goodbye ends it. These run
// before any responder, so a model cannot talk a caller out of reaching a person.
namespace crossvoice::services {

enum class ConversationCue { kNone, kWantsPerson, kWantsChat, kGoodbye };

// Works on English text (the use-case translates first). Lower-case, punctuation-insensitive phrase matching.
ConversationCue conversation_cue(std::string_view utterance);

// True when a customer writing by text asks to be called ("call me back", "can you give me a call"), and
// not when they ask not to be ("don't call me"). English, like conversation_cue.
bool asks_for_call_back(std::string_view text);

// The persona whose topics the utterance names most (ties: a specialist over shango-general, else the first in
// `personas`), and how many topic phrases it matched; nullopt when it names none.
struct PersonaMatch {
    const core::Persona* persona = nullptr;
    int hits = 0;
};
std::optional<PersonaMatch> match_persona(const std::vector<core::Persona>& personas, std::string_view utterance);

// The intent name a persona stands for: shango-billing -> "billing", shango-technical -> "technical_support",
// shango-sales -> "sales", anything else -> "general".
std::string intent_of_persona(std::string_view persona_id);

// `text` lower-cased with every run of characters other than letters, digits and apostrophes made one space,
// padded with a space at both ends, so " phrase " finds whole words.
std::string normalized_words(std::string_view text);

}  // namespace crossvoice::services
