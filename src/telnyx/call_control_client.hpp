#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/ports/carrier.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace crossvoice::telnyx {

struct CallControlOptions {
    // Configurable so that the sandbox carrier and tests can stand in for Telnyx. A trailing '/' is ignored.
    std::string base_url = "https://api.telnyx.com/v2";
    std::string api_key;                                // sent as "Authorization: Bearer <api_key>"
    std::chrono::milliseconds connect_timeout{3'000};   // per attempt
    std::chrono::milliseconds attempt_timeout{10'000};  // per attempt, connect to last byte
    // All attempts and waits of one command; zero or less leaves it to the HttpClient's default.
    std::chrono::milliseconds deadline{30'000};
    core::ports::RetryPolicy retry;
};

// The Carrier port over Telnyx Call Control v2 (vendor-apis.md A.1–A.3, A.6): dial is POST {base}/calls, every
// other command POST {base}/calls/{call_control_id}/actions/<name> with a JSON body. Retries are the
// HttpClient's; they are safe because each body carries its command_id (generated once per call when the
// request's is empty, so every attempt repeats the same one).
//
// Errors as the port describes them: kValidation naming the field before anything is sent (see
// call_control_body.hpp for the rules, plus an empty call_control_id); kVendor for a non-2xx answer
// (call_control_reply.hpp), or an unusable 2xx dial reply; the HttpClient's kTimeout / kUnavailable /
// kValidation passed through unchanged apart from details["vendor"] = "telnyx". Every error from the
// network or the vendor also names the command in details["action"] ("dial", "hangup", …). hangup answered
// 422 with code 90018 ("call has already ended") is success.
//
// Thread-safe as far as the HttpClient is: the client keeps no state between calls. `http` must outlive it.
class CallControlClient final : public core::ports::Carrier {
  public:
    CallControlClient(CallControlOptions options, core::ports::HttpClient& http);

    core::Result<core::ports::DialedCall> dial(const core::ports::DialRequest& request) override;
    core::Status answer(const std::string& call_control_id, const core::ports::AnswerRequest& request) override;
    core::Status hangup(const std::string& call_control_id, const core::ports::CommandOptions& options) override;
    core::Status reject(const std::string& call_control_id, const core::ports::RejectRequest& request) override;
    core::Status speak(const std::string& call_control_id, const core::ports::SpeakRequest& request) override;
    core::Status playback_start(const std::string& call_control_id,
                                const core::ports::PlaybackStartRequest& request) override;
    core::Status playback_stop(const std::string& call_control_id,
                               const core::ports::PlaybackStopRequest& request) override;
    core::Status gather(const std::string& call_control_id, const core::ports::GatherRequest& request) override;
    core::Status gather_using_speak(const std::string& call_control_id,
                                    const core::ports::GatherUsingSpeakRequest& request) override;
    core::Status gather_using_audio(const std::string& call_control_id,
                                    const core::ports::GatherUsingAudioRequest& request) override;
    core::Status transfer(const std::string& call_control_id, const core::ports::TransferRequest& request) override;
    core::Status bridge(const std::string& call_control_id, const core::ports::BridgeRequest& request) override;
    core::Status record_start(const std::string& call_control_id,
                              const core::ports::RecordStartRequest& request) override;
    core::Status record_stop(const std::string& call_control_id, const core::ports::CommandOptions& options) override;
    core::Status streaming_start(const std::string& call_control_id,
                                 const core::ports::StreamingStartRequest& request) override;
    core::Status streaming_stop(const std::string& call_control_id,
                                const core::ports::CommandOptions& options) override;
    core::Status send_dtmf(const std::string& call_control_id, const core::ports::SendDtmfRequest& request) override;

    // For a carrier whose address is known only once the service has bound its port (the in-process sandbox).
    // Call before the first request: it is not synchronised with them.
    void set_base_url(std::string base_url) { options_.base_url = std::move(base_url); }

  private:
    enum class AlreadyEnded { kError, kSuccess };

    // POST {base}/calls/{id}/actions/{action} with `body` (already validated, or the validation error).
    core::Status command(const std::string& call_control_id, std::string_view action, core::Result<std::string> body,
                         AlreadyEnded already_ended = AlreadyEnded::kError);
    core::Result<core::ports::HttpResponse> post(std::string url, std::string body, std::string_view action,
                                                 bool may_repeat = true);

    CallControlOptions options_;
    core::ports::HttpClient& http_;
};

}  // namespace crossvoice::telnyx
