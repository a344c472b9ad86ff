#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/transcript.hpp"
#include "core/wav.hpp"

namespace crossvoice::core::ports {

// One transcription. The audio is either the file's bytes (`audio` with its `content_type`) or a URL the
// engine fetches itself (engines that cannot, fail with kValidation). `decoded`, when set, is the same audio
// already decoded, so that a local engine does not decode twice.
struct SttRequest {
    std::string audio;
    std::string content_type;  // "audio/wav", "audio/mpeg", "audio/flac", "audio/ogg", "audio/basic" (μ-law)…
    std::optional<std::string> url;
    std::shared_ptr<const PcmAudio> decoded;

    std::optional<std::string> model;     // engine-specific; nullopt = the adapter's default
    std::optional<std::string> language;  // BCP 47; nullopt with detect_language = let the engine find it
    bool detect_language = false;
    bool punctuate = true;
    bool smart_format = true;
    bool diarize = false;
    bool utterances = true;
    bool multichannel = false;        // transcribe each channel on its own (dual-channel call recordings)
    std::vector<std::string> redact;  // engine-side redaction ("pci", "ssn", …), when the engine has it
    bool detect_entities = false;
    bool sentiment = false;
    bool topics = false;
    bool intents = false;
    bool summarize = false;
    std::vector<std::string> keywords;  // boosted words; for a local engine, the expected answers of a short menu
};

// Speech to text. Blocking: call it from worker threads. Thread-safe.
// Errors: kUnsupportedMediaType / kUnprocessable for audio the engine cannot read, kValidation for an option
// it does not take, kVendor (details: vendor code and message) when a vendor refuses, kTimeout, kUnavailable.
class SpeechToText {
  public:
    virtual ~SpeechToText() = default;
    virtual std::string_view name() const = 0;  // "deepgram", "pocketsphinx", "openai"
    virtual Result<Transcript> transcribe(const SttRequest& request) = 0;
};

}  // namespace crossvoice::core::ports
