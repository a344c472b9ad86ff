#pragma once

#include <memory>
#include <string>

#include "core/ports/audio_decoder.hpp"
#include "core/ports/speech_to_text.hpp"

namespace crossvoice::speech {

struct PocketsphinxOptions {
    std::string model_dir = "/usr/share/pocketsphinx/model/en-us";  // holds en-us/, en-us.lm.bin, cmudict-en-us.dict
};

// The local SpeechToText adapter (the embedded default): PocketSphinx with the Debian en-US model.
// See pocketsphinx_recognizer.cpp for how audio is prepared and how hints become a grammar.
class PocketsphinxRecognizer final : public core::ports::SpeechToText {
  public:
    // kUnavailable when the model cannot be loaded (naming the path and the package to install).
    static core::Result<std::unique_ptr<PocketsphinxRecognizer>> create(const core::ports::AudioDecoder& decoder,
                                                                        PocketsphinxOptions options = {});
    ~PocketsphinxRecognizer() override;

    std::string_view name() const override { return "pocketsphinx"; }
    core::Result<core::Transcript> transcribe(const core::ports::SttRequest& request) override;

  private:
    struct Impl;
    explicit PocketsphinxRecognizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace crossvoice::speech
