#pragma once

#include <nlohmann/json.hpp>

#include "core/message.hpp"

namespace crossvoice::api {

// A timeline message as every endpoint renders it.
nlohmann::json message_json(const core::TimelineMessage& message);

}  // namespace crossvoice::api
