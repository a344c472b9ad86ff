#pragma once

#include "core/ports/audio_decoder.hpp"

namespace crossvoice::speech {

// The AudioDecoder port on libsndfile (WAV, MP3, FLAC, Ogg Vorbis/Opus read from memory through its virtual
// I/O) and our own G.711 μ-law/A-law and 16-bit PCM readers for headerless audio.
class SndfileAudioDecoder final : public core::ports::AudioDecoder {
  public:
    core::Result<core::ports::DecodedAudio> decode(std::string_view bytes,
                                                   const std::optional<core::ports::RawAudioFormat>& raw,
                                                   const core::ports::DecodeLimits& limits) const override;
};

}  // namespace crossvoice::speech
