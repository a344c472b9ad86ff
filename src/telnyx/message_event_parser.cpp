#include "telnyx/message_event_parser.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/printable.hpp"
#include "core/time_format.hpp"
#include "telnyx/json_fields.hpp"
#include "telnyx/json_type_name.hpp"

namespace crossvoice::telnyx {
namespace {

using json_fields::missing;
using json_fields::optional_object;
using json_fields::optional_string;
using json_fields::optional_time;
using json_fields::required_string;
using json_fields::wrong_type;

using core::ChannelEventKind;
using core::MessageStatus;
using nlohmann::json;

constexpr std::size_t kMaxEchoed = 100;       // of an unknown event type echoed in an error
constexpr std::size_t kMaxReasonField = 300;  // of each vendor error field in failure_reason

// Telnyx's to[].status values (vendor-apis.md D). "delivery_unconfirmed" means the carrier never confirmed:
// for the customer the message may not have arrived, so it is a failure they should be able to see.
constexpr std::array<std::pair<std::string_view, MessageStatus>, 7> kStatuses{{
    {"queued", MessageStatus::kPending},
    {"sending", MessageStatus::kPending},
    {"sent", MessageStatus::kSent},
    {"delivered", MessageStatus::kDelivered},
    {"sending_failed", MessageStatus::kFailed},
    {"delivery_failed", MessageStatus::kFailed},
    {"delivery_unconfirmed", MessageStatus::kFailed},
}};

std::optional<MessageStatus> map_status(std::string_view name) {
    for (const auto& [candidate, status] : kStatuses) {
        if (candidate == name) return status;
    }
    return std::nullopt;
}

// RFC 6901: our keys never hold '~' or '/', so joining needs no escaping.
std::string at(std::string_view parent, std::string_view key) { return fmt::format("{}/{}", parent, key); }

// Telnyx sends error codes as strings; a number written the same way is accepted (as call_control_reply does).
core::Result<std::optional<std::string>> optional_code(const json& object, std::string_view key,
                                                       const std::string& pointer) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_number_integer()) return std::optional<std::string>{it->dump()};
    return optional_string(object, key, pointer);
}

core::Result<const json*> optional_member(const json& object, std::string_view key, const std::string& pointer,
                                          bool (json::*is_kind)() const noexcept, std::string_view wanted) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!((*it).*is_kind)()) return wrong_type(pointer, wanted, *it);
    return &*it;
}

core::Result<const json*> optional_array(const json& object, std::string_view key, const std::string& pointer) {
    return optional_member(object, key, pointer, &json::is_array, "an array");
}

core::Result<const json*> required_object(const json& object, std::string_view key, const std::string& pointer) {
    auto found = optional_object(object, key, pointer);
    if (found && found.value() == nullptr) return missing(pointer);
    return found;
}

// Moves the value of a Result-returning read into `target`, or returns its error: keeps the readers flat.
#define CV_READ(target, expression)                              \
    do {                                                         \
        auto read_result = (expression);                         \
        if (!read_result) return std::move(read_result).error(); \
        (target) = std::move(read_result).value();               \
    } while (false)

// payload.to[0]: the first recipient (we send to one number; an inbound message names our number first).
core::Result<const json*> first_recipient(const json& payload, const std::string& payload_pointer) {
    const auto pointer = at(payload_pointer, "to");
    const json* to = nullptr;
    CV_READ(to, optional_array(payload, "to", pointer));
    if (to == nullptr || to->empty()) return missing(at(pointer, "0"));
    const json& first = to->front();
    if (!first.is_object()) return wrong_type(at(pointer, "0"), "an object", first);
    return &first;
}

core::Status read_received(const json& payload, const std::string& path, const std::optional<core::TimePoint>& occurred,
                           core::ChannelEvent& event) {
    event.kind = ChannelEventKind::kMessage;
    const json* from = nullptr;
    CV_READ(from, required_object(payload, "from", at(path, "from")));
    CV_READ(event.contact, required_string(*from, "phone_number", at(at(path, "from"), "phone_number")));
    const json* recipient = nullptr;
    CV_READ(recipient, first_recipient(payload, path));
    CV_READ(event.our_identity, required_string(*recipient, "phone_number", at(path, "to/0/phone_number")));

    std::optional<std::string> text;
    CV_READ(text, optional_string(payload, "text", at(path, "text")));
    event.text = text.value_or("");

    const json* media = nullptr;
    CV_READ(media, optional_array(payload, "media", at(path, "media")));
    if (media != nullptr) {
        for (std::size_t i = 0; i < media->size(); ++i) {
            const auto item_pointer = at(at(path, "media"), std::to_string(i));
            const json& item = (*media)[i];
            if (!item.is_object()) return wrong_type(item_pointer, "an object", item);
            std::string url;
            CV_READ(url, required_string(item, "url", at(item_pointer, "url")));
            event.media_urls.push_back(std::move(url));
        }
    }

    std::optional<core::TimePoint> received_at;
    CV_READ(received_at, optional_time(payload, "received_at", at(path, "received_at")));
    if (!received_at && !occurred) return missing("/data/occurred_at");
    event.occurred_at = received_at ? *received_at : *occurred;
    return {};
}

