#pragma once

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "http/message.hpp"
#include "services/session_service.hpp"

// A page of sessions as both session listings (GET /api/voice/sessions and /api/voice/integration/sessions) read
// their query and render their answer.
namespace crossvoice::api {

// status, channel, limit (default `default_limit`), cursor; each badly encoded one is kValidation naming it.
core::Result<services::SessionFilter> session_filter_from_query(const http::Request& request, int default_limit);

// {sessions: [summary without metadata…], count, nextCursor|null}.
nlohmann::json session_page_json(const services::SessionPage& page);

}  // namespace crossvoice::api
