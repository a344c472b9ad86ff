// Recordings and synthesised audio arrive as bytes from outside (carrier downloads, engines): the WAV reader
// must refuse anything malformed without crashing, and what it accepts must be self-consistent.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/wav.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto audio = crossvoice::core::parse_wav(bytes);
    if (!audio) return 0;
    FUZZ_CHECK(audio->channels > 0);
    FUZZ_CHECK(audio->sample_rate > 0);
    FUZZ_CHECK(audio->samples.size() % static_cast<std::size_t>(audio->channels) == 0);
    FUZZ_CHECK(audio->samples.size() * 2 <= size);
    // What was read writes back and reads again to the same audio.
    const auto again = crossvoice::core::parse_wav(crossvoice::core::write_wav(*audio));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->samples == audio->samples);
    FUZZ_CHECK(again->channels == audio->channels && again->sample_rate == audio->sample_rate);
    return 0;
}