// "<status>[: <code>][: <title>][: <detail>]" from payload.errors[0], each part printable and bounded.
core::Result<std::string> failure_reason(const json& payload, const std::string& path, const std::string& status) {
    std::string reason = status;
    const auto errors_pointer = at(path, "errors");
    const json* errors = nullptr;
    CV_READ(errors, optional_array(payload, "errors", errors_pointer));
    if (errors == nullptr || errors->empty()) return reason;
    const auto first_pointer = at(errors_pointer, "0");
    const json& first = errors->front();
    if (!first.is_object()) return wrong_type(first_pointer, "an object", first);
    std::optional<std::string> parts[3];
    CV_READ(parts[0], optional_code(first, "code", at(first_pointer, "code")));
    CV_READ(parts[1], optional_string(first, "title", at(first_pointer, "title")));
    CV_READ(parts[2], optional_string(first, "detail", at(first_pointer, "detail")));
    for (const auto& part : parts) {
        if (!part) continue;
        auto cleaned = core::printable(*part, kMaxReasonField);
        if (!cleaned.empty()) reason += ": " + cleaned;
    }
    return reason;
}

core::Status read_delivery(const json& payload, const std::string& path, const std::optional<core::TimePoint>& occurred,
                           core::ChannelEvent& event) {
    event.kind = ChannelEventKind::kDelivery;
    if (!occurred) return missing("/data/occurred_at");
    event.occurred_at = *occurred;

    const json* recipient = nullptr;
    CV_READ(recipient, first_recipient(payload, path));
    CV_READ(event.contact, required_string(*recipient, "phone_number", at(path, "to/0/phone_number")));
    const auto status_pointer = at(path, "to/0/status");
    std::string status_name;
    CV_READ(status_name, required_string(*recipient, "status", status_pointer));
    const auto status = map_status(status_name);
    if (!status) {
        return core::Error::validation(status_pointer, fmt::format("{} is not a Telnyx message status", status_pointer))
            .with("status", core::printable(status_name, kMaxEchoed));
    }
    event.status = status;
    if (*status == MessageStatus::kFailed) CV_READ(event.failure_reason, failure_reason(payload, path, status_name));

    // Our own number, informational on a delivery report: a report is not refused over it, unless it is malformed.
    const json* from = nullptr;
    CV_READ(from, optional_object(payload, "from", at(path, "from")));
    if (from != nullptr) {
        std::optional<std::string> ours;
        CV_READ(ours, optional_string(*from, "phone_number", at(at(path, "from"), "phone_number")));
        event.our_identity = ours.value_or("");
    }
    return {};
}

core::Result<core::ChannelEvent> read_event(const json& root) {
    const json* data = nullptr;
    CV_READ(data, required_object(root, "data", "/data"));

    core::ChannelEvent event;
    event.vendor = "telnyx";
    event.channel = core::Channel::kSms;
    event.vendor_channel = "sms";
    std::string id;
    CV_READ(id, required_string(*data, "id", "/data/id"));
    event.event_id = "telnyx:" + id;

    std::string event_type;
    CV_READ(event_type, required_string(*data, "event_type", "/data/event_type"));
    const bool received = event_type == "message.received";
    if (!received && event_type != "message.sent" && event_type != "message.finalized") {
        return core::Error::validation("/data/event_type", "/data/event_type is not a Telnyx message event we read")
            .with("event_type", core::printable(event_type, kMaxEchoed));
    }

    std::optional<core::TimePoint> occurred_at;
    CV_READ(occurred_at, optional_time(*data, "occurred_at", "/data/occurred_at"));

    const std::string path = "/data/payload";
    const json* payload = nullptr;
    CV_READ(payload, required_object(*data, "payload", path));
    CV_READ(event.vendor_message_id, required_string(*payload, "id", at(path, "id")));

    auto status = received ? read_received(*payload, path, occurred_at, event)
                           : read_delivery(*payload, path, occurred_at, event);
    if (!status) return std::move(status).error();
    return event;
}

#undef CV_READ

}  // namespace

core::Result<core::ChannelEvent> parse_message_event(std::string_view raw_body) {
    json root;
    try {
        root = json::parse(raw_body.begin(), raw_body.end());
    } catch (const json::exception& e) {
        // parse_error, and out_of_range for a number beyond a double ({"a":1e400}).
        return core::Error::bad_request("webhook body is not valid JSON").with("parseError", e.what());
    }
    if (!root.is_object()) {
        return core::Error::bad_request(
            fmt::format("webhook body must be a JSON object, not {}", json_type_name(root)));
    }
    try {
        return read_event(root);
    } catch (const std::exception& e) {
        // The readers check every type before reading it; this is a safety net (json, bad_alloc), never a path
        // we expect.
        return core::Error::bad_request("webhook body could not be read").with("parseError", e.what());
    }
}

}  // namespace crossvoice::telnyx
