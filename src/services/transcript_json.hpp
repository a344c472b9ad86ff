#pragma once

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/transcript.hpp"

namespace crossvoice::services {

// The transcription object of the API ({text, confidence, language, timestamp, words, speakers, utterances,
// entities, redactedText, translation, analysis, …}), as returned, stored and sent to callbacks.
nlohmann::json transcript_json(const core::Transcript& transcript, core::TimePoint timestamp);

}  // namespace crossvoice::services
