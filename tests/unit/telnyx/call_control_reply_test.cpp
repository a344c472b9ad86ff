#include "telnyx/call_control_reply.hpp"
#include "support/error_detail.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace crossvoice::telnyx {
namespace {

using core::ErrorCode;

using crossvoice::testing::detail;

bool printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

// --- parse_dial_reply ---

TEST(ParseDialReply, ReadsTheIdsOfTheNewCall) {
    const auto call = parse_dial_reply(
        R"({"data":{"call_control_id":"v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg",
            "call_leg_id":"2dc6fc34-f9e0-11ea-b68e-02420a0f7768","call_session_id":"2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768",
            "is_alive":false,"record_type":"call"}})");
    ASSERT_TRUE(call.ok()) << call.error().message;
    EXPECT_EQ(call->call_control_id, "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg");
    EXPECT_EQ(call->call_leg_id, "2dc6fc34-f9e0-11ea-b68e-02420a0f7768");
    EXPECT_EQ(call->call_session_id, "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768");
}

TEST(ParseDialReply, LegAndSessionIdsAreOptional) {
    const auto bare = parse_dial_reply(R"({"data":{"call_control_id":"v3:x"}})");
    ASSERT_TRUE(bare.ok()) << bare.error().message;
    EXPECT_EQ(bare->call_control_id, "v3:x");
    EXPECT_EQ(bare->call_leg_id, "");
    EXPECT_EQ(bare->call_session_id, "");

    const auto odd = parse_dial_reply(R"({"data":{"call_control_id":"v3:x","call_leg_id":7,"call_session_id":null}})");
    ASSERT_TRUE(odd.ok()) << odd.error().message;
    EXPECT_EQ(odd->call_leg_id, "");
    EXPECT_EQ(odd->call_session_id, "");
}

TEST(ParseDialReply, RefusesABodyWithoutACallControlId) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {R"({"data":{"call_leg_id":"leg"}})", "data.call_control_id"},
        {R"({"data":{"call_control_id":""}})", "data.call_control_id"},
        {R"({"data":{"call_control_id":42}})", "data.call_control_id"},
        {R"({"data":{"call_control_id":null}})", "data.call_control_id"},
        {R"({"data":"v3:x"})", "data"},
        {R"({"call_control_id":"v3:x"})", "data"},
        {R"([{"data":{"call_control_id":"v3:x"}}])", "data"},
        {R"({"errors":[{"code":"10015"}]})", "data"},
    };
    for (const auto& [body, field] : cases) {
        const auto call = parse_dial_reply(body);
        ASSERT_FALSE(call.ok()) << body;
        EXPECT_EQ(call.error().code, ErrorCode::kVendor) << body;
        EXPECT_EQ(detail(call.error(), "field"), field) << body;
        EXPECT_EQ(detail(call.error(), "vendor"), "telnyx") << body;
    }
}

TEST(ParseDialReply, RefusesABodyThatIsNotJson) {
    for (const std::string_view body :
         {std::string_view(""), std::string_view("{"), std::string_view("<html>"), std::string_view("\xff\xfe"),
          std::string_view("{\"data\":{\"a\":\"\xc3\"}}")}) {
        const auto call = parse_dial_reply(body);
        ASSERT_FALSE(call.ok()) << body;
        EXPECT_EQ(call.error().code, ErrorCode::kVendor) << body;
        EXPECT_EQ(call.error().message, "Telnyx dial reply is not JSON") << body;
        const auto excerpt = detail(call.error(), "vendor_detail");
        if (excerpt) {
            EXPECT_TRUE(printable_ascii(*excerpt)) << *excerpt;
        }
    }
    EXPECT_EQ(detail(parse_dial_reply("").error(), "vendor_detail"), std::nullopt);
    EXPECT_EQ(detail(parse_dial_reply("<html>").error(), "vendor_detail"), "<html>");
}

// --- vendor_error ---

