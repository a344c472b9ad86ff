#include "sandbox/command_request.hpp"

#include <array>
#include <utility>

#include "sandbox/request_fields.hpp"

namespace crossvoice::sandbox {
namespace {

constexpr std::array<std::pair<std::string_view, Action>, 18> kActions{{
    {"answer", Action::kAnswer},
    {"hangup", Action::kHangup},
    {"reject", Action::kReject},
    {"speak", Action::kSpeak},
    {"playback_start", Action::kPlaybackStart},
    {"playback_stop", Action::kPlaybackStop},
    {"gather", Action::kGather},
    {"gather_using_speak", Action::kGatherUsingSpeak},
    {"gather_using_audio", Action::kGatherUsingAudio},
    {"transfer", Action::kTransfer},
    {"bridge", Action::kBridge},
    {"record_start", Action::kRecordStart},
    {"record_stop", Action::kRecordStop},
    {"streaming_start", Action::kStreamingStart},
    {"streaming_stop", Action::kStreamingStop},
    {"send_dtmf", Action::kSendDtmf},
    {"transcription_start", Action::kTranscriptionStart},
    {"transcription_stop", Action::kTranscriptionStop},
}};

constexpr std::string_view kDtmf = "0123456789*#ABCD";
constexpr std::size_t kMaxSpeakCharacters = 3000;

void read_gather(RequestFields& fields, GatherSettings& gather) {
    std::optional<int> minimum;
    std::optional<int> maximum;
    std::optional<int> timeout;
    std::optional<int> inter_digit;
    std::optional<std::string> terminating;
    std::optional<std::string> valid;
    fields.integer("minimum_digits", 1, 128, minimum)
        .integer("maximum_digits", 1, 128, maximum)
        .integer("timeout_millis", 1, 600'000, timeout)
        .integer("inter_digit_timeout_millis", 1, 120'000, inter_digit)
        .digits("terminating_digit", kDtmf, terminating)
        .digits("valid_digits", kDtmf, valid)
        .fail_if(terminating && terminating->size() != 1,
                 invalid_parameter("/terminating_digit", "'terminating_digit' must be a single DTMF digit."))
        .fail_if(minimum && maximum && *minimum > *maximum,
                 invalid_parameter("/minimum_digits", "'minimum_digits' must not exceed 'maximum_digits'."));
    if (minimum) gather.minimum_digits = *minimum;
    if (maximum) gather.maximum_digits = *maximum;
    if (timeout) gather.timeout_millis = *timeout;
    if (inter_digit) gather.inter_digit_timeout_millis = *inter_digit;
    if (terminating) gather.terminating_digit = *terminating;
    if (valid) gather.valid_digits = *valid;
}

void read_speech(RequestFields& fields, CommandRequest& out) {
    std::string voice;
    std::optional<std::string> payload_type;
    std::optional<std::string> language;
    fields.required_text("payload", out.payload)
        .required_text("voice", voice)
        .fail_if(out.payload.size() > kMaxSpeakCharacters,
                 invalid_parameter("/payload", "'payload' must be at most 3000 characters."))
        .one_of("payload_type", {"text", "ssml"}, payload_type)
        .text("language", language);
    if (payload_type) out.payload_type = *payload_type;
    if (language && !language->empty()) out.language = *language;
}

void read_audio(RequestFields& fields, CommandRequest& out, bool allow_content) {
    fields.text("audio_url", out.audio_url).text("media_name", out.media_name);
    if (allow_content) fields.text("playback_content", out.playback_content);
    const bool given = out.audio_url || out.media_name || out.playback_content;
    fields.fail_if(!given, missing_parameter("/audio_url"));
}

}  // namespace

std::optional<Action> parse_action(std::string_view name) {
    for (const auto& [candidate, action] : kActions) {
        if (candidate == name) return action;
    }
    return std::nullopt;
}

std::optional<TelnyxError> read_command_request(Action action, const nlohmann::json& body, CommandRequest& out) {
    RequestFields fields(body);
    fields.base64("client_state", out.client_state).text("command_id", out.command_id);
    std::optional<std::string> text;
    switch (action) {
        case Action::kAnswer: {
            std::optional<std::string> record;
            std::optional<std::string> channels;
            fields.text("webhook_url", out.webhook_url)
                .one_of("record", {"record-from-answer"}, record)
                .one_of("record_channels", {"single", "dual"}, channels)
                .one_of("record_format", {"wav", "mp3"}, text)
                .text("stream_url", out.stream_url);
            out.record = record.has_value();
            if (channels) out.record_channels = *channels;
            break;
        }
        case Action::kReject: {
            std::optional<std::string> cause;
            fields.one_of("cause", {"CALL_REJECTED", "USER_BUSY"}, cause).fail_if(!cause, missing_parameter("/cause"));
            if (cause) out.cause = *cause;
            break;
        }
        case Action::kSpeak: read_speech(fields, out); break;
        case Action::kPlaybackStart: read_audio(fields, out, true); break;
        case Action::kGather: read_gather(fields, out.gather); break;
        case Action::kGatherUsingSpeak:
            read_speech(fields, out);
            read_gather(fields, out.gather);
            break;
        case Action::kGatherUsingAudio:
            read_audio(fields, out, false);
            read_gather(fields, out.gather);
            break;
        case Action::kTransfer: {
            std::optional<int> timeout;
            fields.phone("to", true, out.to)
                .text("from", out.from)
                .integer("timeout_secs", 5, 600, timeout)
                .text("webhook_url", out.webhook_url)
                .base64("target_leg_client_state", out.target_leg_client_state);
            break;
        }
        case Action::kBridge: fields.required_text("call_control_id", out.other_call_control_id); break;
        case Action::kRecordStart: {
            std::optional<std::string> channels;
            std::optional<std::string> format;
            fields.one_of("channels", {"single", "dual"}, channels)
                .fail_if(!channels, missing_parameter("/channels"))
                .one_of("format", {"wav", "mp3"}, format)
                .fail_if(!format, missing_parameter("/format"))
                .integer("max_length", 0, 14'400, out.record_max_length)
                .integer("timeout_secs", 0, 14'400, out.record_timeout_secs);
            if (channels) out.channels = *channels;
            break;
        }
        case Action::kStreamingStart:
            fields.text("stream_url", out.stream_url)
                .one_of("stream_track", {"inbound_track", "outbound_track", "both_tracks"}, text);
            break;
        case Action::kSendDtmf: {
            std::optional<std::string> digits;
            // The chained fail_if runs after digits(): a member call's object is evaluated before its arguments.
            fields.digits("digits", "0123456789*#ABCDwW", digits).fail_if(!digits, missing_parameter("/digits"));
            if (digits) out.digits = *digits;
            break;
        }
        case Action::kHangup:
        case Action::kPlaybackStop:
        case Action::kRecordStop:
        case Action::kStreamingStop:
        case Action::kTranscriptionStart:
        case Action::kTranscriptionStop: break;
    }
    if (!fields.ok()) return fields.error();
    if (out.webhook_url && out.webhook_url->empty()) out.webhook_url.reset();
    return std::nullopt;
}

}  // namespace crossvoice::sandbox
