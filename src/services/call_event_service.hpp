#pragma once

#include <functional>

#include <optional>
#include <string>

#include "core/call.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/carrier_webhooks.hpp"
#include "core/result.hpp"
#include "services/job_runner.hpp"
#include "services/voice_metrics.hpp"

namespace crossvoice::services {

inline constexpr std::string_view kRecordingFetchJob = "recording.fetch";

// One fetch per recording, however often its event is delivered.
inline std::string recording_fetch_key(std::string_view event_id) { return "recording:" + std::string(event_id); }

struct WebhookOutcome {
    std::string event_id;
    std::string event_type;
    bool duplicate = false;
    std::optional<std::string> call_id;
    std::optional<core::CallState> state;  // the call's state after the event
};

// Extra work some events need beyond storing them: the IVR driving a Call Control call (ivr_call_control.hpp).
// `prepare` runs before the event is stored (it may open the inbound call the event is about) and says whether
// the event has follow-up work; `follow_up` does it once the event is stored, and is redone when a delivery
// failed before it finished (it must be idempotent).
class CallEventObserver {
  public:
    virtual ~CallEventObserver() = default;
    virtual core::Result<bool> prepare(const core::CallEvent& event,
                                       const std::optional<std::string>& call_id_hint) = 0;
    virtual core::Status follow_up(const core::CallEvent& event, const std::optional<core::Call>& call) = 0;
    // Whether a saved recording is the call's to keep (copied and, when asked, transcribed), or a turn the
    // observer listens to itself (SHANGO's node on Call Control), whose words reach the timeline another way.
    virtual bool archives_recording(const core::CallEvent&, const std::optional<core::Call>&) { return true; }
};

// The decision the store applies inside its transaction: the pure state machine, plus the carrier ids a call
// learns from its first event. Exposed for tests.
core::ports::CallChange decide_call_change(const core::Call& current, const core::CallEvent& event);

// POST /api/voice/webhook: verify, parse, store once, advance the call, and queue the slow work.
// Everything here is a few milliseconds of local work, so the carrier gets its 2xx well inside 2 s.
class CallEventService {
  public:
    CallEventService(const core::ports::CarrierWebhooks& webhooks, core::ports::CallStore& calls, JobRunner& jobs,
                     const core::Clock& clock, VoiceMetrics& metrics)
        : webhooks_(webhooks), calls_(calls), jobs_(jobs), clock_(clock), metrics_(metrics) {}

    // kUnauthorized when the signature does not verify (nothing is stored); kBadRequest/kValidation when a
    // verified body is unreadable. A duplicate delivery answers success with duplicate = true.
    core::Result<WebhookOutcome> receive(const core::ports::SignedDelivery& delivery);

    // An event that was verified and mapped elsewhere (a TeXML status or recording callback), applied exactly
    // like a Call Control webhook: stored once, the call advanced, follow-ups queued. Counted in the metrics.
    core::Result<WebhookOutcome> apply(const core::CallEvent& event, std::string_view raw_body);

    // Set once, before serving.
    void set_observer(CallEventObserver* observer) { observer_ = observer; }
    // Telnyx messaging events (message.*) arrive on the same webhook: stored once here like every event, then
    // their verified body goes to the messaging use-case. Set once, before serving.
    using MessageEventHandler = std::function<core::Status(std::string_view verified_body)>;
    void set_message_handler(MessageEventHandler handler) { message_handler_ = std::move(handler); }

  private:
    core::Result<WebhookOutcome> process(const core::ports::SignedDelivery& delivery);
    core::Result<WebhookOutcome> ingest(const core::CallEvent& event, std::string_view raw_body);
    core::Result<WebhookOutcome> counted(core::Result<WebhookOutcome> outcome);
    // Follow-up work of a newly stored (or unfinished) event, idempotent by event id.
    core::Status follow_up(const core::CallEvent& event, const std::optional<core::Call>& call, bool observed);
    core::Status queue_recording_fetch(const core::CallEvent& event, const std::optional<core::Call>& call);

    const core::ports::CarrierWebhooks& webhooks_;
    core::ports::CallStore& calls_;
    JobRunner& jobs_;
    const core::Clock& clock_;
    VoiceMetrics& metrics_;
    CallEventObserver* observer_ = nullptr;
    MessageEventHandler message_handler_;
};

}  // namespace crossvoice::services
