#pragma once

#include "http/router.hpp"
#include "services/integration_selftest.hpp"
#include "services/integration_service.hpp"
#include "services/integration_status.hpp"
#include "services/integration_transcribe.hpp"

namespace crossvoice::api {

// The integration API of the seed's contract:
// GET /api/voice/integration/sessions, GET /api/voice/integration/sessions/{id},
// PUT /api/voice/integration/sessions/{id}/status, POST /api/voice/integration/initiate,
// GET /api/voice/integration/status and POST /api/voice/integration/test.
void add_integration_routes(http::Router& router, services::IntegrationService& integration,
                            services::IntegrationStatusService& status, services::IntegrationSelfTest& selftest);

// POST /api/voice/integration/transcribe: POST /api/voice/transcribe's request (JSON, multipart or raw audio) with
// sessionId required, plus targetLanguage, askShango (default true) and replyOn (sms, whatsapp, chat). 201 with the
// transcript, its translation, SHANGO's answer and the ids of the messages written; 202 for long audio (queued).
void add_integration_transcribe_route(http::Router& router, services::IntegrationTranscribe& use_case,
                                      std::size_t max_upload_bytes);

}  // namespace crossvoice::api
