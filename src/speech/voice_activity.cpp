#include "speech/voice_activity.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "speech/channels.hpp"

namespace crossvoice::speech {
namespace {

// Levels in dB relative to full scale (a full-scale square wave is 0 dBFS).
constexpr double kSilenceDb = -120.0;  // what a frame of digital zeros measures
// The floor never drops below this: otherwise a frame of digital silence would make the next faint hiss
// (dither, μ-law idle noise) look like speech.
constexpr double kLowestFloorDb = -70.0;
// Quieter than this is never speech, whatever the floor: the faintest telephone talker is well above it.
constexpr double kQuietestSpeechDb = -55.0;
// Hysteresis: a region starts this far above the noise floor and continues while frames stay above the
// smaller margin, so speech hovering near one threshold does not chatter on and off.
constexpr double kStartMarginDb = 10.0;
constexpr double kContinueMarginDb = 5.0;
// The floor falls quickly to quieter frames (every pause in speech shows the noise again) and rises slowly
// (louder background, e.g. a car starting, is absorbed within a few seconds instead of counting as speech).
constexpr double kFallWeight = 0.5;
constexpr double kRiseSeconds = 3.0;
// The floor starts at this quantile of all frame levels: a recording that opens mid-sentence is still
// measured against its pauses, not against its first word.
constexpr double kInitialFloorQuantile = 0.10;

// Frame level with the frame's mean removed, so a DC offset does not read as sound.
double frame_level_db(const std::int16_t* samples, std::size_t count) {
    double mean = 0;
    for (std::size_t i = 0; i < count; ++i) mean += samples[i];
    mean /= static_cast<double>(count);
    double power = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const double centred = samples[i] - mean;
        power += centred * centred;
    }
    power /= static_cast<double>(count) * 32768.0 * 32768.0;
    return power > 0 ? std::max(kSilenceDb, 10.0 * std::log10(power)) : kSilenceDb;
}

double initial_floor(std::vector<double> levels) {
    const auto nth = static_cast<std::ptrdiff_t>(kInitialFloorQuantile * static_cast<double>(levels.size() - 1));
    std::nth_element(levels.begin(), levels.begin() + nth, levels.end());
    return std::max(kLowestFloorDb, levels[static_cast<std::size_t>(nth)]);
}

// One flag per frame: does it sound like speech against the noise floor tracked so far?
std::vector<bool> classify(const std::vector<double>& levels, int frame_ms) {
    std::vector<bool> active(levels.size(), false);
    const double rise_weight = std::min(1.0, frame_ms / (kRiseSeconds * 1000.0));
    double floor = initial_floor(levels);
    bool in_speech = false;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const double level = levels[i];
        const double margin = in_speech ? kContinueMarginDb : kStartMarginDb;
        in_speech = level > floor + margin && level > kQuietestSpeechDb;
        active[i] = in_speech;
        floor += (level - floor) * (level < floor ? kFallWeight : rise_weight);
        floor = std::max(floor, kLowestFloorDb);
    }
    return active;
}

struct FrameRun {
    std::size_t first = 0;   // frame index
    std::size_t end = 0;     // one past the last frame
    std::size_t active = 0;  // frames in it that sounded like speech
};

// Active frames joined into runs, bridging gaps shorter than the hangover.
std::vector<FrameRun> join_runs(const std::vector<bool>& active, std::size_t hangover_frames) {
    std::vector<FrameRun> runs;
    for (std::size_t i = 0; i < active.size(); ++i) {
        if (!active[i]) continue;
        if (!runs.empty() && i - runs.back().end < hangover_frames) {
            runs.back().end = i + 1;
        } else {
            runs.push_back({i, i + 1, 0});
        }
        ++runs.back().active;
    }
    return runs;
}

}  // namespace

std::vector<SpeechRegion> find_speech(const core::PcmAudio& mono, const VoiceActivityOptions& options) {
    if (mono.channels <= 0 || mono.sample_rate <= 0 || mono.samples.empty()) return {};
    if (mono.channels > 1) return find_speech(mix_to_mono(mono), options);

    const int frame_ms = std::max(1, options.frame_ms);
    const auto rate = static_cast<std::size_t>(mono.sample_rate);
    const std::size_t frame_length = std::max<std::size_t>(1, rate * static_cast<std::size_t>(frame_ms) / 1000);
    const std::size_t total = mono.samples.size();

    std::vector<double> levels;
    levels.reserve(total / frame_length + 1);
    for (std::size_t start = 0; start < total; start += frame_length) {
        levels.push_back(frame_level_db(mono.samples.data() + start, std::min(frame_length, total - start)));
    }

    const auto frames_for = [&](int ms) {
        return static_cast<std::size_t>(std::max(0, ms) + frame_ms - 1) / static_cast<std::size_t>(frame_ms);
    };
    const std::vector<FrameRun> runs =
        join_runs(classify(levels, frame_ms), std::max<std::size_t>(1, frames_for(options.hangover_ms)));

    const double duration = static_cast<double>(total) / static_cast<double>(rate);
    const double frame_seconds = static_cast<double>(frame_length) / static_cast<double>(rate);
    const double padding = std::max(0, options.padding_ms) / 1000.0;
    const std::size_t min_active = frames_for(options.min_speech_ms);

    std::vector<SpeechRegion> regions;
    for (const FrameRun& run : runs) {
        if (run.active < min_active) continue;
        const double start = std::max(0.0, static_cast<double>(run.first) * frame_seconds - padding);
        const double end = std::min(duration, static_cast<double>(run.end) * frame_seconds + padding);
        // Padding can make neighbours touch; they are one region then.
        if (!regions.empty() && start <= regions.back().end) {
            regions.back().end = std::max(regions.back().end, end);
        } else {
            regions.push_back({start, end});
        }
    }
    return regions;
}

}  // namespace crossvoice::speech
