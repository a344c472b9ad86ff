#pragma once

#include <string>

#include "core/transcript.hpp"

namespace crossvoice::app {

// Subtitles from a transcript's utterances (or, when the engine gave none, its words in cues of at most
// ~7 s or 12 words), with the speaker's label in front when there is more than one speaker.
std::string to_srt(const core::Transcript& transcript);
std::string to_vtt(const core::Transcript& transcript);

// "HH:MM:SS,mmm" (SRT) or "HH:MM:SS.mmm" (WebVTT).
std::string subtitle_time(double seconds, char separator);

}  // namespace crossvoice::app
