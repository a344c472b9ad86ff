#pragma once

#include "http/router.hpp"
#include "services/call_service.hpp"
#include "services/session_service.hpp"

namespace crossvoice::api {

// POST/GET /api/voice/sessions, GET /api/voice/sessions/{id} (with its calls), POST /api/voice/sessions/{id}/end.
void add_session_routes(http::Router& router, services::SessionService& sessions, services::CallService& calls);

}  // namespace crossvoice::api
