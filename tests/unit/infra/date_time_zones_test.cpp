#include "infra/date_time_zones.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace crossvoice::infra {
namespace {

using core::ports::LocalDateTime;

// An instant given as UTC wall-clock fields.
core::TimePoint utc(int year, int month, int day, int hour, int minute) {
    // Days from civil (Howard Hinnant's algorithm), so that the test does not lean on the code under test.
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    return core::from_unix_ms(((days * 24 + hour) * 60 + minute) * 60'000);
}

LocalDateTime local(const DateTimeZones& zones, core::TimePoint at, std::string_view zone) {
    auto result = zones.local_time(at, zone);
    if (!result) {
        ADD_FAILURE() << result.error().message;
        return {};
    }
    return *result;
}

void expect_local(const LocalDateTime& got, int year, int month, int day, int weekday, int hour, int minute) {
    EXPECT_EQ(got.year, year);
    EXPECT_EQ(got.month, month);
    EXPECT_EQ(got.day, day);
    EXPECT_EQ(got.weekday, weekday);
    EXPECT_EQ(got.minute_of_day, hour * 60 + minute);
}

TEST(DateTimeZonesTest, UtcIsUtc) {
    const DateTimeZones zones;
    // 2026-03-08 is a Sunday.
    expect_local(local(zones, utc(2026, 3, 8, 6, 59), "UTC"), 2026, 3, 8, 6, 6, 59);
    expect_local(local(zones, utc(2026, 3, 8, 6, 59), "Etc/UTC"), 2026, 3, 8, 6, 6, 59);
}

TEST(DateTimeZonesTest, NewYorkAcrossTheSpringChange) {
    const DateTimeZones zones;
    // US clocks go from 02:00 EST to 03:00 EDT on Sunday 2026-03-08, i.e. at 07:00 UTC.
    expect_local(local(zones, utc(2026, 3, 8, 6, 59), "America/New_York"), 2026, 3, 8, 6, 1, 59);
    expect_local(local(zones, utc(2026, 3, 8, 7, 0), "America/New_York"), 2026, 3, 8, 6, 3, 0);
    // The day before, 04:30 UTC is still the previous evening in New York (Friday 23:30).
    expect_local(local(zones, utc(2026, 3, 7, 4, 30), "America/New_York"), 2026, 3, 6, 4, 23, 30);
}

TEST(DateTimeZonesTest, NewYorkAcrossTheAutumnChange) {
    const DateTimeZones zones;
    // Back from 02:00 EDT to 01:00 EST on Sunday 2026-11-01, at 06:00 UTC: 01:30 happens twice.
    expect_local(local(zones, utc(2026, 11, 1, 5, 30), "America/New_York"), 2026, 11, 1, 6, 1, 30);
    expect_local(local(zones, utc(2026, 11, 1, 6, 30), "America/New_York"), 2026, 11, 1, 6, 1, 30);
    // Summer: UTC-4; winter: UTC-5.
    expect_local(local(zones, utc(2026, 7, 15, 16, 0), "America/New_York"), 2026, 7, 15, 2, 12, 0);
    expect_local(local(zones, utc(2026, 12, 15, 17, 0), "America/New_York"), 2026, 12, 15, 1, 12, 0);
}

TEST(DateTimeZonesTest, KolkataIsFiveAndAHalfHoursAheadAllYear) {
    const DateTimeZones zones;
    expect_local(local(zones, utc(2026, 1, 15, 20, 0), "Asia/Kolkata"), 2026, 1, 16, 4, 1, 30);
    expect_local(local(zones, utc(2026, 7, 15, 18, 29), "Asia/Kolkata"), 2026, 7, 15, 2, 23, 59);
    expect_local(local(zones, utc(2026, 7, 15, 18, 30), "Asia/Kolkata"), 2026, 7, 16, 3, 0, 0);
}

TEST(DateTimeZonesTest, WeekdaysRunMondayZeroToSundaySix) {
    const DateTimeZones zones;
    // 2026-06-01 is a Monday.
    for (int offset = 0; offset < 7; ++offset) {
        EXPECT_EQ(local(zones, utc(2026, 6, 1 + offset, 12, 0), "Europe/London").weekday, offset);
    }
    // Leap day.
    expect_local(local(zones, utc(2028, 2, 29, 12, 0), "UTC"), 2028, 2, 29, 1, 12, 0);
}

TEST(DateTimeZonesTest, SouthernHemisphereSummerTime) {
    const DateTimeZones zones;
    // Sydney: UTC+11 in January (daylight time), UTC+10 in July.
    expect_local(local(zones, utc(2026, 1, 10, 1, 0), "Australia/Sydney"), 2026, 1, 10, 5, 12, 0);
    expect_local(local(zones, utc(2026, 7, 10, 2, 0), "Australia/Sydney"), 2026, 7, 10, 4, 12, 0);
}

TEST(DateTimeZonesTest, DaylightTimeContinuesAfter2037) {
    const DateTimeZones zones;
    // Beyond the transitions tzdata lists, the rule keeps applying: 2045-03-12 (second Sunday) EST -> EDT.
    expect_local(local(zones, utc(2045, 3, 12, 6, 59), "America/New_York"), 2045, 3, 12, 6, 1, 59);
    expect_local(local(zones, utc(2045, 3, 12, 7, 0), "America/New_York"), 2045, 3, 12, 6, 3, 0);
    expect_local(local(zones, utc(2040, 7, 4, 16, 0), "America/New_York"), 2040, 7, 4, 2, 12, 0);
    expect_local(local(zones, utc(2040, 11, 4, 6, 0), "America/New_York"), 2040, 11, 4, 6, 1, 0);
    // More than 28 years after 2037, up to the end of the supported range.
    expect_local(local(zones, utc(2069, 7, 4, 16, 0), "America/New_York"), 2069, 7, 4, 3, 12, 0);
    expect_local(local(zones, utc(2069, 10, 19, 10, 0), "Europe/Madrid"), 2069, 10, 19, 5, 12, 0);
    expect_local(local(zones, utc(2099, 3, 8, 6, 59), "America/New_York"), 2099, 3, 8, 6, 1, 59);
    expect_local(local(zones, utc(2099, 3, 8, 7, 0), "America/New_York"), 2099, 3, 8, 6, 3, 0);
    expect_local(local(zones, utc(2096, 1, 10, 1, 0), "Australia/Sydney"), 2096, 1, 10, 1, 12, 0);
    // A zone whose last change is final keeps its offset: Kolkata, and Mexico City (no DST since 2022).
    expect_local(local(zones, utc(2050, 7, 1, 0, 0), "Asia/Kolkata"), 2050, 7, 1, 4, 5, 30);
    expect_local(local(zones, utc(2050, 7, 1, 12, 0), "America/Mexico_City"), 2050, 7, 1, 4, 6, 0);
}

TEST(DateTimeZonesTest, UnknownZonesAreValidationErrors) {
    const DateTimeZones zones;
    for (const std::string& zone :
         std::vector<std::string>{"Mars/Olympus_Mons", "", "america/new_york", "localtime", "../../etc/passwd",
                                  "/etc/localtime", "zone.tab", "posix/America/New_York", std::string(300, 'A')}) {
        auto result = zones.local_time(utc(2026, 1, 1, 0, 0), zone);
        ASSERT_FALSE(result.ok()) << zone;
        EXPECT_EQ(result.error().code, core::ErrorCode::kValidation) << zone;
        EXPECT_FALSE(zones.exists(zone)) << zone;
    }
    EXPECT_NE(zones.local_time(utc(2026, 1, 1, 0, 0), "Mars/Olympus_Mons").error().message.find("Mars/Olympus_Mons"),
              std::string::npos);
}

TEST(DateTimeZonesTest, InstantsOutsideTheSupportedYearsAreRefused) {
    const DateTimeZones zones;
    EXPECT_EQ(zones.local_time(utc(1899, 6, 1, 0, 0), "UTC").error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(zones.local_time(utc(2100, 6, 1, 0, 0), "UTC").error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(zones.local_time(core::from_unix_ms(INT64_MAX), "UTC").error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(zones.local_time(core::from_unix_ms(INT64_MIN), "UTC").error().code, core::ErrorCode::kValidation);
    EXPECT_TRUE(zones.local_time(utc(1900, 6, 1, 0, 0), "UTC").ok());
    EXPECT_TRUE(zones.local_time(utc(2099, 6, 1, 0, 0), "America/New_York").ok());
}

TEST(DateTimeZonesTest, ExistsKnowsCanonicalNamesAndLinks) {
    const DateTimeZones zones;
    for (const char* zone : {"America/New_York", "Asia/Kolkata", "Europe/Berlin", "UTC", "Etc/GMT+5",
                             "America/Argentina/Buenos_Aires", "US/Eastern", "Asia/Calcutta"}) {
        EXPECT_TRUE(zones.exists(zone)) << zone;
    }
    // A backward link answers like its zone.
    expect_local(local(zones, utc(2026, 7, 15, 16, 0), "US/Eastern"), 2026, 7, 15, 2, 12, 0);
}

TEST(DateTimeZonesTest, SafeFromManyThreadsAtOnce) {
    const DateTimeZones zones;
    const char* names[] = {"America/New_York", "Asia/Kolkata", "Europe/Paris", "Pacific/Auckland"};
    std::vector<std::thread> threads;
    std::vector<int> failures(8, 0);
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const char* zone = names[(t + i) % 4];
                auto result = zones.local_time(utc(2026, 1 + i % 12, 1 + i % 28, i % 24, 0), zone);
                if (!result || !zones.exists(zone)) ++failures[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < 8; ++t) EXPECT_EQ(failures[t], 0);
}

}  // namespace
}  // namespace crossvoice::infra
