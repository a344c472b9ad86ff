#include "sinch/callback_parser.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

#include "core/printable.hpp"
#include "core/time_format.hpp"

namespace crossvoice::sinch {
namespace {

using core::ChannelEvent;
using core::ChannelEventKind;
using core::MessageStatus;
using nlohmann::json;

constexpr std::size_t kMaxReasonPart = 300;  // of a failure reason's code and description
constexpr std::size_t kMaxKeyEchoed = 40;    // of one unknown trigger key named in an error
constexpr std::size_t kMaxKeysEchoed = 5;

// The keys every callback shares (vendor-apis.md G); anything else at the top level names a trigger.
constexpr std::array<std::string_view, 6> kEnvelopeKeys{"app_id",     "project_id",       "accepted_time",
                                                        "event_time", "message_metadata", "correlation_id"};

constexpr std::array<std::pair<std::string_view, MessageStatus>, 5> kStatuses{{
    {"QUEUED_ON_CHANNEL", MessageStatus::kSent},
    {"DELIVERED", MessageStatus::kDelivered},
    {"READ", MessageStatus::kRead},
    {"FAILED", MessageStatus::kFailed},
    // Sinch gave up on one channel and tries the next one in channel_priority_order: not sent yet.
    {"SWITCHING_CHANNEL", MessageStatus::kPending},
}};

std::string_view type_name(const json& value) {
    if (value.is_null()) return "null";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number()) return "a number";
    if (value.is_string()) return "a string";
    if (value.is_array()) return "an array";
    if (value.is_binary()) return "binary";
    return "an object";
}

// RFC 6901: our keys never hold '~' or '/', so joining needs no escaping.
std::string at(std::string_view parent, std::string_view key) { return fmt::format("{}/{}", parent, key); }

core::Error invalid(const std::string& pointer, std::string_view problem) {
    return core::Error::validation(pointer, fmt::format("Sinch callback: {} {}", pointer, problem));
}

core::Error missing(const std::string& pointer) { return invalid(pointer, "is required"); }

core::Error wrong_type(const std::string& pointer, std::string_view wanted, const json& got) {
    return invalid(pointer, fmt::format("must be {}, not {}", wanted, type_name(got)));
}

// Absent or null: nullopt. A string: its value (possibly empty). Anything else names the field.
core::Result<std::optional<std::string>> optional_string(const json& object, std::string_view key,
                                                         const std::string& pointer) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return wrong_type(pointer, "a string", *it);
    return std::optional<std::string>{it->get<std::string>()};
}

// Like optional_string, but an empty string counts as absent: Sinch sends "" for ids it does not have.
core::Result<std::optional<std::string>> optional_text(const json& object, std::string_view key,
                                                       const std::string& pointer) {
    auto value = optional_string(object, key, pointer);
    if (value && value.value() && value.value()->empty()) return std::optional<std::string>{};
    return value;
}

core::Result<std::string> required_text(const json& object, std::string_view key, const std::string& pointer) {
    auto value = optional_text(object, key, pointer);
    if (!value) return std::move(value).error();
    if (!value.value()) return missing(pointer);
    return std::move(*value.value());
}

core::Result<const json*> optional_object(const json& object, std::string_view key, const std::string& pointer) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_object()) return wrong_type(pointer, "an object", *it);
    return &*it;
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

core::Channel channel_of(std::string_view vendor_channel) {
    if (vendor_channel == "WHATSAPP") return core::Channel::kWhatsapp;
    if (vendor_channel == "SMS" || vendor_channel == "MMS") return core::Channel::kSms;
    return core::Channel::kChat;  // MESSENGER, INSTAGRAM, TELEGRAM, VIBERBM, RCS, …: a contact on an app
}

core::Status read_identity(const json& identity, const std::string& pointer, ChannelEvent& event) {
    CV_READ(event.vendor_channel, required_text(identity, "channel", at(pointer, "channel")));
    CV_READ(event.contact, required_text(identity, "identity", at(pointer, "identity")));
    event.channel = channel_of(event.vendor_channel);
    return {};
}

