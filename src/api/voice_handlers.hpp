#pragma once

#include "http/router.hpp"
#include "services/call_event_service.hpp"
#include "services/call_service.hpp"

namespace crossvoice::api {

// POST /api/voice/initiate, POST /api/voice/webhook, GET /api/voice/calls/{id},
// POST /api/voice/calls/{id}/hangup, GET /api/voice/sessions/{id}/calls.
void add_voice_routes(http::Router& router, services::CallService& calls, services::CallEventService& events);

}  // namespace crossvoice::api
