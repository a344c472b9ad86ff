#pragma once

#include <functional>
#include <string>

#include "core/job.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"
#include "core/transcript.hpp"
#include "services/ivr_call_control.hpp"

namespace crossvoice::services {

// Speech to text for one short recording, in the caller's language (the runtime binds the transcription
// service's engine). Errors of kind kValidation, kUnprocessable or kUnsupportedMediaType mean the audio or
// language cannot be heard at all; others are worth a retry.
using TranscribeTurn = std::function<core::Result<core::Transcript>(std::string bytes, const std::string& language)>;

// The ivr.listen job: fetches the recording of a caller's turn at SHANGO's node, transcribes it and hands the
// words to the Call Control IVR. A download or engine failure is retried by the job runner; audio that cannot be
// heard counts as silence, so the caller is asked again instead of being left waiting.
class IvrListener {
  public:
    IvrListener(core::ports::HttpClient& http, TranscribeTurn transcribe, IvrCallControl& ivr)
        : http_(http), transcribe_(std::move(transcribe)), ivr_(ivr) {}

    core::Status run(const core::Job& job);

    static constexpr std::size_t kMaxTurnBytes = 16 * 1024 * 1024;  // 30 s of 8 kHz..48 kHz PCM fits easily

  private:
    core::ports::HttpClient& http_;
    TranscribeTurn transcribe_;
    IvrCallControl& ivr_;
};

}  // namespace crossvoice::services
