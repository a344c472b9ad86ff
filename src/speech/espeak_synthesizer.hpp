#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/speech_synthesizer.hpp"

namespace crossvoice::speech {

struct EspeakOptions {
    // The directory holding espeak-ng-data; empty: the installed default. The engine is process-wide, so the
    // first synthesizer created decides it for every later one.
    std::string data_path;
    int words_per_minute = 175;
    std::size_t max_text_bytes = 16 * 1024;  // longer text is refused (kValidation) rather than tying up the engine
};

// core::ports::SpeechSynthesizer on libespeak-ng: 16-bit mono PCM at the engine's rate (22050 Hz), as a
// complete RIFF WAV. espeak-ng keeps all its state in globals and is not thread-safe, so every instance
// shares one process-wide lock: calls are serialised, never interleaved.
class EspeakSynthesizer final : public core::ports::SpeechSynthesizer {
  public:
    // Starts the engine once per process. kInternal when libespeak-ng or its data cannot be loaded.
    static core::Result<std::unique_ptr<EspeakSynthesizer>> create(EspeakOptions options = {});

    core::Result<std::string> synthesize_wav(std::string_view text, std::string_view language) override;

    // The espeak-ng voice a BCP 47 tag selects: "en-US" → "en-us", "es-MX" → "es" (no such regional voice),
    // anything unknown or malformed → "en".
    std::string voice_for(std::string_view language);
    int sample_rate() const { return sample_rate_; }

  private:
    EspeakSynthesizer(EspeakOptions options, int sample_rate)
        : options_(std::move(options)), sample_rate_(sample_rate) {}

    EspeakOptions options_;
    int sample_rate_;
};

// The voice names to try for a BCP 47 tag, most specific first, ending in "en". Only letters, digits and '-'
// reach espeak-ng (it reads voice files by name); a tag with anything else yields just {"en"}.
std::vector<std::string> voice_candidates(std::string_view language);

}  // namespace crossvoice::speech