TEST(VendorError, ReadsTheFirstTelnyxError) {
    const auto error = vendor_error(
        422,
        R"({"errors":[{"code":"90018","title":"Call has already ended","detail":"This call is no longer active.",
            "source":{"pointer":"/call_control_id"}},{"code":"10015","title":"Second"}]})",
        std::nullopt, std::nullopt);
    EXPECT_EQ(error.code, ErrorCode::kVendor);
    EXPECT_EQ(error.message, "Telnyx 422: Call has already ended: This call is no longer active.");
    EXPECT_EQ(error.details, (std::vector<std::pair<std::string, std::string>>{
                                 {"vendor", "telnyx"},
                                 {"vendor_status", "422"},
                                 {"vendor_code", "90018"},
                                 {"vendor_title", "Call has already ended"},
                                 {"vendor_detail", "This call is no longer active."},
                                 {"vendor_pointer", "/call_control_id"},
                             }));
}

TEST(VendorError, LeavesOutWhatTheErrorDoesNotSay) {
    const auto title_only = vendor_error(404, R"({"errors":[{"title":"Resource not found"}]})", "5", "5");
    EXPECT_EQ(title_only.message, "Telnyx 404: Resource not found");
    EXPECT_EQ(title_only.details,
              (std::vector<std::pair<std::string, std::string>>{
                  {"vendor", "telnyx"}, {"vendor_status", "404"}, {"vendor_title", "Resource not found"}}));

    const auto detail_only = vendor_error(400, R"({"errors":[{"detail":"Bad JSON"}]})", std::nullopt, std::nullopt);
    EXPECT_EQ(detail_only.message, "Telnyx 400: Bad JSON");

    const auto numeric =
        vendor_error(422, R"({"errors":[{"code":10015,"source":{"pointer":true}}]})", std::nullopt, std::nullopt);
    EXPECT_EQ(numeric.message, "Telnyx 422");
    EXPECT_EQ(detail(numeric, "vendor_code"), "10015");
    EXPECT_EQ(detail(numeric, "vendor_pointer"), std::nullopt);
}

