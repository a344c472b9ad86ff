#pragma once

#include "http/router.hpp"
#include "services/callback_service.hpp"

namespace crossvoice::api {

// POST /api/voice/integration/sessions/{id}/callback {to?, flow?}: chat -> voice, a call to the session's
// customer in the same session.
void add_callback_routes(http::Router& router, services::CallbackService& callbacks);

}  // namespace crossvoice::api
