#include "sandbox/dial_request.hpp"

#include "sandbox/request_fields.hpp"

namespace crossvoice::sandbox {

std::optional<TelnyxError> read_dial_request(const nlohmann::json& body, DialRequest& out) {
    std::optional<std::string> record;
    std::optional<std::string> record_channels;
    std::optional<std::string> ignored;
    std::optional<int> ignored_number;
    std::optional<bool> ignored_flag;
    RequestFields fields(body);
    fields.required_text("connection_id", out.connection_id)
        .phone("to", true, out.to)
        .phone("from", false, out.from)
        .integer("timeout_secs", 5, 600, out.timeout_secs)
        .integer("time_limit_secs", 1, 14400, out.time_limit_secs)
        .text("webhook_url", out.webhook_url)
        .one_of("webhook_url_method", {"POST", "GET"}, ignored)
        .base64("client_state", out.client_state)
        .text("command_id", out.command_id)
        .one_of("answering_machine_detection",
                {"premium", "detect", "detect_beep", "detect_words", "greeting_end", "disabled"},
                out.answering_machine_detection)
        .text("stream_url", out.stream_url)
        .one_of("stream_track", {"inbound_track", "outbound_track", "both_tracks"}, ignored)
        .one_of("stream_bidirectional_mode", {"mp3", "rtp"}, ignored)
        // A string, not a bool: `"record": true` is a classic mistake that real Telnyx refuses too.
        .one_of("record", {"record-from-answer"}, record)
        .one_of("record_channels", {"single", "dual"}, record_channels)
        .one_of("record_format", {"wav", "mp3"}, ignored)
        .integer("record_max_length", 0, 14400, ignored_number)
        .boolean("transcription", ignored_flag);
    if (!fields.ok()) return fields.error();
    if (out.webhook_url && out.webhook_url->empty()) out.webhook_url.reset();
    out.record = record.has_value();
    if (record_channels) out.record_channels = *record_channels;
    return std::nullopt;
}

}  // namespace crossvoice::sandbox
