#include "speech/resampler.hpp"

#include <soxr.h>

#include <cmath>
#include <cstddef>
#include <string>

namespace crossvoice::speech {
namespace {

constexpr int kMinRate = 1'000;
constexpr int kMaxRate = 192'000;

bool rate_in_range(int rate) { return rate >= kMinRate && rate <= kMaxRate; }

}  // namespace

core::Result<core::PcmAudio> resample(const core::PcmAudio& audio, int target_rate) {
    if (!rate_in_range(target_rate)) {
        return core::Error::validation(
            "sample_rate", "target sample rate " + std::to_string(target_rate) + " Hz is outside 1000..192000 Hz");
    }
    if (!rate_in_range(audio.sample_rate)) {
        return core::Error::validation(
            "sample_rate", "audio sample rate " + std::to_string(audio.sample_rate) + " Hz is outside 1000..192000 Hz");
    }
    if (audio.channels <= 0) return core::Error::validation("channels", "audio has no channels");

    core::PcmAudio out;
    out.sample_rate = target_rate;
    out.channels = audio.channels;
    const std::size_t in_frames = audio.frames();
    if (target_rate == audio.sample_rate) {
        out.samples = audio.samples;
        return out;
    }
    if (in_frames == 0) return out;

    const auto channels = static_cast<std::size_t>(audio.channels);
    const auto out_frames = static_cast<std::size_t>(
        std::llround(static_cast<double>(in_frames) * target_rate / static_cast<double>(audio.sample_rate)));
    out.samples.resize(out_frames * channels);
    if (out_frames == 0) return out;

    soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
    // No dither: the same input always gives the same output, and digital silence stays silence (the voice
    // activity detector and the tests rely on both).
    io.flags |= SOXR_NO_DITHER;
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    std::size_t done = 0;
    const soxr_error_t error =
        soxr_oneshot(audio.sample_rate, target_rate, static_cast<unsigned>(channels), audio.samples.data(), in_frames,
                     nullptr, out.samples.data(), out_frames, &done, &io, &quality, nullptr);
    if (error != nullptr) return core::Error::internal(std::string("libsoxr failed to resample: ") + error);
    out.samples.resize(done * channels);
    return out;
}

}  // namespace crossvoice::speech
