#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/message.hpp"
#include "core/ports/message_store.hpp"
#include "core/ports/transcript_store.hpp"
#include "core/result.hpp"
#include "services/messaging_service.hpp"
#include "services/session_service.hpp"
#include "services/shango_service.hpp"
#include "services/transcription_request.hpp"
#include "services/transcription_service.hpp"

namespace crossvoice::services {

// POST /api/voice/integration/transcribe: the transcription request of POST /api/voice/transcribe (session_id
// required here) plus what the seed's contract adds.
struct IntegrationTranscribeRequest {
    TranscribeRequest transcription;
    std::optional<std::string> target_language;  // BCP 47; becomes the pipeline's translate_to
    bool ask_shango = true;
    std::optional<std::string> reply_on;  // sms, whatsapp, chat: where SHANGO's answer also goes to the customer
};

// A step that failed after the transcript was stored: reported, not rolled back (the transcript stands).
struct IntegrationStepError {
    std::string step;  // "shango", "reply"
    core::Error error;
};

struct IntegrationTranscribed {
    std::string session_id;
    TranscribeOutcome transcription;  // queued (long audio): nothing below happened
    std::optional<ShangoAnswer> shango;
    std::optional<core::TimelineMessage> reply;  // the copy of SHANGO's answer sent on sms or whatsapp
    std::vector<std::string> message_ids;        // every timeline message this request wrote, in timeline order
    std::vector<IntegrationStepError> errors;
};

// Transcribes into a session, has SHANGO answer what was said and optionally sends that answer to the customer.
// Composes the transcription, SHANGO and messaging use-cases; every input is checked before the audio is heard,
// so a refused request writes nothing. Live clients see each timeline write through the stores' own events.
class IntegrationTranscribe {
  public:
    struct Ports {
        TranscriptionService& transcription;
        SessionService& sessions;
        ShangoService& shango;
        MessagingService* messaging;           // null: replyOn is refused
        core::ports::MessageStore& contacts;   // where a reply on sms or whatsapp would go
        core::ports::TimelineStore& timeline;  // to find the messages the transcription wrote
    };

    explicit IntegrationTranscribe(Ports ports) : ports_(ports) {}

    // kValidation naming the field for bad input, kNotFound for a session not on the caller's platform,
    // kConflict for an ended one. Long audio is queued like POST /api/voice/transcribe (transcription.queued).
    core::Result<IntegrationTranscribed> run(const core::Principal& caller, IntegrationTranscribeRequest request);

  private:
    core::Status check(const core::Principal& caller, const IntegrationTranscribeRequest& request,
                       std::optional<core::Channel>& reply_channel);

    Ports ports_;
};

}  // namespace crossvoice::services
