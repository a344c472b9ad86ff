#pragma once

#include <nlohmann/json.hpp>

#include "core/call.hpp"
#include "core/job.hpp"

namespace crossvoice::api {

// camelCase, RFC 3339 times, null for what is not known; the carrier's ids are shown so that support staff
// can look a call up in the carrier's portal.
nlohmann::json call_json(const core::Call& call);
nlohmann::json call_event_json(const core::StoredCallEvent& event);
nlohmann::json recording_json(const core::StoredRecording& recording);
nlohmann::json job_json(const core::Job& job);

}  // namespace crossvoice::api
