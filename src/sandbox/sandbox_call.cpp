#include "sandbox/sandbox_call.hpp"

#include "core/time_format.hpp"

namespace crossvoice::sandbox {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json optional_time(const std::optional<core::TimePoint>& value) {
    return value ? nlohmann::json(core::format_rfc3339(*value)) : nlohmann::json(nullptr);
}

}  // namespace

std::string_view to_string(Phase phase) {
    switch (phase) {
        case Phase::kDialing: return "dialing";
        case Phase::kRinging: return "ringing";
        case Phase::kAnswered: return "answered";
        case Phase::kEnded: return "ended";
    }
    return "ended";
}

nlohmann::json describe(const SandboxCall& call) {
    auto commands = nlohmann::json::array();
    for (const auto& command : call.commands) {
        commands.push_back({{"action", command.action},
                            {"body", command.body},
                            {"status", command.status},
                            {"repeat", command.repeat},
                            {"received_at", command.received_at}});
    }
    return {
        {"call_control_id", call.call_control_id},
        {"call_leg_id", call.call_leg_id},
        {"call_session_id", call.call_session_id},
        {"connection_id", call.connection_id},
        {"direction", call.incoming ? "incoming" : "outgoing"},
        {"from", call.from},
        {"to", call.to},
        {"state", to_string(call.phase)},
        {"client_state", optional_text(call.client_state)},
        {"webhook_url", call.webhook_url},
        {"start_time", core::format_rfc3339(call.start_time)},
        {"answered_at", optional_time(call.answered_at)},
        {"end_time", optional_time(call.end_time)},
        {"hangup_cause", optional_text(call.hangup_cause)},
        {"hangup_source", optional_text(call.hangup_source)},
        {"recording", call.recording.has_value()},
        {"streaming", call.streaming.has_value()},
        {"bridged_with", optional_text(call.bridged_with)},
        {"recording_ids", call.recording_ids},
        {"events", call.events},
        {"commands", std::move(commands)},
    };
}

}  // namespace crossvoice::sandbox
