#include "services/call_event_service.hpp"

#include <nlohmann/json.hpp>

#include "core/call_state_machine.hpp"
#include "core/client_state.hpp"
#include "core/time_format.hpp"

namespace crossvoice::services {

core::ports::CallChange decide_call_change(const core::Call& current, const core::CallEvent& event) {
    core::ports::CallChange change;
    change.state = current.state;
    // Another leg that carries our client_state (the far side of a transfer) is recorded on the call's
    // timeline but must not move this leg: its hang-up is not ours.
    if (!current.call_control_id.empty() && !event.call_control_id.empty() &&
        event.call_control_id != current.call_control_id) {
        return change;
    }
    if (current.call_control_id.empty() && !event.call_control_id.empty()) {
        change.call_control_id = event.call_control_id;
        change.call_leg_id = event.call_leg_id;
        change.call_session_id = event.call_session_id;
    }
    const auto transition = core::apply(current.state, event);
    change.state = transition.next;
    change.state_changed = transition.changed;
    if (!transition.changed) return change;
    if (transition.next == core::CallState::kAnswered) change.answered_at = event.occurred_at;
    if (core::is_terminal(transition.next)) {
        change.ended_at = event.occurred_at;
        change.hangup_cause = event.hangup_cause;
        change.hangup_source = event.hangup_source;
    }
    return change;
}

core::Result<WebhookOutcome> CallEventService::receive(const core::ports::SignedDelivery& delivery) {
    return counted(process(delivery));
}

core::Result<WebhookOutcome> CallEventService::apply(const core::CallEvent& event, std::string_view raw_body) {
    return counted(ingest(event, raw_body));
}

core::Result<WebhookOutcome> CallEventService::counted(core::Result<WebhookOutcome> outcome) {
    if (outcome) {
        (outcome->duplicate ? metrics_.webhooks_duplicate : metrics_.webhooks_new).add();
        return outcome;
    }
    switch (outcome.error().code) {
        case core::ErrorCode::kUnauthorized: metrics_.webhooks_unauthorized.add(); break;
        case core::ErrorCode::kBadRequest:
        case core::ErrorCode::kValidation: metrics_.webhooks_invalid.add(); break;
        default: metrics_.webhooks_failed.add(); break;
    }
    return outcome;
}

core::Result<WebhookOutcome> CallEventService::process(const core::ports::SignedDelivery& delivery) {
    auto event = webhooks_.read(delivery);
    if (!event) return std::move(event).error();
    return ingest(*event, delivery.body);
}

core::Result<WebhookOutcome> CallEventService::ingest(const core::CallEvent& incoming, std::string_view raw_body) {
    const core::CallEvent* event = &incoming;
    std::optional<std::string> hint;
    if (event->client_state) {
        if (auto state = core::decode_client_state(*event->client_state)) hint = state->call_id;
    }
    const bool recording = event->type == core::CallEventType::kRecordingSaved && event->recording.has_value();
    bool observed = false;
    if (observer_ != nullptr) {
        auto prepared = observer_->prepare(*event, hint);
        if (!prepared) return std::move(prepared).error();
        observed = *prepared;
    }
    const bool message = event->type == core::CallEventType::kMessage && message_handler_;
    const auto follow_ups =
        recording || observed || message ? core::ports::FollowUps::kPending : core::ports::FollowUps::kNone;
    auto ingested =
        calls_.ingest_event(*event, hint, std::string(raw_body), clock_.now(), decide_call_change, follow_ups);
    if (!ingested) return std::move(ingested).error();

    WebhookOutcome outcome;
    outcome.event_id = event->id;
    outcome.event_type = event->event_type;
    // Only the first delivery applied the event to its call. An unfinished one (stored by a delivery that
    // crashed, or that is still running next to this one) is a duplicate too, but its follow-ups are redone:
    // they are idempotent, and after a crash nothing else would do them.
    outcome.duplicate = ingested->status != core::ports::IngestStatus::kNew;
    if (ingested->call) {
        outcome.call_id = ingested->call->id;
        outcome.state = ingested->call->state;
    }
    // Counted by the delivery that applied the change; a redelivery (even one that redoes follow-ups) is not.
    if (ingested->status == core::ports::IngestStatus::kNew && ingested->state_changed && ingested->call) {
        metrics_.count_call(ingested->call->state);
    }
    if (ingested->status == core::ports::IngestStatus::kDuplicate) return outcome;
    if (follow_ups == core::ports::FollowUps::kNone) return outcome;  // stored processed already

    // Follow-ups first, then the event is marked processed, so a redelivery after a crash redoes exactly what
    // was missing.
    if (auto done = follow_up(*event, ingested->call, observed); !done) return std::move(done).error();
    if (message) {
        // The messaging side keeps its own idempotency by event id: a redelivery after a crash is safe.
        if (auto handled = message_handler_(raw_body); !handled) return std::move(handled).error();
    }
    if (auto marked = calls_.mark_processed(event->id, clock_.now()); !marked) return std::move(marked).error();
    return outcome;
}

core::Status CallEventService::follow_up(const core::CallEvent& event, const std::optional<core::Call>& call,
                                         bool observed) {
    const bool archived = !observed || observer_->archives_recording(event, call);
    if (archived) {
        if (auto queued = queue_recording_fetch(event, call); !queued) return queued;
    }
    if (observed) return observer_->follow_up(event, call);
    return {};
}

core::Status CallEventService::queue_recording_fetch(const core::CallEvent& event,
                                                     const std::optional<core::Call>& call) {
    if (event.type != core::CallEventType::kRecordingSaved || !event.recording || !call) return {};
    const auto& recording = *event.recording;
    nlohmann::json payload{
        {"callId", call->id},
        {"sessionId", call->session_id},
        {"platform", core::to_string(call->platform)},
        {"eventId", event.id},
        {"transcribe", call->transcription_enabled},
        {"language", call->language},
    };
    if (recording.wav_url) payload["wavUrl"] = *recording.wav_url;
    if (recording.mp3_url) payload["mp3Url"] = *recording.mp3_url;
    if (recording.channels) payload["channels"] = *recording.channels;
    NewJob job;
    job.kind = std::string(kRecordingFetchJob);
    job.payload_json = payload.dump();
    job.platform = std::string(core::to_string(call->platform));
    job.dedupe_key = recording_fetch_key(event.id);
    auto submitted = jobs_.submit(std::move(job));
    if (!submitted) return std::move(submitted).error();
    return {};
}

}  // namespace crossvoice::services
