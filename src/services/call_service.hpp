#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/call.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/carrier.hpp"
#include "core/ports/phone_numbers.hpp"
#include "core/ports/rate_limiter.hpp"
#include "core/result.hpp"
#include "core/session.hpp"
#include "services/id_generator.hpp"
#include "services/job_runner.hpp"
#include "services/session_service.hpp"
#include "services/voice_metrics.hpp"

namespace crossvoice::services {

struct CallSettings {
    std::optional<std::string> default_from;  // TELNYX_PHONE_NUMBER
    std::string connection_id;                // TELNYX_CONNECTION_ID
    std::string webhook_url;                  // WEBHOOK_BASE_URL + "/api/voice/webhook"
    long dial_limit = 20;                     // dials per platform per window
    std::chrono::milliseconds dial_window{60'000};
    // Whether the platform has an IVR flow of this name (a call placed with `flow` runs it once answered);
    // unset: not checked.
    std::function<bool(core::Platform, const std::string&)> flow_exists;
};

// POST /api/voice/initiate, with the original contract's defaults.
struct InitiateCall {
    std::string to;
    std::optional<std::string> from;
    std::optional<std::string> webhook_url;
    bool record = true;
    std::optional<bool> transcription;  // default: transcribe when recording
    std::string language = "en-US";
    int timeout_secs = 30;
    int max_duration_secs = 300;
    std::optional<std::string> session_id;
    std::optional<std::string> flow;
};

struct InitiatedCall {
    core::Call call;
    core::Session session;
};

struct RecordingDetail {
    core::StoredRecording recording;
    std::optional<core::Job> fetch_job;  // the recording.fetch job copying it into our storage
};

struct CallDetail {
    core::Call call;
    std::vector<core::StoredCallEvent> events;
    std::vector<RecordingDetail> recordings;
};

// Placing, reading and ending calls, each scoped to the caller's platform.
class CallService {
  public:
    CallService(CallSettings settings, core::ports::CallStore& calls, SessionService& sessions,
                core::ports::Carrier& carrier, core::ports::RateLimiter& limiter,
                const core::ports::PhoneNumbers& numbers, const core::Clock& clock, IdGenerator& ids, JobRunner& jobs,
                VoiceMetrics& metrics)
        : settings_(std::move(settings)),
          calls_(calls),
          sessions_(sessions),
          carrier_(carrier),
          limiter_(limiter),
          numbers_(numbers),
          clock_(clock),
          ids_(ids),
          jobs_(jobs),
          metrics_(metrics) {}

    // The default webhook URL, when it is only known once the server has bound its port (sandbox mode without
    // WEBHOOK_BASE_URL). Call before serving: it is not synchronised with requests.
    void set_webhook_url(std::string url) { settings_.webhook_url = std::move(url); }

    // Validates, takes a dial slot, joins or opens the session, stores the call, asks the carrier to dial.
    // Nothing is written when validation or the rate limit refuses. A carrier refusal leaves the call stored
    // as failed (with the reason) and answers kVendor carrying the vendor's details plus callId and sessionId.
    core::Result<InitiatedCall> initiate(const core::Principal& caller, InitiateCall input);
    core::Result<CallDetail> get(const core::Principal& caller, const std::string& id);
    core::Result<std::vector<core::Call>> list_for_session(const core::Principal& caller,
                                                           const std::string& session_id);
    // Asks the carrier to end the call; the state changes when its call.hangup arrives. An ended call is
    // returned as it is (hanging up twice is not an error); a call the carrier never accepted is kConflict.
    core::Result<core::Call> hangup(const core::Principal& caller, const std::string& id);

    static constexpr int kMinTimeoutSecs = 5;
    static constexpr int kMaxTimeoutSecs = 600;
    static constexpr int kMaxDurationSecs = 14'400;

  private:
    core::Result<InitiatedCall> place(const core::Principal& caller, InitiateCall input);  // initiate, uncounted
    core::Status validate(const InitiateCall& input, const std::string& from) const;
    core::Result<core::Session> session_for(const core::Principal& caller, const InitiateCall& input);

    CallSettings settings_;
    core::ports::CallStore& calls_;
    SessionService& sessions_;
    core::ports::Carrier& carrier_;
    core::ports::RateLimiter& limiter_;
    const core::ports::PhoneNumbers& numbers_;
    const core::Clock& clock_;
    IdGenerator& ids_;
    JobRunner& jobs_;
    VoiceMetrics& metrics_;
};

}  // namespace crossvoice::services
