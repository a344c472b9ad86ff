#pragma once

#include "http/router.hpp"
#include "services/handoff_service.hpp"

namespace crossvoice::api {

// POST /api/voice/integration/sessions/{id}/handoff (a single-use token for the other platform) and
// POST /api/voice/integration/sessions/claim (the other platform continues the session).
void add_handoff_routes(http::Router& router, services::HandoffService& handoffs);

}  // namespace crossvoice::api
