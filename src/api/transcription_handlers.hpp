#pragma once

#include <cstddef>

#include "http/router.hpp"
#include "services/timeline_service.hpp"
#include "services/transcription_service.hpp"

namespace crossvoice::api {

// POST /api/voice/transcribe (bodies up to `max_upload_bytes`), GET /api/voice/transcribe/{jobId},
// POST /api/voice/transcribe/batch, GET /api/voice/integration/sessions/{id}/messages.
void add_transcription_routes(http::Router& router, services::TranscriptionService& transcription,
                              services::TimelineService& timeline, std::size_t max_upload_bytes);

}  // namespace crossvoice::api
