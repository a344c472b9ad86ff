#include "sandbox/recording_mixer.hpp"

#include <cstdint>

namespace crossvoice::sandbox {
namespace {

// A short pause between turns, as people leave.
constexpr int kGapMillis = 300;

std::vector<std::int16_t> to_mono(const PcmAudio& audio) {
    if (audio.channels <= 1) return audio.samples;
    std::vector<std::int16_t> mono(audio.frames());
    for (std::size_t frame = 0; frame < mono.size(); ++frame) {
        int sum = 0;
        for (int channel = 0; channel < audio.channels; ++channel) {
            sum += audio.samples[frame * static_cast<std::size_t>(audio.channels) + static_cast<std::size_t>(channel)];
        }
        mono[frame] = static_cast<std::int16_t>(sum / audio.channels);
    }
    return mono;
}

std::vector<std::int16_t> resample(const PcmAudio& audio, int rate) {
    auto mono = to_mono(audio);
    if (audio.sample_rate == rate || mono.empty()) return mono;
    const auto frames = mono.size() * static_cast<std::size_t>(rate) / static_cast<std::size_t>(audio.sample_rate);
    std::vector<std::int16_t> out(frames);
    for (std::size_t i = 0; i < frames; ++i) {
        out[i] = mono[i * static_cast<std::size_t>(audio.sample_rate) / static_cast<std::size_t>(rate)];
    }
    return out;
}

}  // namespace

std::string mix_recording(const std::vector<PcmAudio>& ours, const PcmAudio& far_end, bool dual) {
    const int rate = far_end.sample_rate;
    const std::size_t gap = static_cast<std::size_t>(rate) * kGapMillis / 1000;

    std::vector<std::int16_t> our_side;
    for (const auto& turn : ours) {
        const auto samples = resample(turn, rate);
        our_side.insert(our_side.end(), samples.begin(), samples.end());
        our_side.insert(our_side.end(), gap, 0);
    }
    const auto their_side = to_mono(far_end);
    const std::size_t total = our_side.size() + their_side.size();

    PcmAudio out;
    out.sample_rate = rate;
    if (!dual) {
        out.samples = our_side;
        out.samples.insert(out.samples.end(), their_side.begin(), their_side.end());
        return core::write_wav(out);
    }
    out.channels = 2;
    out.samples.assign(total * 2, 0);
    for (std::size_t i = 0; i < our_side.size(); ++i) out.samples[2 * i] = our_side[i];
    for (std::size_t i = 0; i < their_side.size(); ++i) out.samples[2 * (our_side.size() + i) + 1] = their_side[i];
    return core::write_wav(out);
}

PcmAudio join_audio(const std::vector<PcmAudio>& turns, int silent_rate) {
    PcmAudio out;
    if (turns.empty()) {
        out.sample_rate = silent_rate;
        out.samples.assign(static_cast<std::size_t>(silent_rate), 0);
        return out;
    }
    out.sample_rate = turns.front().sample_rate;
    const std::size_t gap = static_cast<std::size_t>(out.sample_rate) * kGapMillis / 1000;
    for (const auto& turn : turns) {
        if (!out.samples.empty()) out.samples.insert(out.samples.end(), gap, 0);
        const auto samples = resample(turn, out.sample_rate);
        out.samples.insert(out.samples.end(), samples.begin(), samples.end());
    }
    return out;
}

}  // namespace crossvoice::sandbox
