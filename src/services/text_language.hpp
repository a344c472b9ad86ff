#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ports/transcript_pipeline.hpp"

// The language of a line of chat, as SHANGO and the live translations both need it.
namespace crossvoice::services {

// "es-US" -> "es" (lower case); empty when the tag is not a language. Translation engines and the knowledge base
// work on base languages.
std::string base_language(std::string_view tag);

// The detector's answer for `text`, only when it is confident: short chat lines are where detectors guess.
std::optional<std::string> detect_confident_language(core::ports::TranscriptPipeline& detector, std::string_view text);

}  // namespace crossvoice::services
