#include "telnyx/call_event_parser.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "core/time_format.hpp"
#include "telnyx/base64.hpp"
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

using core::CallEventType;
using nlohmann::json;

// Telnyx's spellings. Both machine detection flavours end the same way for us.
constexpr std::array<std::pair<std::string_view, CallEventType>, 17> kEventTypes{{
    {"call.initiated", CallEventType::kInitiated},
    {"call.answered", CallEventType::kAnswered},
    {"call.hangup", CallEventType::kHangup},
    {"call.bridged", CallEventType::kBridged},
    {"call.gather.ended", CallEventType::kGatherEnded},
    {"call.dtmf.received", CallEventType::kDtmfReceived},
    {"call.speak.started", CallEventType::kSpeakStarted},
    {"call.speak.ended", CallEventType::kSpeakEnded},
    {"call.playback.started", CallEventType::kPlaybackStarted},
    {"call.playback.ended", CallEventType::kPlaybackEnded},
    {"call.recording.saved", CallEventType::kRecordingSaved},
    {"call.machine.detection.ended", CallEventType::kMachineDetectionEnded},
    {"call.machine.premium.detection.ended", CallEventType::kMachineDetectionEnded},
    {"streaming.started", CallEventType::kStreamingStarted},
    {"streaming.stopped", CallEventType::kStreamingStopped},
    {"streaming.failed", CallEventType::kStreamingFailed},
    {"call.transcription", CallEventType::kTranscription},
}};

CallEventType map_event_type(std::string_view name) {
    for (const auto& [candidate, type] : kEventTypes) {
        if (candidate == name) return type;
    }
    if (name.starts_with("message.")) return CallEventType::kMessage;
    return CallEventType::kUnknown;
}

// Events about a call leg must say which one, or the use-case cannot route them.
bool needs_call_control_id(std::string_view name, CallEventType type) {
    return name.starts_with("call.") || type == CallEventType::kStreamingStarted ||
           type == CallEventType::kStreamingStopped || type == CallEventType::kStreamingFailed;
}

std::string join(std::string_view parent, std::string_view key) { return fmt::format("{}.{}", parent, key); }

// A party: a string on call events ("+15551234567"), {"phone_number": ...} on message events, or for `to`
// on messages an array of those, of which the first recipient is kept.
core::Result<std::optional<std::string>> party(const json& payload, std::string_view key, const std::string& path) {
    const auto it = payload.find(key);
    if (it == payload.end() || it->is_null()) return std::optional<std::string>{};
    if (it->is_string()) return std::optional<std::string>{it->get<std::string>()};
    if (it->is_object()) return optional_string(*it, "phone_number", join(path, "phone_number"));
    if (it->is_array()) {
        if (it->empty()) return std::optional<std::string>{};
        const auto& first = it->front();
        const auto first_path = path + "[0]";
        if (first.is_string()) return std::optional<std::string>{first.get<std::string>()};
        if (first.is_object()) return optional_string(first, "phone_number", join(first_path, "phone_number"));
        return wrong_type(first_path, "a string or an object", first);
    }
    return wrong_type(path, "a string, an object or an array", *it);
}

// Moves the value of a Result-returning read into `target`, or returns its error: keeps the readers flat.
#define CV_READ(target, expression)                              \
    do {                                                         \
        auto read_result = (expression);                         \
        if (!read_result) return std::move(read_result).error(); \
        (target) = std::move(read_result).value();               \
    } while (false)

core::Status read_recording(const json& payload, const std::string& path, core::CallRecording& recording) {
    // recording_urls expire after 10 minutes; public_recording_urls (when the account has them) fill in.
    const json* urls = nullptr;
    const json* public_urls = nullptr;
    CV_READ(urls, optional_object(payload, "recording_urls", join(path, "recording_urls")));
    CV_READ(public_urls, optional_object(payload, "public_recording_urls", join(path, "public_recording_urls")));
    for (const auto& [source, source_path] :
         {std::pair{urls, join(path, "recording_urls")}, std::pair{public_urls, join(path, "public_recording_urls")}}) {
        if (source == nullptr) continue;
        std::optional<std::string> mp3;
        std::optional<std::string> wav;
        CV_READ(mp3, optional_string(*source, "mp3", join(source_path, "mp3")));
        CV_READ(wav, optional_string(*source, "wav", join(source_path, "wav")));
        if (!recording.mp3_url) recording.mp3_url = std::move(mp3);
        if (!recording.wav_url) recording.wav_url = std::move(wav);
    }
    CV_READ(recording.started_at, optional_time(payload, "recording_started_at", join(path, "recording_started_at")));
    CV_READ(recording.ended_at, optional_time(payload, "recording_ended_at", join(path, "recording_ended_at")));
    CV_READ(recording.channels, optional_string(payload, "channels", join(path, "channels")));
    return {};
}

