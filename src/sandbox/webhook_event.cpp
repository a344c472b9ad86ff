#include "sandbox/webhook_event.hpp"

#include <array>
#include <utility>

#include "core/time_format.hpp"
#include "sandbox/random_ids.hpp"

namespace crossvoice::sandbox {
namespace {

std::string_view state_of(const SandboxCall& call) {
    switch (call.phase) {
        case Phase::kDialing:
        case Phase::kRinging: return call.incoming ? "parked" : "bridging";
        case Phase::kAnswered: return "answered";
        case Phase::kEnded: return "hangup";
    }
    return "hangup";
}

}  // namespace

nlohmann::json common_payload(const SandboxCall& call) {
    return {
        {"call_control_id", call.call_control_id},
        {"call_leg_id", call.call_leg_id},
        {"call_session_id", call.call_session_id},
        {"connection_id", call.connection_id},
        {"client_state", call.client_state ? nlohmann::json(*call.client_state) : nlohmann::json(nullptr)},
        {"from", call.from},
        {"to", call.to},
        {"direction", call.incoming ? "incoming" : "outgoing"},
        {"state", state_of(call)},
    };
}

nlohmann::json event_data(std::string_view event_type, nlohmann::json payload, core::TimePoint occurred_at) {
    return {
        {"record_type", "event"},        {"event_type", event_type},
        {"id", random_uuid()},           {"occurred_at", core::format_rfc3339(occurred_at)},
        {"payload", std::move(payload)},
    };
}

std::string_view sip_hangup_cause(std::string_view hangup_cause) {
    constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kSip{{
        {"user_busy", "486"},
        {"not_found", "404"},
        {"call_rejected", "603"},
        {"timeout", "480"},
        {"originator_cancel", "487"},
    }};
    for (const auto& [cause, sip] : kSip) {
        if (cause == hangup_cause) return sip;
    }
    return "unspecified";
}

}  // namespace crossvoice::sandbox