// channel_identity (required or not), contact_id and conversation_id of a trigger's object.
core::Status read_party(const json& object, const std::string& pointer, bool identity_required, ChannelEvent& event) {
    const json* identity = nullptr;
    const auto identity_pointer = at(pointer, "channel_identity");
    CV_READ(identity, identity_required ? required_object(object, "channel_identity", identity_pointer)
                                        : optional_object(object, "channel_identity", identity_pointer));
    if (identity != nullptr) {
        if (auto read = read_identity(*identity, identity_pointer, event); !read) return read;
    }
    CV_READ(event.contact_id, optional_text(object, "contact_id", at(pointer, "contact_id")));
    CV_READ(event.conversation_id, optional_text(object, "conversation_id", at(pointer, "conversation_id")));
    return {};
}

core::Status read_inbound(const json& message, ChannelEvent& event) {
    const std::string pointer = "/message";
    event.kind = ChannelEventKind::kMessage;
    CV_READ(event.vendor_message_id, required_text(message, "id", at(pointer, "id")));
    std::optional<std::string> direction;
    CV_READ(direction, optional_text(message, "direction", at(pointer, "direction")));
    // TO_CONTACT would be one of our own messages echoed back: never a customer's words.
    if (direction && *direction != "TO_APP") return invalid(at(pointer, "direction"), "must be TO_APP");
    if (auto read = read_party(message, pointer, /*identity_required=*/true, event); !read) return read;

    const auto said_pointer = at(pointer, "contact_message");
    const json* said = nullptr;
    CV_READ(said, required_object(message, "contact_message", said_pointer));
    const json* text_message = nullptr;
    CV_READ(text_message, optional_object(*said, "text_message", at(said_pointer, "text_message")));
    if (text_message != nullptr) {
        CV_READ(event.text, required_text(*text_message, "text", at(said_pointer, "text_message/text")));
    } else {
        const json* media = nullptr;
        CV_READ(media, optional_object(*said, "media_message", at(said_pointer, "media_message")));
        // Locations, choices, replies to products…: nothing we can put on a timeline yet.
        if (media == nullptr) return invalid(said_pointer, "must hold a text_message or a media_message");
        std::string url;
        CV_READ(url, required_text(*media, "url", at(said_pointer, "media_message/url")));
        event.media_urls.push_back(std::move(url));
    }
    event.event_id = "sinch:msg:" + event.vendor_message_id;
    return {};
}

core::Result<std::string> failure_reason(const json& report, const std::string& pointer) {
    const json* reason = nullptr;
    CV_READ(reason, optional_object(report, "reason", at(pointer, "reason")));
    if (reason == nullptr) return std::string("FAILED");
    std::optional<std::string> code;
    std::optional<std::string> description;
    CV_READ(code, optional_text(*reason, "code", at(pointer, "reason/code")));
    CV_READ(description, optional_text(*reason, "description", at(pointer, "reason/description")));
    std::string text = core::printable(code.value_or("UNKNOWN"), kMaxReasonPart);
    if (description) {
        auto cleaned = core::printable(*description, kMaxReasonPart);
        if (!cleaned.empty()) text += ": " + cleaned;
    }
    return text;
}

core::Status read_delivery(const json& root, const json& report, ChannelEvent& event) {
    const std::string pointer = "/message_delivery_report";
    event.kind = ChannelEventKind::kDelivery;
    CV_READ(event.vendor_message_id, required_text(report, "message_id", at(pointer, "message_id")));
    std::string status;
    CV_READ(status, required_text(report, "status", at(pointer, "status")));
    for (const auto& [name, ours] : kStatuses) {
        if (name == status) event.status = ours;
    }
    if (!event.status) {
        return invalid(at(pointer, "status"),
                       "must be QUEUED_ON_CHANNEL, DELIVERED, READ, FAILED or SWITCHING_CHANNEL");
    }
    if (auto read = read_party(report, pointer, /*identity_required=*/false, event); !read) return read;
    if (*event.status == MessageStatus::kFailed) CV_READ(event.failure_reason, failure_reason(report, pointer));

    // We send our message id as correlation_id, which Sinch echoes; message_metadata is the other field a sender's
    // reference comes back in, so it is taken when correlation_id is absent.
    CV_READ(event.correlation_id, optional_text(root, "correlation_id", "/correlation_id"));
    if (!event.correlation_id) {
        // message_metadata may be any JSON in newer callbacks; only a string can be our id.
        const auto metadata = root.find("message_metadata");
        if (metadata != root.end() && metadata->is_string() && !metadata->get_ref<const std::string&>().empty()) {
            event.correlation_id = metadata->get<std::string>();
        }
    }
    event.event_id = fmt::format("sinch:dlr:{}:{}", event.vendor_message_id, status);
    return {};
}

