#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/wav.hpp"

namespace crossvoice::core::ports {

// Headerless audio: how to read it.
enum class RawEncoding { kMulaw, kAlaw, kLinear16 };
struct RawAudioFormat {
    RawEncoding encoding = RawEncoding::kMulaw;
    int sample_rate = 8'000;
    int channels = 1;
};

struct DecodeLimits {
    double max_seconds = 4 * 3600.0;  // longer audio is kPayloadTooLarge
};

struct DecodedAudio {
    PcmAudio pcm;              // 16-bit, interleaved, at the file's own rate
    std::string container;     // "wav", "mp3", "flac", "ogg", "raw"
    std::string content_type;  // "audio/wav", "audio/mpeg", …
    double duration = 0;       // seconds
};

// Audio files to PCM. Blocking; thread-safe.
// Errors: kUnsupportedMediaType for a format it does not read (naming what it found), kUnprocessable for
// empty or corrupt audio, kPayloadTooLarge beyond `limits`.
class AudioDecoder {
  public:
    virtual ~AudioDecoder() = default;
    // `raw` reads headerless bytes; without it the container is recognised from the bytes.
    virtual Result<DecodedAudio> decode(std::string_view bytes, const std::optional<RawAudioFormat>& raw,
                                        const DecodeLimits& limits) const = 0;
};

}  // namespace crossvoice::core::ports
