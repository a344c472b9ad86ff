#pragma once

#include <string_view>
#include <vector>

#include "core/ports/transcript_pipeline.hpp"
#include "core/transcript.hpp"

namespace crossvoice::language {

// Context analysis of a transcript's text (the redacted text when redaction ran, so nothing redacted leaks
// into keywords or the summary): the best-matching intent of `intents` (with its persona), sentiment from a
// word lexicon with negation, keywords, and a short extractive summary. English word lists; other languages
// get intent matching on their phrases and neutral sentiment. Pure and thread-safe.
core::Analysis analyze_context(std::string_view text, const std::vector<core::ports::IntentCandidate>& intents);

}  // namespace crossvoice::language
