#include "infra/date_time_zones.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>

// The OS database, never the downloading variant: the date::date-tz target of Debian's package defines it.
#if !USE_OS_TZDB || HAS_REMOTE_API
#error "DateTimeZones expects libdate-tz built with USE_OS_TZDB=1 and without the remote API"
#endif

namespace crossvoice::infra {
namespace {

using Ms = std::chrono::milliseconds;

// tzdata's (fat) files list each transition up to 2037 and leave later ones to a POSIX rule the library does
// not read. Supported instants: 1900-2099.
constexpr int kLastListedYear = 2037;
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2099;
constexpr int kCycleYears = 28;

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

date::weekday new_year_weekday(int year) { return date::weekday{date::sys_days{date::year{year} / 1 / 1}}; }

// How far back an instant must be moved so that the zone's listed transitions answer for it: zero unless it
// lies after 2037 in a zone whose list was cut there (a zone that still changes clocks). Then the latest
// year up to 2037 with the same calendar (weekday of 1 January, leap or not) stands in for it, so that rules
// like "second Sunday in March" fall on the same dates; such a year is at most 28 years earlier.
date::days stand_in_shift(const date::time_zone& tz, core::TimePoint at) {
    const int year = static_cast<int>(date::year_month_day{date::floor<date::days>(at)}.year());
    if (year <= kLastListedYear) return date::days{0};
    const auto info = tz.get_info(at);
    const bool cut = info.begin >= date::sys_days{date::year{kLastListedYear} / 1 / 1} &&
                     info.end > date::sys_days{date::year{kLastYear + 1} / 1 / 1};
    if (!cut) return date::days{0};  // the zone's last change is final: its offset holds from then on
    // 28 years repeat the calendar exactly between 1901 and 2099; a later year with the same calendar is
    // preferred (rules change), so look down from 2037 to the one 28-year multiples back.
    const int cycles = (year - kLastListedYear + kCycleYears - 1) / kCycleYears;
    const int earliest = year - cycles * kCycleYears;
    for (int candidate = kLastListedYear; candidate >= earliest; --candidate) {
        if (is_leap(candidate) == is_leap(year) && new_year_weekday(candidate) == new_year_weekday(year)) {
            return date::sys_days{date::year{year} / 1 / 1} - date::sys_days{date::year{candidate} / 1 / 1};
        }
    }
    return date::days{0};  // not reached for 2038-2099
}

// IANA names are letters, digits and "/_-+"; anything else (paths, dots) is not looked up at all.
bool plausible_name(std::string_view zone) {
    if (zone.empty() || zone.size() > 64 || zone.front() == '/' || zone == "localtime") return false;
    return std::all_of(zone.begin(), zone.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '/' ||
               ch == '_' || ch == '-' || ch == '+';
    });
}

// nullptr for an unknown zone; throws std::runtime_error when the database itself cannot be read.
const date::time_zone* find_zone(std::string_view zone) {
    if (!plausible_name(zone)) return nullptr;
    const auto& zones = date::get_tzdb().zones;  // sorted by name
    const auto it = std::lower_bound(zones.begin(), zones.end(), zone,
                                     [](const date::time_zone& tz, std::string_view name) { return tz.name() < name; });
    return it != zones.end() && it->name() == zone ? &*it : nullptr;
}

}  // namespace

bool DateTimeZones::exists(std::string_view zone) const {
    try {
        return find_zone(zone) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

core::Result<core::ports::LocalDateTime> DateTimeZones::local_time(core::TimePoint at, std::string_view zone) const {
    const date::time_zone* tz = nullptr;
    try {
        tz = find_zone(zone);
    } catch (const std::exception& error) {
        return core::Error::unavailable(fmt::format("the time zone database could not be read: {}", error.what()));
    }
    if (tz == nullptr) {
        return core::Error::validation("time_zone", fmt::format("unknown time zone '{}' (expected an IANA name "
                                                                "like America/New_York)",
                                                                zone.substr(0, 64)));
    }

    // Range check on the UTC date first, so that no arithmetic below can overflow.
    constexpr auto kEarliest = date::sys_days{date::year{kFirstYear} / 1 / 2};
    constexpr auto kLatest = date::sys_days{date::year{kLastYear} / 12 / 31};
    if (at < kEarliest || at >= kLatest) {
        return core::Error::validation("time",
                                       fmt::format("time zones are supported from {} to {}", kFirstYear, kLastYear));
    }
    date::local_time<Ms> local;
    try {
        const date::days shift = stand_in_shift(*tz, at);
        local = tz->to_local(at - shift) + shift;
    } catch (const std::exception& error) {
        return core::Error::unavailable(fmt::format("time zone '{}' could not be read: {}", zone, error.what()));
    }
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    core::ports::LocalDateTime out;
    out.year = static_cast<int>(ymd.year());
    out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    out.weekday = static_cast<int>(date::weekday{day}.iso_encoding()) - 1;
    out.minute_of_day = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
    return out;
}

}  // namespace crossvoice::infra
