#include "app/transcript_formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace crossvoice::app {
namespace {

struct Cue {
    double start = 0;
    double end = 0;
    std::string text;
};

constexpr double kMaxCueSeconds = 7.0;
constexpr std::size_t kMaxCueWords = 12;

std::string speaker_label(const core::Transcript& transcript, std::optional<int> speaker) {
    if (!speaker || transcript.speakers.size() < 2) return "";
    for (const auto& known : transcript.speakers) {
        if (known.id == *speaker) return known.label + ": ";
    }
    return fmt::format("speaker {}: ", *speaker + 1);
}

std::vector<Cue> cues(const core::Transcript& transcript) {
    std::vector<Cue> out;
    if (!transcript.utterances.empty()) {
        for (const auto& utterance : transcript.utterances) {
            if (utterance.text.empty()) continue;
            out.push_back(
                {utterance.start, utterance.end, speaker_label(transcript, utterance.speaker) + utterance.text});
        }
        return out;
    }
    Cue current;
    std::size_t words = 0;
    std::optional<int> speaker;
    for (const auto& word : transcript.words) {
        const bool full = words > 0 && (words >= kMaxCueWords || word.end - current.start > kMaxCueSeconds ||
                                        word.speaker != speaker);
        if (full) {
            out.push_back(current);
            current = {};
            words = 0;
        }
        if (words == 0) {
            current.start = word.start;
            speaker = word.speaker;
            current.text = speaker_label(transcript, word.speaker);
        } else {
            current.text += ' ';
        }
        current.text += word.punctuated.empty() ? word.word : word.punctuated;
        current.end = word.end;
        ++words;
    }
    if (words > 0) out.push_back(current);
    if (out.empty() && !transcript.text.empty()) out.push_back({0, transcript.duration, transcript.text});
    return out;
}

}  // namespace

std::string subtitle_time(double seconds, char separator) {
    const auto total_ms = static_cast<long long>(std::llround(std::max(seconds, 0.0) * 1000.0));
    return fmt::format("{:02}:{:02}:{:02}{}{:03}", total_ms / 3'600'000, total_ms / 60'000 % 60, total_ms / 1000 % 60,
                       separator, total_ms % 1000);
}

std::string to_srt(const core::Transcript& transcript) {
    std::string out;
    int index = 0;
    for (const auto& cue : cues(transcript)) {
        out += fmt::format("{}\n{} --> {}\n{}\n\n", ++index, subtitle_time(cue.start, ','), subtitle_time(cue.end, ','),
                           cue.text);
    }
    return out;
}

std::string to_vtt(const core::Transcript& transcript) {
    std::string out = "WEBVTT\n\n";
    for (const auto& cue : cues(transcript)) {
        out += fmt::format("{} --> {}\n{}\n\n", subtitle_time(cue.start, '.'), subtitle_time(cue.end, '.'), cue.text);
    }
    return out;
}

}  // namespace crossvoice::app