TEST(VendorError, AnythingElseBecomesAShortPrintableExcerpt) {
    const auto html = vendor_error(502, "<html>\n  <h1>502 Bad Gateway</h1>\n</html>\n", std::nullopt, std::nullopt);
    EXPECT_EQ(html.message, "Telnyx 502: <html> <h1>502 Bad Gateway</h1> </html>");
    EXPECT_EQ(detail(html, "vendor_detail"), "<html> <h1>502 Bad Gateway</h1> </html>");
    EXPECT_EQ(detail(html, "vendor_code"), std::nullopt);

    // JSON, but not Telnyx's error shape.
    for (const std::string_view body : {std::string_view(R"({"errors":[]})"), std::string_view(R"({"errors":["x"]})"),
                                        std::string_view(R"({"errors":{"code":"1"}})"),
                                        std::string_view(R"({"message":"nope"})"), std::string_view("[1,2]")}) {
        EXPECT_EQ(detail(vendor_error(500, body, std::nullopt, std::nullopt), "vendor_detail"), body);
    }

    const auto escapes =
        vendor_error(500, "\x1b[31mred\x1b[0m\r\nFAKE log line\x7f\xc3\xa9", std::nullopt, std::nullopt);
    EXPECT_EQ(detail(escapes, "vendor_detail"), "[31mred [0m FAKE log line ??");

    const auto huge = vendor_error(500, std::string(10'000, 'x'), std::nullopt, std::nullopt);
    EXPECT_EQ(detail(huge, "vendor_detail"), std::string(200, 'x') + "...");
    EXPECT_LT(huge.message.size(), 250u);
}

TEST(VendorError, TextFromTheErrorIsSanitisedToo) {
    const auto error =
        vendor_error(422, R"({"errors":[{"code":"1\n2","title":"Bad\r\nInjected: yes","detail":"caf\u00e9"}]})",
                     std::nullopt, std::nullopt);
    EXPECT_EQ(error.message, "Telnyx 422: Bad Injected: yes: caf??");
    EXPECT_EQ(detail(error, "vendor_code"), "1 2");
    EXPECT_TRUE(printable_ascii(error.message));
    const auto long_title =
        vendor_error(422, R"({"errors":[{"title":")" + std::string(1'000, 't') + R"("}]})", std::nullopt, std::nullopt);
    EXPECT_EQ(detail(long_title, "vendor_title"), std::string(300, 't') + "...");
}

TEST(VendorError, AnEmptyBodyLeavesOnlyTheStatus) {
    const auto error = vendor_error(503, "", std::nullopt, std::nullopt);
    EXPECT_EQ(error.message, "Telnyx 503");
    EXPECT_EQ(error.details,
              (std::vector<std::pair<std::string, std::string>>{{"vendor", "telnyx"}, {"vendor_status", "503"}}));
    EXPECT_EQ(vendor_error(503, " \r\n ", std::nullopt, std::nullopt).message, "Telnyx 503");
}

TEST(VendorError, TooManyRequestsSaysHowLongToWait) {
    constexpr std::string_view kBody = R"({"errors":[{"code":"10011","title":"Too many requests"}]})";
    const auto wait = [&](std::optional<std::string_view> retry_after, std::optional<std::string_view> reset) {
        return detail(vendor_error(429, kBody, retry_after, reset), "retry_after_seconds");
    };
    EXPECT_EQ(wait("12", "30"), "12");
    EXPECT_EQ(wait(" 5\t", std::nullopt), "5");
    EXPECT_EQ(wait("1.2", std::nullopt), "2");  // rounded up: waiting less would earn another 429
    EXPECT_EQ(wait("3.000", std::nullopt), "3");
    EXPECT_EQ(wait("0", std::nullopt), "1");
    EXPECT_EQ(wait("99999999999999999999999", std::nullopt), "86400");
    EXPECT_EQ(wait("200000", std::nullopt), "86400");
    // Not delta-seconds: fall back to x-ratelimit-reset, then to one second.
    EXPECT_EQ(wait("Wed, 21 Oct 2026 07:28:00 GMT", "30"), "30");
    EXPECT_EQ(wait("-5", "4"), "4");
    EXPECT_EQ(wait("", "4"), "4");
    EXPECT_EQ(wait(".5", "4"), "4");
    EXPECT_EQ(wait("5s", std::nullopt), "1");
    EXPECT_EQ(wait(std::nullopt, "2.5"), "3");
    EXPECT_EQ(wait(std::nullopt, "soon"), "1");
    EXPECT_EQ(wait(std::nullopt, std::nullopt), "1");
    // Only a 429 gets a wait.
    EXPECT_EQ(detail(vendor_error(503, kBody, "10", "10"), "retry_after_seconds"), std::nullopt);
    EXPECT_EQ(detail(vendor_error(422, kBody, "10", "10"), "retry_after_seconds"), std::nullopt);
}

// --- has_error_code ---

TEST(HasErrorCode, LooksAtEveryEntry) {
    EXPECT_TRUE(has_error_code(R"({"errors":[{"code":"90018"}]})", "90018"));
    EXPECT_TRUE(has_error_code(R"({"errors":[{"code":90018}]})", "90018"));
    EXPECT_TRUE(has_error_code(R"({"errors":["x",{"code":"1"},{"code":"90018"}]})", "90018"));
    EXPECT_FALSE(has_error_code(R"({"errors":[{"code":"90017"}]})", "90018"));
    EXPECT_FALSE(has_error_code(R"({"errors":[{"title":"90018"}]})", "90018"));
    EXPECT_FALSE(has_error_code(R"({"errors":{"code":"90018"}})", "90018"));
    EXPECT_FALSE(has_error_code(R"({"code":"90018"})", "90018"));
    EXPECT_FALSE(has_error_code("90018", "90018"));
    EXPECT_FALSE(has_error_code("", "90018"));
}

}  // namespace
}  // namespace crossvoice::telnyx
