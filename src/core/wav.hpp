#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossvoice::core {

// 16-bit PCM audio, samples interleaved when channels > 1.
struct PcmAudio {
    int sample_rate = 16'000;
    int channels = 1;
    std::vector<std::int16_t> samples;

    std::size_t frames() const { return channels > 0 ? samples.size() / static_cast<std::size_t>(channels) : 0; }
};

// Reads a RIFF/WAVE file of 16-bit PCM (format 1, or WAVE_FORMAT_EXTENSIBLE holding PCM), skipping chunks it
// does not need. A data chunk whose declared size runs past the end (engines writing to a pipe cannot go back
// to fill it in, and write a huge dummy size) is read up to the end of the bytes. nullopt for anything else; never
// throws.
std::optional<PcmAudio> parse_wav(std::string_view bytes);

// A canonical 44-byte-header RIFF/WAVE file.
std::string write_wav(const PcmAudio& audio);

}  // namespace crossvoice::core
