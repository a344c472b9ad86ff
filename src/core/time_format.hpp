#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace crossvoice::core {

// RFC 3339 UTC with milliseconds: "2026-11-24T09:30:00.123Z".
std::string format_rfc3339(TimePoint t);

// Strict RFC 3339 date-time, as vendors send it: "YYYY-MM-DDTHH:MM:SS", optional fraction of 1 to 9
// digits (truncated to milliseconds), then "Z" or "+hh:mm" / "-hh:mm". "T" and "Z" may be lower case, as
// RFC 3339 allows. Refused: anything else, impossible dates (02-30), hours past 23, leap second 60 (no
// carrier sends one, and a TimePoint cannot hold it), offsets beyond 23:59.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace crossvoice::core
