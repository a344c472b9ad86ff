// Identifier, phone number and channel validation, which see ids and fields straight from requests.
// Input: two 6-byte timestamps and two 10-byte entropies for make_id, then free text.
// Properties: every made id is valid for its prefix and only its prefix; ids sort by timestamp first and
// entropy second; is_valid_id, is_e164 and parse_channel agree with independent reference checks.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/e164.hpp"
#include "core/ids.hpp"
#include "core/session.hpp"
#include "fuzz_check.hpp"

namespace {

namespace core = crossvoice::core;

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kFixedBytes = 2 * (6 + 10);

// 48 bits of milliseconds: the whole range make_id encodes.
core::TimePoint timestamp(const uint8_t* bytes) {
    std::int64_t ms = 0;
    for (int i = 0; i < 6; ++i) ms = (ms << 8) | bytes[i];
    return core::from_unix_ms(ms);
}

core::IdEntropy entropy(const uint8_t* bytes) {
    core::IdEntropy out{};
    std::memcpy(out.data(), bytes, out.size());
    return out;
}

bool reference_valid_id(std::string_view prefix, std::string_view id) {
    if (id.size() != prefix.size() + 27 || id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') {
        return false;
    }
    const auto body = id.substr(prefix.size() + 1);
    if (kCrockford.find(body[0]) > 7) return false;  // the first character carries the top 3 bits only
    return std::all_of(body.begin(), body.end(), [](char ch) { return kCrockford.find(ch) != std::string_view::npos; });
}

bool reference_e164(std::string_view number) {
    if (number.empty() || number[0] != '+') return false;
    const auto digits = number.substr(1);
    if (digits.size() < 2 || digits.size() > 15 || digits[0] == '0') return false;
    return std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

void check_ids(const uint8_t* data) {
    const auto t1 = timestamp(data);
    const auto e1 = entropy(data + 6);
    const auto t2 = timestamp(data + 16);
    const auto e2 = entropy(data + 22);

    const auto id1 = core::make_id(core::kSessionIdPrefix, t1, e1);
    const auto id2 = core::make_id(core::kSessionIdPrefix, t2, e2);
    FUZZ_CHECK(core::is_valid_id(core::kSessionIdPrefix, id1));
    FUZZ_CHECK(core::is_valid_id(core::kSessionIdPrefix, id2));
    FUZZ_CHECK(!core::is_valid_id("se", id1) && !core::is_valid_id("sess", id1) && !core::is_valid_id("key", id1));
    FUZZ_CHECK(core::make_id(core::kSessionIdPrefix, t1, e1) == id1);  // deterministic

    if (t1 != t2) FUZZ_CHECK((t1 < t2) == (id1 < id2));
    if (t1 == t2) FUZZ_CHECK((e1 < e2) == (id1 < id2) && (e1 == e2) == (id1 == id2));

    const auto other = core::make_id("call", t1, e1);
    FUZZ_CHECK(core::is_valid_id("call", other) && !core::is_valid_id(core::kSessionIdPrefix, other));
    FUZZ_CHECK(other.substr(5) == id1.substr(4));
}

void check_text(std::string_view text) {
    FUZZ_CHECK(core::is_valid_id(core::kSessionIdPrefix, text) == reference_valid_id(core::kSessionIdPrefix, text));
    FUZZ_CHECK(core::is_valid_id("", text) == reference_valid_id("", text));
    FUZZ_CHECK(core::is_e164(text) == reference_e164(text));
    if (const auto channel = core::parse_channel(text)) {
        FUZZ_CHECK(core::to_string(*channel) == text);
    } else {
        for (const auto name : {"voice", "chat", "sms", "whatsapp"}) FUZZ_CHECK(text != name);
    }
    if (const auto status = core::parse_session_status(text)) FUZZ_CHECK(core::to_string(*status) == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size >= kFixedBytes) {
        check_ids(data);
        check_text(std::string_view(reinterpret_cast<const char*>(data + kFixedBytes), size - kFixedBytes));
    }
    check_text(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
