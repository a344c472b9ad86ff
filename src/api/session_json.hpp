#pragma once

#include <nlohmann/json.hpp>

#include "core/session.hpp"

namespace crossvoice::api {

// The original web apps' session shape: camelCase, RFC 3339 times, null for what is not known.
nlohmann::json session_json(const core::Session& session);

}  // namespace crossvoice::api
