#include "telnyx/call_control_reply.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/printable.hpp"

namespace crossvoice::telnyx {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxExcerpt = 200;  // of a body that is not Telnyx's error shape
constexpr std::size_t kMaxField = 300;    // of a title, detail, code or pointer
constexpr std::int64_t kMinRetrySeconds = 1;
constexpr std::int64_t kMaxRetrySeconds = 86'400;

core::Error vendor(std::string message) {
    return core::Error{core::ErrorCode::kVendor, std::move(message), {{"vendor", "telnyx"}}};
}

// Never throws: a body that is not JSON is a discarded value.
json parse(std::string_view body) { return json::parse(body.begin(), body.end(), nullptr, false); }

// A member that Telnyx sends as a string; numbers are accepted too (some gateways send codes as numbers).
std::optional<std::string> text_member(const json& object, std::string_view key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return it->dump();
    return std::nullopt;
}

const json* errors_array(const json& document) {
    if (!document.is_object()) return nullptr;
    const auto it = document.find("errors");
    if (it == document.end() || !it->is_array()) return nullptr;
    return &*it;
}

struct Fault {
    std::optional<std::string> code;
    std::optional<std::string> title;
    std::optional<std::string> detail;
    std::optional<std::string> pointer;
};

std::optional<Fault> first_fault(const json& document) {
    const json* errors = errors_array(document);
    if (errors == nullptr || errors->empty() || !errors->front().is_object()) return std::nullopt;
    const json& entry = errors->front();
    Fault fault;
    const auto clean = [](std::optional<std::string> value) -> std::optional<std::string> {
        if (!value) return std::nullopt;
        auto cleaned = core::printable(*value, kMaxField);
        if (cleaned.empty()) return std::nullopt;
        return cleaned;
    };
    fault.code = clean(text_member(entry, "code"));
    fault.title = clean(text_member(entry, "title"));
    fault.detail = clean(text_member(entry, "detail"));
    const auto source = entry.find("source");
    if (source != entry.end()) fault.pointer = clean(text_member(*source, "pointer"));
    if (!fault.code && !fault.title && !fault.detail && !fault.pointer) return std::nullopt;
    return fault;
}

// Delta-seconds as Retry-After and x-ratelimit-reset carry them ("3", " 2 ", "1.5"), rounded up and clamped.
// An HTTP-date or anything else is nullopt: without a clock a date cannot become a wait.
std::optional<std::int64_t> wait_seconds(std::optional<std::string_view> header) {
    if (!header) return std::nullopt;
    std::string_view text = *header;
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    const auto is_digit = [](char ch) { return ch >= '0' && ch <= '9'; };
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() || !std::all_of(whole.begin(), whole.end(), is_digit) ||
        !std::all_of(fraction.begin(), fraction.end(), is_digit)) {
        return std::nullopt;
    }
    std::int64_t seconds = kMaxRetrySeconds;
    // Longer than any sane wait, or too long for int64: the clamp decides, not the parser.
    if (whole.size() <= 9) {
        static_cast<void>(std::from_chars(whole.data(), whole.data() + whole.size(), seconds));
        if (std::any_of(fraction.begin(), fraction.end(), [](char ch) { return ch != '0'; })) ++seconds;
    }
    return std::clamp(seconds, kMinRetrySeconds, kMaxRetrySeconds);
}

}  // namespace

core::Result<core::ports::DialedCall> parse_dial_reply(std::string_view body) {
    const json document = parse(body);
    if (document.is_discarded()) {
        auto error = vendor("Telnyx dial reply is not JSON");
        const auto excerpt = core::printable(body, kMaxExcerpt);
        if (!excerpt.empty()) error = std::move(error).with("vendor_detail", excerpt);
        return error;
    }
    const json* data = nullptr;
    if (document.is_object()) {
        const auto it = document.find("data");
        if (it != document.end() && it->is_object()) data = &*it;
    }
    if (data == nullptr) return vendor("Telnyx dial reply has no data object").with("field", "data");

    const auto call_control_id = data->find("call_control_id");
    if (call_control_id == data->end() || !call_control_id->is_string() ||
        call_control_id->get_ref<const std::string&>().empty()) {
        return vendor("Telnyx dial reply has no data.call_control_id").with("field", "data.call_control_id");
    }
    core::ports::DialedCall call;
    call.call_control_id = call_control_id->get<std::string>();
    for (auto [key, target] :
         {std::pair{"call_leg_id", &call.call_leg_id}, std::pair{"call_session_id", &call.call_session_id}}) {
        const auto it = data->find(key);
        if (it != data->end() && it->is_string()) *target = it->get<std::string>();
    }
    return call;
}

core::Error vendor_error(int status, std::string_view body, std::optional<std::string_view> retry_after_header,
                         std::optional<std::string_view> ratelimit_reset_header) {
    const auto fault = first_fault(parse(body));

    std::string message = fmt::format("Telnyx {}", status);
    std::vector<std::pair<std::string, std::string>> found;
    if (fault) {
        if (fault->title) message += ": " + *fault->title;
        if (fault->detail) message += ": " + *fault->detail;
        if (fault->code) found.emplace_back("vendor_code", *fault->code);
        if (fault->title) found.emplace_back("vendor_title", *fault->title);
        if (fault->detail) found.emplace_back("vendor_detail", *fault->detail);
        if (fault->pointer) found.emplace_back("vendor_pointer", *fault->pointer);
    } else {
        auto excerpt = core::printable(body, kMaxExcerpt);
        if (!excerpt.empty()) {
            message += ": " + excerpt;
            found.emplace_back("vendor_detail", std::move(excerpt));
        }
    }

    auto error = vendor(std::move(message)).with("vendor_status", std::to_string(status));
    for (auto& [key, value] : found) error = std::move(error).with(std::move(key), std::move(value));
    if (status == 429) {
        auto seconds = wait_seconds(retry_after_header);
        if (!seconds) seconds = wait_seconds(ratelimit_reset_header);
        error = std::move(error).with("retry_after_seconds", std::to_string(seconds.value_or(kMinRetrySeconds)));
    }
    return error;
}

bool has_error_code(std::string_view body, std::string_view code) {
    const json document = parse(body);
    const json* errors = errors_array(document);
    if (errors == nullptr) return false;
    return std::any_of(errors->begin(), errors->end(),
                       [&](const json& entry) { return text_member(entry, "code") == code; });
}

}  // namespace crossvoice::telnyx
