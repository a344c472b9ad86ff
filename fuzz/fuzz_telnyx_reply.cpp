// parse_dial_reply, vendor_error and has_error_code on arbitrary bytes (what Telnyx, a proxy in front of it or a
// broken sandbox may answer). The whole input is the body; its first line, when short, also serves as the
// Retry-After and x-ratelimit-reset values. Properties: a parsed dial reply has a call_control_id; every error
// is kVendor from "telnyx"; vendor_error's message starts "Telnyx <status>", and it and every detail are
// printable ASCII of bounded length with no key twice; vendor_status is the status; retry_after_seconds is
// there exactly for 429, a whole number of seconds from 1 to 86400, equal to a plain Retry-After in that range.

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "telnyx/call_control_reply.hpp"

namespace {

using crossvoice::core::Error;
using crossvoice::core::ErrorCode;

constexpr std::size_t kMaxDetail = 303;   // 300 characters and "..."
constexpr std::size_t kMaxMessage = 700;  // "Telnyx NNN: " + title + ": " + detail

bool printable(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

const std::string* find(const Error& error, std::string_view key) {
    for (const auto& [name, value] : error.details) {
        if (name == key) return &value;
    }
    return nullptr;
}

// A whole number written plainly ("7", "007"), or -1.
std::int64_t plain_number(std::string_view text) {
    if (text.empty() || text.size() > 9) return -1;
    if (!std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return -1;
    std::int64_t value = 0;
    static_cast<void>(std::from_chars(text.data(), text.data() + text.size(), value));
    return value;
}

void check_vendor(const Error& error) {
    FUZZ_CHECK(error.code == ErrorCode::kVendor);
    FUZZ_CHECK(!error.message.empty());
    const auto* vendor = find(error, "vendor");
    FUZZ_CHECK(vendor != nullptr && *vendor == "telnyx");
    std::set<std::string> keys;
    for (const auto& [key, value] : error.details) {
        FUZZ_CHECK(keys.insert(key).second);
        FUZZ_CHECK(printable(value));
        FUZZ_CHECK(value.size() <= kMaxDetail);
    }
}

void check_dial_reply(std::string_view body) {
    const auto call = crossvoice::telnyx::parse_dial_reply(body);
    if (call) {
        FUZZ_CHECK(!call->call_control_id.empty());
        return;
    }
    check_vendor(call.error());
    if (const auto* field = find(call.error(), "field")) {
        FUZZ_CHECK(*field == "data" || *field == "data.call_control_id");
    }
}

void check_vendor_error(int status, std::string_view body, std::optional<std::string_view> retry_after,
                        std::optional<std::string_view> reset) {
    const auto error = crossvoice::telnyx::vendor_error(status, body, retry_after, reset);
    check_vendor(error);
    const std::string prefix = "Telnyx " + std::to_string(status);
    FUZZ_CHECK(error.message.starts_with(prefix));
    FUZZ_CHECK(error.message.size() == prefix.size() || error.message.substr(prefix.size()).starts_with(": "));
    FUZZ_CHECK(printable(error.message));
    FUZZ_CHECK(error.message.size() <= kMaxMessage);
    const auto* vendor_status = find(error, "vendor_status");
    FUZZ_CHECK(vendor_status != nullptr && *vendor_status == std::to_string(status));
    for (const auto& [key, value] : error.details) {
        FUZZ_CHECK(key == "vendor" || key == "vendor_status" || key == "vendor_code" || key == "vendor_title" ||
                   key == "vendor_detail" || key == "vendor_pointer" || key == "retry_after_seconds");
        FUZZ_CHECK(!value.empty());
    }

    const auto* wait = find(error, "retry_after_seconds");
    FUZZ_CHECK((wait != nullptr) == (status == 429));
    if (wait == nullptr) return;
    const auto seconds = plain_number(*wait);
    FUZZ_CHECK(seconds >= 1 && seconds <= 86'400);
    FUZZ_CHECK(std::to_string(seconds) == *wait);
    if (!retry_after && !reset) FUZZ_CHECK(seconds == 1);
    if (retry_after) {
        const auto given = plain_number(*retry_after);
        if (given >= 1 && given <= 86'400) FUZZ_CHECK(seconds == given);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    check_dial_reply(body);

    for (const int status : {400, 401, 404, 422, 429, 500, 503}) {
        check_vendor_error(status, body, std::nullopt, std::nullopt);
    }
    const std::string_view first_line = body.substr(0, std::min<std::size_t>(body.find('\n'), 32));
    check_vendor_error(429, body, first_line, std::nullopt);
    check_vendor_error(429, body, std::nullopt, first_line);
    check_vendor_error(429, body, first_line, body);

    // Only that it never crashes or throws: its answer is checked in the unit tests.
    static_cast<void>(crossvoice::telnyx::has_error_code(body, "90018"));
    return 0;
}
