#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/transcript.hpp"

namespace crossvoice::core::ports {

// What the context-analysis stage matches the text against: the platform's IVR option labels and phrases,
// and the SHANGO personas' topics.
struct IntentCandidate {
    std::string name;                  // "billing", "technical_support"
    std::vector<std::string> phrases;  // words and phrases that signal it
    std::optional<std::string> persona;
};

// Redaction classes: "pci" (card numbers), "ssn", "phone", "email", "numbers" (any run of digits), "pii"
// (all of phone, email, ssn, pci, account and order numbers).
inline constexpr const char* kRedactionClasses[] = {"pci", "ssn", "phone", "email", "numbers", "pii"};

// The language pipeline's stages, each optional, run in this order.
struct PipelineOptions {
    bool detect_language = true;  // only when the engine gave no language
    bool diarize = true;
    bool entities = true;
    std::vector<std::string> redact;          // classes above; empty = no redaction
    std::optional<std::string> translate_to;  // ISO 639-1
    bool analyze = true;
    std::vector<IntentCandidate> intents;
};

// Runs the stages over a transcript in place, recording each stage's time in Transcript::timings.
// Thread-safe.
class TranscriptPipeline {
  public:
    virtual ~TranscriptPipeline() = default;
    // Checks the options before any work is done: kValidation naming an unknown redaction class, or an
    // unsupported translation target (listing the supported ones).
    virtual Status check(const PipelineOptions& options) const = 0;
    // Stage failures that leave the transcript usable (a translator that is down) are errors: the caller
    // decides whether a transcript without its translation is acceptable.
    virtual Status run(Transcript& transcript, const PipelineOptions& options) = 0;
};

}  // namespace crossvoice::core::ports
