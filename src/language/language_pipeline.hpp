#pragma once

#include <string>

#include "core/ports/transcript_pipeline.hpp"
#include "core/ports/translator.hpp"

namespace crossvoice::language {

// The TranscriptPipeline port: detect → diarize → entities → redact → translate → analyze, each stage its own
// unit in this folder.
class LanguagePipeline final : public core::ports::TranscriptPipeline {
  public:
    // `translator` may be null: then a translate_to option is refused by check() ("translation is not
    // configured").
    explicit LanguagePipeline(core::ports::Translator* translator);
    core::Status check(const core::ports::PipelineOptions& options) const override;
    core::Status run(core::Transcript& transcript, const core::ports::PipelineOptions& options) override;

  private:
    // The translate stage: the text (redacted when redaction ran) from the transcript's language to `target`.
    core::Status translate(core::Transcript& transcript, const std::string& target) const;

    core::ports::Translator* translator_;
};

}  // namespace crossvoice::language
