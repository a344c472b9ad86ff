#include "core/time_format.hpp"

#include <fmt/format.h>

#include <cstddef>

namespace crossvoice::core {
namespace {

// Reads exactly `count` decimal digits at `pos`, advancing it; nullopt on anything else.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t count) {
    if (text.size() - pos < count) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char ch = text[pos + i];
        if (ch < '0' || ch > '9') return std::nullopt;
        value = value * 10 + (ch - '0');
    }
    pos += count;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char wanted) {
    if (pos >= text.size() || text[pos] != wanted) return false;
    ++pos;
    return true;
}

bool expect_either(std::string_view text, std::size_t& pos, char upper, char lower) {
    return expect(text, pos, upper) || expect(text, pos, lower);
}

}  // namespace

std::string format_rfc3339(TimePoint t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    std::size_t pos = 0;
    const auto year_value = digits(text, pos, 4);
    if (!year_value || !expect(text, pos, '-')) return std::nullopt;
    const auto month_value = digits(text, pos, 2);
    if (!month_value || !expect(text, pos, '-')) return std::nullopt;
    const auto day_value = digits(text, pos, 2);
    if (!day_value || !expect_either(text, pos, 'T', 't')) return std::nullopt;
    const auto hour_value = digits(text, pos, 2);
    if (!hour_value || !expect(text, pos, ':')) return std::nullopt;
    const auto minute_value = digits(text, pos, 2);
    if (!minute_value || !expect(text, pos, ':')) return std::nullopt;
    const auto second_value = digits(text, pos, 2);
    if (!second_value) return std::nullopt;

    const year_month_day date{year{*year_value}, month{static_cast<unsigned>(*month_value)},
                              day{static_cast<unsigned>(*day_value)}};
    if (!date.ok() || *hour_value > 23 || *minute_value > 59 || *second_value > 59) return std::nullopt;

    int millis = 0;
    if (expect(text, pos, '.')) {
        constexpr std::size_t kMaxFractionDigits = 9;
        std::size_t count = 0;
        int scale = 100;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (++count > kMaxFractionDigits) return std::nullopt;
            millis += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (count == 0) return std::nullopt;
    }

    minutes offset{0};
    if (!expect_either(text, pos, 'Z', 'z')) {
        int sign = 0;
        if (expect(text, pos, '+')) {
            sign = 1;
        } else if (expect(text, pos, '-')) {
            sign = -1;
        } else {
            return std::nullopt;
        }
        const auto offset_hours = digits(text, pos, 2);
        if (!offset_hours || !expect(text, pos, ':')) return std::nullopt;
        const auto offset_minutes = digits(text, pos, 2);
        if (!offset_minutes || *offset_hours > 23 || *offset_minutes > 59) return std::nullopt;
        offset = minutes{sign * (*offset_hours * 60 + *offset_minutes)};
    }
    if (pos != text.size()) return std::nullopt;

    // Local time minus its offset is UTC.
    const auto local =
        sys_days{date} + hours{*hour_value} + minutes{*minute_value} + seconds{*second_value} + milliseconds{millis};
    return time_point_cast<milliseconds>(local - offset);
}

}  // namespace crossvoice::core
