#pragma once

#include "http/router.hpp"
#include "services/integration_selftest.hpp"
#include "services/integration_service.hpp"
#include "services/integration_status.hpp"

namespace crossvoice::api {

// The integration API of the seed's contract:
// GET /api/voice/integration/sessions, GET /api/voice/integration/sessions/{id},
// PUT /api/voice/integration/sessions/{id}/status, POST /api/voice/integration/initiate,
// GET /api/voice/integration/status and POST /api/voice/integration/test.
void add_integration_routes(http::Router& router, services::IntegrationService& integration,
                            services::IntegrationStatusService& status, services::IntegrationSelfTest& selftest);

}  // namespace crossvoice::api
