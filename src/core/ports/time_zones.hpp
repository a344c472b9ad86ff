#pragma once

#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// A moment as a wall clock in some place shows it.
struct LocalDateTime {
    int year = 1970;
    int month = 1;    // 1..12
    int day = 1;      // 1..31
    int weekday = 0;  // 0 = Monday ... 6 = Sunday
    int minute_of_day = 0;
};

// IANA time zones (tzdata). kValidation for an unknown zone name. Thread-safe.
class TimeZones {
  public:
    virtual ~TimeZones() = default;
    virtual bool exists(std::string_view zone) const = 0;
    virtual Result<LocalDateTime> local_time(TimePoint at, std::string_view zone) const = 0;
};

}  // namespace crossvoice::core::ports
