#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ports/transcript_pipeline.hpp"

// The language of a line of chat, as SHANGO and the live translations both need it.
namespace crossvoice::services {

// BCP 47 in the shape carriers, speech engines and translators accept: a 2-3 letter language, then subtags of 1 to
// 8 letters or digits ("en", "en-US", "zh-Hant-TW", "en-x-twain"). Deeper validation is the engines'.
bool is_language_tag(std::string_view tag);

// "es-US" -> "es" (lower case); empty when the tag is not a language. Translation engines and the knowledge base
// work on base languages.
std::string base_language(std::string_view tag);

// The detector's answer for `text`, only when it is confident: short chat lines are where detectors guess.
std::optional<std::string> detect_confident_language(core::ports::TranscriptPipeline& detector, std::string_view text);

}  // namespace crossvoice::services
