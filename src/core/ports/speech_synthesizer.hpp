#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace crossvoice::core::ports {

// Text to speech as a complete WAV file (RIFF, 16-bit PCM, mono). Blocking; thread-safe.
class SpeechSynthesizer {
  public:
    virtual ~SpeechSynthesizer() = default;
    // `language` is a BCP 47 tag ("en-US"); an unknown one falls back to English. Errors: kValidation for
    // empty text, kInternal when the engine fails.
    virtual Result<std::string> synthesize_wav(std::string_view text, std::string_view language) = 0;
};

}  // namespace crossvoice::core::ports
