#pragma once

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "services/transcription_request.hpp"

namespace crossvoice::services {

// A queued transcription's request in its job payload: everything but uploaded bytes, which the job reads from
// the blob store under "audioKey".
nlohmann::json request_payload(const TranscribeRequest& request);
core::Result<TranscribeRequest> request_from_payload(const nlohmann::json& payload);

}  // namespace crossvoice::services
