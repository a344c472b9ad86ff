#pragma once

// Audio built at run time for the speech/audio tests: tones, noise, and files written by libsndfile into
// memory (so no binary fixtures are committed).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/wav.hpp"

namespace crossvoice::speech::testing {

// A sine tone, the same on every channel.
core::PcmAudio tone(int sample_rate, double frequency, double seconds, double amplitude = 0.5, int channels = 1);

// `seconds` of digital silence.
core::PcmAudio silence(int sample_rate, double seconds);

// Uniform white noise of ±`peak`, from a fixed seed.
core::PcmAudio white_noise(int sample_rate, double seconds, int peak, std::uint32_t seed = 1);

// `tail` appended to `head` (same rate and channels).
void append(core::PcmAudio& head, const core::PcmAudio& tail);

// Sign changes in one channel: a tone of f Hz makes about 2·f per second.
std::size_t zero_crossings(const core::PcmAudio& audio, int channel = 0);

// Whether this libsndfile can write `format` (SF_FORMAT_*) for the given shape.
bool can_write(int format, int sample_rate, int channels);

// `audio` encoded as a complete file of `format` (SF_FORMAT_* major | subtype), written through libsndfile's
// virtual I/O into memory. nullopt when libsndfile refuses.
std::optional<std::string> write_with_sndfile(const core::PcmAudio& audio, int format);

// Headerless mono `bytes` of `subtype` (SF_FORMAT_ULAW, SF_FORMAT_ALAW, …) as libsndfile's own decoder reads
// them: an independent reference for ours.
std::vector<std::int16_t> read_raw_with_sndfile(const std::string& bytes, int subtype);

}  // namespace crossvoice::speech::testing
