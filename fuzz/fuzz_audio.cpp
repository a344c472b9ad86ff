// Audio arrives as bytes from outside (uploads, carrier recordings, download links that return something
// else): the decoder must refuse anything malformed without crashing, whatever it is told the bytes are,
// and what it accepts must be self-consistent and safe to process further.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/ports/audio_decoder.hpp"
#include "fuzz_check.hpp"
#include "speech/audio_decoder.hpp"
#include "speech/channels.hpp"
#include "speech/resampler.hpp"
#include "speech/voice_activity.hpp"

// libsndfile 1.2 leaks libvorbis's codec setup when it gives up on an Ogg Vorbis stream with corrupt headers
// (libsndfile issue #922, open upstream). Only that allocation site is excused; leaks of ours still fail.
extern "C" const char* __lsan_default_suppressions() { return "leak:vorbis_info_init\n"; }

namespace {

using crossvoice::core::ports::RawAudioFormat;
using crossvoice::core::ports::RawEncoding;

// The first byte picks how the rest is read: as a file (most of the space), or as each raw encoding with a
// rate and channel count taken from the same byte (including out-of-range ones, which must be refused).
std::optional<RawAudioFormat> mode(std::uint8_t selector) {
    if (selector < 128) return std::nullopt;
    static constexpr int kRates[] = {8'000, 16'000, 44'100, 3'999, 192'001, 48'000, 22'050, 11'025};
    static constexpr RawEncoding kEncodings[] = {RawEncoding::kMulaw, RawEncoding::kAlaw, RawEncoding::kLinear16};
    RawAudioFormat format;
    format.encoding = kEncodings[selector % 3];
    format.sample_rate = kRates[(selector >> 2) % 8];
    format.channels = (selector >> 5) % 4 == 3 ? 9 : 1 + (selector >> 5) % 4;  // 1, 2, 3 or (refused) 9
    return format;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::optional<RawAudioFormat> raw = mode(data[0]);
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    const crossvoice::speech::SndfileAudioDecoder decoder;
    const auto decoded = decoder.decode(bytes, raw, {.max_seconds = 30.0});
    if (!decoded) {
        FUZZ_CHECK(!decoded.error().message.empty());
        return 0;
    }
    const auto& pcm = decoded->pcm;
    FUZZ_CHECK(pcm.channels >= 1 && pcm.channels <= 8);
    FUZZ_CHECK(pcm.sample_rate >= 4'000 && pcm.sample_rate <= 192'000);
    FUZZ_CHECK(!pcm.samples.empty());
    FUZZ_CHECK(pcm.samples.size() % static_cast<std::size_t>(pcm.channels) == 0);
    FUZZ_CHECK(decoded->duration > 0 && decoded->duration <= 30.0);
    FUZZ_CHECK(!decoded->container.empty() && !decoded->content_type.empty());
    if (raw) FUZZ_CHECK(decoded->container == "raw");

    // What a recogniser does next, on short audio only (keeps each run fast).
    if (pcm.frames() <= 48'000) {
        const auto mono = crossvoice::speech::mix_to_mono(pcm);
        FUZZ_CHECK(mono.channels == 1 && mono.frames() == pcm.frames());
        const auto resampled = crossvoice::speech::resample(mono, 16'000);
        FUZZ_CHECK(resampled.ok());
        const auto regions = crossvoice::speech::find_speech(resampled.value());
        double previous_end = -1;
        for (const auto& region : regions) {
            FUZZ_CHECK(region.start >= 0 && region.start < region.end && region.start > previous_end);
            previous_end = region.end;
        }
    }
    return 0;
}
