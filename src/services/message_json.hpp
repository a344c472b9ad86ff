#pragma once

#include <nlohmann/json.hpp>

#include "core/message.hpp"

namespace crossvoice::services {

// A timeline message as every endpoint and live event renders it.
nlohmann::json message_json(const core::TimelineMessage& message);

}  // namespace crossvoice::services
