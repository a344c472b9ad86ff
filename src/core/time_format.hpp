#pragma once

#include <string>

#include "core/clock.hpp"

namespace crossvoice::core {

// RFC 3339 UTC with milliseconds: "2026-11-24T09:30:00.123Z".
std::string format_rfc3339(TimePoint t);

}  // namespace crossvoice::core
