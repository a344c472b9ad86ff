#include "api/call_json.hpp"

#include "core/time_format.hpp"

namespace crossvoice::api {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json optional_time(const std::optional<core::TimePoint>& value) {
    return value ? nlohmann::json(core::format_rfc3339(*value)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json call_json(const core::Call& call) {
    return {
        {"callId", call.id},
        {"sessionId", call.session_id},
        {"platform", core::to_string(call.platform)},
        {"direction", core::to_string(call.direction)},
        {"from", call.from},
        {"to", call.to},
        {"status", core::to_string(call.state)},
        {"callControlId",
         call.call_control_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(call.call_control_id)},
        {"callLegId", optional_text(call.call_leg_id)},
        {"callSessionId", optional_text(call.call_session_id)},
        {"recordCall", call.record},
        {"transcriptionEnabled", call.transcription_enabled},
        {"language", call.language},
        {"flow", optional_text(call.flow)},
        {"failureReason", optional_text(call.failure_reason)},
        {"hangupCause", optional_text(call.hangup_cause)},
        {"hangupSource", optional_text(call.hangup_source)},
        {"startTime", core::format_rfc3339(call.created_at)},
        {"answerTime", optional_time(call.answered_at)},
        {"endTime", optional_time(call.ended_at)},
        {"hasRecording", call.has_recording},
    };
}

nlohmann::json call_event_json(const core::StoredCallEvent& event) {
    return {
        {"eventId", event.id},
        {"type", event.event_type},
        {"occurredAt", core::format_rfc3339(event.occurred_at)},
        {"receivedAt", core::format_rfc3339(event.received_at)},
        {"statusAfter", event.state_after ? nlohmann::json(core::to_string(*event.state_after)) : nlohmann::json()},
        {"changedStatus", event.changed_state},
    };
}

nlohmann::json recording_json(const core::StoredRecording& stored) {
    const auto& recording = stored.recording;
    return {
        {"eventId", stored.event_id},
        {"wavUrl", optional_text(recording.wav_url)},
        {"mp3Url", optional_text(recording.mp3_url)},
        {"channels", optional_text(recording.channels)},
        {"startedAt", optional_time(recording.started_at)},
        {"endedAt", optional_time(recording.ended_at)},
        {"archived", stored.archived_as.has_value()},
        {"savedAt", core::format_rfc3339(stored.created_at)},
    };
}

nlohmann::json job_json(const core::Job& job) {
    return {
        {"jobId", job.id},
        {"kind", job.kind},
        {"status", core::to_string(job.status)},
        {"attempts", job.attempts},
        {"maxAttempts", job.max_attempts},
        {"lastError", optional_text(job.last_error)},
        {"runAt", core::format_rfc3339(job.run_at)},
        {"createdAt", core::format_rfc3339(job.created_at)},
        {"updatedAt", core::format_rfc3339(job.updated_at)},
        {"finishedAt", optional_time(job.finished_at)},
    };
}

}  // namespace crossvoice::api
