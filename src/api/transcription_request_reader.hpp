#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "http/message.hpp"
#include "services/transcription_request.hpp"

namespace crossvoice::api {

// POST /api/voice/transcribe in its three forms: a JSON object {audioUrl | recordingId | callId, sessionId?,
// language?, callbackUrl?, options{…}}; multipart/form-data with a file part ("file" or "audio") and the same
// fields as form fields ("options" as JSON text); or a raw audio body (audio/*) with the fields as query
// parameters. Errors name the field.
core::Result<services::TranscribeRequest> read_transcribe_request(const http::Request& request);

// One item of a batch, or the JSON form above. `prefix` names the item in errors ("items[2].").
core::Result<services::TranscribeRequest> read_transcribe_object(const nlohmann::json& object,
                                                                 const std::string& prefix = "");

}  // namespace crossvoice::api
