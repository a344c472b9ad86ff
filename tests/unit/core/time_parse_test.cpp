#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/time_format.hpp"

namespace crossvoice::core {
namespace {

std::string reformat(std::string_view text) {
    const auto parsed = parse_rfc3339(text);
    return parsed ? format_rfc3339(*parsed) : "refused";
}

TEST(TimeParse, UtcWithAndWithoutFraction) {
    EXPECT_EQ(reformat("2026-11-24T09:30:00Z"), "2026-11-24T09:30:00.000Z");
    EXPECT_EQ(reformat("2026-11-24T09:30:00.5Z"), "2026-11-24T09:30:00.500Z");
    EXPECT_EQ(reformat("2026-11-24T09:30:00.123456Z"), "2026-11-24T09:30:00.123Z");
    EXPECT_EQ(reformat("2026-11-24T09:30:00.123456789Z"), "2026-11-24T09:30:00.123Z");
    EXPECT_EQ(reformat("2026-11-24t09:30:00.999z"), "2026-11-24T09:30:00.999Z");
    EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), from_unix_ms(0));
    EXPECT_EQ(parse_rfc3339("2026-11-25T00:00:00.123Z"), from_unix_ms(1'795'564'800'123));
}

TEST(TimeParse, Offsets) {
    EXPECT_EQ(reformat("2026-11-24T09:30:00+02:00"), "2026-11-24T07:30:00.000Z");
    EXPECT_EQ(reformat("2026-11-24T09:30:00.250-05:30"), "2026-11-24T15:00:00.250Z");
    EXPECT_EQ(reformat("2026-12-31T23:30:00-01:00"), "2027-01-01T00:30:00.000Z");
    EXPECT_EQ(reformat("2026-11-24T09:30:00+00:00"), "2026-11-24T09:30:00.000Z");
    EXPECT_EQ(reformat("2026-11-24T09:30:00-00:00"), "2026-11-24T09:30:00.000Z");
}

TEST(TimeParse, Calendar) {
    EXPECT_EQ(reformat("2024-02-29T00:00:00Z"), "2024-02-29T00:00:00.000Z");
    EXPECT_EQ(reformat("2023-02-29T00:00:00Z"), "refused");
    EXPECT_EQ(reformat("2026-04-31T00:00:00Z"), "refused");
    EXPECT_EQ(reformat("2026-00-10T00:00:00Z"), "refused");
    EXPECT_EQ(reformat("2026-13-10T00:00:00Z"), "refused");
    EXPECT_EQ(reformat("2026-11-00T00:00:00Z"), "refused");
    EXPECT_EQ(reformat("2026-11-24T24:00:00Z"), "refused");
    EXPECT_EQ(reformat("2026-11-24T23:60:00Z"), "refused");
    EXPECT_EQ(reformat("2026-11-24T23:59:60Z"), "refused");
}

TEST(TimeParse, RefusesAnythingElse) {
    for (const char* text : {"",
                             "2026-11-24",
                             "2026-11-24T09:30:00",
                             "2026-11-24 09:30:00Z",
                             "2026-11-24T09:30Z",
                             "2026-11-24T09:30:00.Z",
                             "2026-11-24T09:30:00.1234567891Z",
                             "2026-11-24T09:30:00+0200",
                             "2026-11-24T09:30:00+02",
                             "2026-11-24T09:30:00+24:00",
                             "2026-11-24T09:30:00+02:60",
                             "2026-11-24T09:30:00Z ",
                             " 2026-11-24T09:30:00Z",
                             "2026-11-24T09:30:00ZZ",
                             "26-11-24T09:30:00Z",
                             "2026-1-24T09:30:00Z",
                             "+2026-11-24T09:30:00Z",
                             "2026-11-24T09:30:00,5Z",
                             "2026-11-24T9:30:00Z",
                             "2026-11-24T09:30:00.5"}) {
        EXPECT_EQ(parse_rfc3339(text), std::nullopt) << text;
    }
}

TEST(TimeParse, FormatThenParseRoundTrips) {
    for (std::int64_t ms : {0LL, 1LL, 999LL, 1'795'564'800'123LL, 951'782'400'000LL - 1, 4'102'444'799'999LL}) {
        EXPECT_EQ(parse_rfc3339(format_rfc3339(from_unix_ms(ms))), from_unix_ms(ms)) << ms;
    }
}

}  // namespace
}  // namespace crossvoice::core
