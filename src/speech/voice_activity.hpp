#pragma once

#include <vector>

#include "core/wav.hpp"

namespace crossvoice::speech {

struct SpeechRegion {
    double start = 0;  // seconds
    double end = 0;
};

struct VoiceActivityOptions {
    int frame_ms = 20;
    int min_speech_ms = 120;  // shorter bursts (clicks, coughs) are not speech
    int hangover_ms = 300;    // silence shorter than this inside speech does not end a region
    int padding_ms = 100;     // added before and after each region, so word edges are not cut
};

// Finds the regions of `mono` that hold speech. Energy against an adaptive noise floor, with hysteresis:
// works on telephone audio (8 kHz μ-law noise) and on clean recordings alike. Regions are sorted and do
// not overlap. Empty for silence.
std::vector<SpeechRegion> find_speech(const core::PcmAudio& mono, const VoiceActivityOptions& options = {});

}  // namespace crossvoice::speech
