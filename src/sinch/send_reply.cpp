#include "sinch/send_reply.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>

#include "core/printable.hpp"

namespace crossvoice::sinch {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxField = 300;    // of a vendor message, status or code
constexpr std::size_t kMaxExcerpt = 200;  // of a body that is not Sinch's error shape
constexpr std::int64_t kMinRetrySeconds = 1;
constexpr std::int64_t kMaxRetrySeconds = 86'400;

core::Error sinch_error(core::ErrorCode code, std::string message) {
    return core::Error{code, std::move(message), {{"vendor", "sinch"}, {"action", "messages:send"}}};
}

json parse(std::string_view body) { return json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false); }

// A member Sinch sends as a string or an integer ("code": 400), printable and bounded; nullopt when absent or empty.
std::optional<std::string> text_member(const json& object, std::string_view key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    std::string text;
    if (it->is_string()) {
        text = core::printable(it->get_ref<const std::string&>(), kMaxField);
    } else if (it->is_number_integer()) {
        text = it->dump();
    }
    if (text.empty()) return std::nullopt;
    return text;
}

// google.rpc.BadRequest in error.details: {"@type":"…BadRequest","field_violations":[{"field","description"}]}
// (proto3 JSON may spell it fieldViolations). The first violation's field, when there is one.
std::optional<std::string> violated_field(const json& error) {
    const auto details = error.find("details");
    if (details == error.end() || !details->is_array()) return std::nullopt;
    for (const json& detail : *details) {
        if (!detail.is_object()) continue;
        for (const char* key : {"field_violations", "fieldViolations"}) {
            const auto violations = detail.find(key);
            if (violations == detail.end() || !violations->is_array() || violations->empty()) continue;
            if (auto field = text_member(violations->front(), "field")) return field;
        }
    }
    return std::nullopt;
}

// Delta-seconds only ("3", " 2 "); an HTTP-date or anything else is nullopt (no clock here to subtract from).
std::optional<std::int64_t> wait_seconds(std::optional<std::string_view> header) {
    if (!header) return std::nullopt;
    std::string_view text = *header;
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        return std::nullopt;
    }
    std::int64_t seconds = kMaxRetrySeconds;  // too long for int64: the clamp decides
    if (text.size() <= 9) static_cast<void>(std::from_chars(text.data(), text.data() + text.size(), seconds));
    return std::clamp(seconds, kMinRetrySeconds, kMaxRetrySeconds);
}

}  // namespace

core::Result<std::string> parse_send_reply(const core::ports::HttpResponse& response) {
    const json body = parse(response.body);
    const auto id = body.is_object() ? body.find("message_id") : body.end();
    if (!body.is_object() || id == body.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
        auto error = sinch_error(core::ErrorCode::kVendor, "Sinch accepted the message but named no message_id")
                         .with("field", "message_id")
                         .with("vendor_status", std::to_string(response.status));
        auto excerpt = core::printable(response.body, kMaxExcerpt);
        if (!excerpt.empty()) error = std::move(error).with("vendor_detail", std::move(excerpt));
        return error;
    }
    return id->get<std::string>();
}

core::Error send_refusal(const core::ports::HttpResponse& response) {
    auto code = core::ErrorCode::kVendor;
    if (response.status == 400) code = core::ErrorCode::kValidation;
    if (response.status == 429) code = core::ErrorCode::kRateLimited;

    const json body = parse(response.body);
    const json* error = nullptr;
    if (body.is_object()) {
        const auto it = body.find("error");
        if (it != body.end() && it->is_object()) error = &*it;
    }
    std::string message = fmt::format("Sinch {}", response.status);
    std::vector<std::pair<std::string, std::string>> found;
    std::optional<std::string> field;
    if (error != nullptr) {
        const auto vendor_code = text_member(*error, "code");
        const auto vendor_error = text_member(*error, "status");
        const auto vendor_message = text_member(*error, "message");
        if (vendor_error) message += ": " + *vendor_error;
        if (vendor_message) message += ": " + *vendor_message;
        if (vendor_code) found.emplace_back("vendor_code", *vendor_code);
        if (vendor_error) found.emplace_back("vendor_error", *vendor_error);
        if (vendor_message) found.emplace_back("vendor_message", *vendor_message);
        field = violated_field(*error);
    } else {
        auto excerpt = core::printable(response.body, kMaxExcerpt);
        if (!excerpt.empty()) {
            message += ": " + excerpt;
            found.emplace_back("vendor_detail", std::move(excerpt));
        }
    }

    auto refused = sinch_error(code, std::move(message)).with("vendor_status", std::to_string(response.status));
    for (auto& [key, value] : found) refused = std::move(refused).with(std::move(key), std::move(value));
    if (code == core::ErrorCode::kValidation) refused = std::move(refused).with("field", field.value_or("message"));
    if (code == core::ErrorCode::kRateLimited) {
        const auto seconds = wait_seconds(response.header("retry-after")).value_or(kMinRetrySeconds);
        refused = std::move(refused).with("retry_after_seconds", std::to_string(seconds));
    }
    return refused;
}

}  // namespace crossvoice::sinch
