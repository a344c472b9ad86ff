#pragma once

#include "http/router.hpp"
#include "services/messaging_service.hpp"

namespace crossvoice::api {

// POST /api/webhooks/sinch (signed callbacks), POST /api/voice/integration/sessions/{id}/messages (a person's
// reply on the customer's channel) and PUT /api/voice/integration/sessions/{id}/owner (take over, hand back).
void add_messaging_routes(http::Router& router, services::MessagingService& messaging);

}  // namespace crossvoice::api