core::Error other_trigger(std::string trigger, std::string message) {
    return core::Error{core::ErrorCode::kValidation, std::move(message), {{"trigger", std::move(trigger)}}};
}

core::Status read_typing(const json& root, const json& inbound, ChannelEvent& event) {
    const std::string pointer = "/event";
    event.kind = ChannelEventKind::kTyping;
    const json* contact_event = nullptr;
    CV_READ(contact_event, required_object(inbound, "contact_event", at(pointer, "contact_event")));
    const json* composing = nullptr;
    CV_READ(composing,
            optional_object(*contact_event, "composing_event", at(pointer, "contact_event/composing_event")));
    if (composing == nullptr) {
        // Comment replies, composing_end and the like: real callbacks, just not ones we act on.
        return other_trigger("EVENT_INBOUND", "Sinch callback: an EVENT_INBOUND other than composing_event");
    }
    if (auto read = read_party(inbound, pointer, /*identity_required=*/true, event); !read) return read;

    std::optional<std::string> id;
    CV_READ(id, optional_text(inbound, "id", at(pointer, "id")));
    if (id) {
        event.event_id = "sinch:evt:" + *id;
    } else {
        // No id: who is typing and when is unique enough, and a redelivery repeats both.
        std::optional<std::string> when;
        CV_READ(when, optional_text(root, "event_time", "/event_time"));
        if (!when) CV_READ(when, optional_text(root, "accepted_time", "/accepted_time"));
        event.event_id = fmt::format("sinch:evt:{}:{}", event.contact_id.value_or(event.contact), when.value_or(""));
    }
    return {};
}

core::Status read_time(const json& root, ChannelEvent& event) {
    for (const std::string_view key : {"event_time", "accepted_time"}) {
        const auto pointer = at("", key);
        std::optional<std::string> text;
        CV_READ(text, optional_text(root, key, pointer));
        if (!text) continue;
        const auto parsed = core::parse_rfc3339(*text);
        if (!parsed) return invalid(pointer, "must be an RFC 3339 date-time like 2026-11-24T09:30:00.123Z");
        event.occurred_at = *parsed;
        return {};
    }
    return missing("/event_time");
}

// The top-level keys that are not the shared envelope, for an error about a trigger we do not read.
std::string trigger_keys(const json& root) {
    std::string keys;
    std::size_t named = 0;
    for (const auto& [key, value] : root.items()) {
        static_cast<void>(value);
        if (std::find(kEnvelopeKeys.begin(), kEnvelopeKeys.end(), key) != kEnvelopeKeys.end()) continue;
        if (named == kMaxKeysEchoed) {
            keys += ", ...";
            break;
        }
        if (named++ > 0) keys += ", ";
        keys += core::printable(key, kMaxKeyEchoed);
    }
    return keys.empty() ? "none" : keys;
}

}  // namespace

core::Result<ChannelEvent> parse_callback(std::string_view body) {
    const json root = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded() || !root.is_object()) {
        return core::Error::bad_request("Sinch callback: the body is not a JSON object");
    }
    ChannelEvent event;
    event.vendor = "sinch";
    const json* inbound = nullptr;
    const json* report = nullptr;
    const json* contact_event = nullptr;
    CV_READ(inbound, optional_object(root, "message", "/message"));
    CV_READ(report, optional_object(root, "message_delivery_report", "/message_delivery_report"));
    CV_READ(contact_event, optional_object(root, "event", "/event"));
    if (inbound != nullptr) {
        if (auto read = read_inbound(*inbound, event); !read) return std::move(read).error();
    } else if (report != nullptr) {
        if (auto read = read_delivery(root, *report, event); !read) return std::move(read).error();
    } else if (contact_event != nullptr) {
        if (auto read = read_typing(root, *contact_event, event); !read) return std::move(read).error();
    } else {
        auto keys = trigger_keys(root);
        return other_trigger(keys, "Sinch callback of a trigger crossvoice does not read (" + keys + ")");
    }
    std::optional<std::string> app_id;
    CV_READ(app_id, optional_string(root, "app_id", "/app_id"));
    event.our_identity = app_id.value_or("");
    if (auto timed = read_time(root, event); !timed) return std::move(timed).error();
    return event;
}

}  // namespace crossvoice::sinch
