#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "sandbox/sandbox_call.hpp"

namespace crossvoice::sandbox {

// The fields every Call Control webhook of a leg carries (vendor-apis.md A.4): call_control_id, call_leg_id,
// call_session_id, connection_id, client_state (base64 as given, or null), from, to, direction
// ("outgoing"/"incoming") and state ("bridging" or "parked" before the answer, then "answered", then "hangup").
nlohmann::json common_payload(const SandboxCall& call);

// The envelope's `data`: {"record_type":"event","event_type":…,"id":<fresh UUID>,"occurred_at":<RFC 3339, ms,
// UTC>,"payload":…}. WebhookSender wraps it with `meta`.
nlohmann::json event_data(std::string_view event_type, nlohmann::json payload, core::TimePoint occurred_at);

// The SIP status a hang-up cause corresponds to ("486" for user_busy), "unspecified" when none fits.
std::string_view sip_hangup_cause(std::string_view hangup_cause);

}  // namespace crossvoice::sandbox
