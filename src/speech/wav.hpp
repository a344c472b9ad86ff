#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace crossvoice::speech {

// A complete RIFF WAV file: the 44-byte canonical header (PCM, mono, 16-bit) and the samples little-endian.
// The caller keeps the sample count under 2^31 (the RIFF sizes are 32-bit).
std::string encode_wav_pcm16_mono(std::span<const std::int16_t> samples, std::uint32_t sample_rate);

}  // namespace crossvoice::speech