core::Status read_payload(const json& payload, const std::string& path, core::CallEvent& event) {
    const auto at = [&path](std::string_view key) { return join(path, key); };
    if (needs_call_control_id(event.event_type, event.type)) {
        CV_READ(event.call_control_id, required_string(payload, "call_control_id", at("call_control_id")));
    } else {
        std::optional<std::string> id;
        CV_READ(id, optional_string(payload, "call_control_id", at("call_control_id")));
        event.call_control_id = id.value_or("");
    }
    CV_READ(event.call_leg_id, optional_string(payload, "call_leg_id", at("call_leg_id")));
    CV_READ(event.call_session_id, optional_string(payload, "call_session_id", at("call_session_id")));
    CV_READ(event.connection_id, optional_string(payload, "connection_id", at("connection_id")));
    CV_READ(event.direction, optional_string(payload, "direction", at("direction")));
    CV_READ(event.from, party(payload, "from", at("from")));
    CV_READ(event.to, party(payload, "to", at("to")));
    CV_READ(event.hangup_cause, optional_string(payload, "hangup_cause", at("hangup_cause")));
    CV_READ(event.hangup_source, optional_string(payload, "hangup_source", at("hangup_source")));

    // call.dtmf.received carries one `digit`; call.gather.ended the collected `digits`.
    const bool dtmf = event.type == CallEventType::kDtmfReceived;
    CV_READ(event.digits, optional_string(payload, dtmf ? "digit" : "digits", at(dtmf ? "digit" : "digits")));
    // Machine detection reports its verdict as `result` (human, machine, not_sure); it lands in status.
    const bool detection = event.type == CallEventType::kMachineDetectionEnded;
    CV_READ(event.status,
            optional_string(payload, detection ? "result" : "status", at(detection ? "result" : "status")));

    std::optional<std::string> client_state;
    CV_READ(client_state, optional_string(payload, "client_state", at("client_state")));
    if (client_state) {
        auto decoded = decode_base64(*client_state);
        if (!decoded) return core::Error::validation(at("client_state"), at("client_state") + " is not valid base64");
        event.client_state = std::move(*decoded);
    }

    if (event.type == CallEventType::kRecordingSaved) {
        core::CallRecording recording;
        if (auto status = read_recording(payload, path, recording); !status) return std::move(status).error();
        event.recording = std::move(recording);
    }
    return {};
}

core::Result<std::optional<int>> read_attempt(const json& root) {
    const json* meta = nullptr;
    CV_READ(meta, optional_object(root, "meta", "meta"));
    if (meta == nullptr) return std::optional<int>{};
    const auto it = meta->find("attempt");
    if (it == meta->end() || it->is_null()) return std::optional<int>{};
    if (it->is_number_unsigned()) {
        const auto value = it->get<std::uint64_t>();
        if (value <= static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
            return std::optional<int>{static_cast<int>(value)};
        }
        return core::Error::validation("meta.attempt", "meta.attempt is out of range");
    }
    if (it->is_number_integer()) return core::Error::validation("meta.attempt", "meta.attempt must not be negative");
    return wrong_type("meta.attempt", "an integer", *it);
}

core::Result<core::CallEvent> read_event(const json& root) {
    const json* data = nullptr;
    CV_READ(data, optional_object(root, "data", "data"));
    if (data == nullptr) return missing("data");

    core::CallEvent event;
    CV_READ(event.id, required_string(*data, "id", "data.id"));
    CV_READ(event.event_type, required_string(*data, "event_type", "data.event_type"));
    event.type = map_event_type(event.event_type);

    std::optional<core::TimePoint> occurred_at;
    CV_READ(occurred_at, optional_time(*data, "occurred_at", "data.occurred_at"));
    if (!occurred_at) return missing("data.occurred_at");
    event.occurred_at = *occurred_at;

    const json* payload = nullptr;
    CV_READ(payload, optional_object(*data, "payload", "data.payload"));
    if (payload != nullptr) {
        if (auto status = read_payload(*payload, "data.payload", event); !status) return std::move(status).error();
    } else if (needs_call_control_id(event.event_type, event.type)) {
        return missing("data.payload.call_control_id");
    }

    CV_READ(event.attempt, read_attempt(root));
    return event;
}

#undef CV_READ

}  // namespace

core::Result<core::CallEvent> parse_call_event(std::string_view raw_body) {
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
    } catch (const json::exception& e) {
        // The readers check every type before reading it; this is a safety net, never a path we expect.
        return core::Error::bad_request("webhook body could not be read").with("parseError", e.what());
    }
}

}  // namespace crossvoice::telnyx
