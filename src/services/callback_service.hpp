#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/api_key.hpp"
#include "core/job.hpp"
#include "core/ports/message_store.hpp"
#include "core/result.hpp"
#include "services/call_service.hpp"
#include "services/session_service.hpp"

namespace crossvoice::services {

// The job a customer's "call me back" queues (their message is on the timeline first; dialing is a vendor call).
inline constexpr std::string_view kCallbackJob = "call.callback";

// Chat -> voice: a call to a session's customer that continues the same session, so the call's states, turns and
// transcripts join the chat on one timeline. Asked for by an agent (POST …/sessions/{id}/callback) or by the
// customer in a message (MessagingService queues kCallbackJob).
class CallbackService {
  public:
    CallbackService(CallService& calls, SessionService& sessions, core::ports::MessageStore& messages)
        : calls_(calls), sessions_(sessions), messages_(messages) {}

    // The number called: `to` when given, else the session's phone number, else the number the customer last
    // wrote from (SMS, WhatsApp). kNotFound for a session the caller cannot see, kConflict for an ended one,
    // kValidation (field "to") when no number is known or it is not E.164; the call-initiation use-case's own
    // errors (502 from the carrier, 429 over the dial rate) as they are.
    core::Result<InitiatedCall> call_back(const core::Principal& caller, const std::string& session_id,
                                          std::optional<std::string> to, std::optional<std::string> flow);

    // kCallbackJob: {"platform", "sessionId", "to"}. Refusals that no retry can cure are final.
    core::Status run_job(const core::Job& job);

  private:
    core::Result<std::string> number_for(const core::Session& session);

    CallService& calls_;
    SessionService& sessions_;
    core::ports::MessageStore& messages_;
};

}  // namespace crossvoice::services
