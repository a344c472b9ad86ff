#pragma once

#include <string_view>

#include "core/clock.hpp"
#include "core/ports/time_zones.hpp"
#include "core/result.hpp"

namespace crossvoice::infra {

// core::ports::TimeZones over Howard Hinnant's date library (Debian libhowardhinnant-date-dev). Debian builds
// libdate-tz with USE_OS_TZDB=1: zones come from the OS tzdata in /usr/share/zoneinfo (package tzdata, kept
// current by apt), read once on first use; the library has no download code at all (HAS_REMOTE_API=0).
//
// Zone names are the IANA ones the OS ships, including backward links (US/Eastern); "localtime" (the host's
// own zone) is not a zone here. Debian's tzdata files list transitions explicitly up to 2037 and leave later
// ones to a POSIX rule that the library does not read; for a later instant in a zone that still changes its
// clocks, the latest year up to 2037 with the same calendar stands in (same weekdays and leap day, so rules
// like "second Sunday in March" fall on the same dates). That is exact when the zone's rules have not changed
// since that year (at most 28 years back, mostly under 12); the POSIX rule says no more than today's rules.
// Checked against Python's zoneinfo (which reads the POSIX rule) on random instants in every zone: exact
// before 2038; after 2037 only zones whose rules changed since their stand-in year differ (Cairo, Nuuk,
// Norfolk, Santiago, Casablanca, ...: 83 of 60,000 instants), none of the US, Canadian or European ones.
// Instants outside 1900-2099 are refused (kValidation).
//
// Thread-safe: the database is loaded once under a static initialiser and each zone's file under
// std::call_once inside the library; nothing here is mutable.
class DateTimeZones final : public core::ports::TimeZones {
  public:
    bool exists(std::string_view zone) const override;
    // kValidation for an unknown zone or an instant outside 1900-2099; kUnavailable when the tzdata cannot be
    // read (not installed).
    core::Result<core::ports::LocalDateTime> local_time(core::TimePoint at, std::string_view zone) const override;
};

}  // namespace crossvoice::infra
