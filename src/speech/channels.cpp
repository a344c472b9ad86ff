#include "speech/channels.hpp"

#include <cstddef>
#include <cstdint>

namespace crossvoice::speech {

std::vector<core::PcmAudio> split_channels(const core::PcmAudio& audio) {
    std::vector<core::PcmAudio> out;
    if (audio.channels <= 0) return out;
    const auto channels = static_cast<std::size_t>(audio.channels);
    const std::size_t frames = audio.frames();
    out.resize(channels);
    for (std::size_t channel = 0; channel < channels; ++channel) {
        out[channel].sample_rate = audio.sample_rate;
        out[channel].channels = 1;
        out[channel].samples.reserve(frames);
        for (std::size_t frame = 0; frame < frames; ++frame) {
            out[channel].samples.push_back(audio.samples[frame * channels + channel]);
        }
    }
    return out;
}

core::PcmAudio mix_to_mono(const core::PcmAudio& audio) {
    if (audio.channels == 1) return audio;
    core::PcmAudio out;
    out.sample_rate = audio.sample_rate;
    out.channels = 1;
    if (audio.channels <= 0) return out;
    const auto channels = static_cast<std::size_t>(audio.channels);
    const std::size_t frames = audio.frames();
    out.samples.reserve(frames);
    for (std::size_t frame = 0; frame < frames; ++frame) {
        // Averaging (rather than summing) cannot clip, whatever the channel count.
        std::int64_t sum = 0;
        for (std::size_t channel = 0; channel < channels; ++channel) sum += audio.samples[frame * channels + channel];
        out.samples.push_back(static_cast<std::int16_t>(sum / static_cast<std::int64_t>(channels)));
    }
    return out;
}

}  // namespace crossvoice::speech
