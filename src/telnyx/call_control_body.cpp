#include "telnyx/call_control_body.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "core/e164.hpp"
#include "telnyx/base64.hpp"

namespace crossvoice::telnyx {
namespace {

using core::ports::CommandOptions;
using core::ports::GatherOptions;
using nlohmann::json;
using Choices = std::span<const std::string_view>;

// The overloads for optional fields are templates on this, so that a std::string argument, which converts to
// both std::string_view and std::optional<std::string>, picks the plain overload instead of being ambiguous.
template <typename T>
concept OptionalText = std::same_as<T, std::optional<std::string>>;

// Value sets the port and vendor-apis.md A.2/A.3 spell out.
constexpr std::array<std::string_view, 2> kChannels{"single", "dual"};
constexpr std::array<std::string_view, 2> kFormats{"wav", "mp3"};
constexpr std::array<std::string_view, 2> kPayloadTypes{"text", "ssml"};
constexpr std::array<std::string_view, 2> kStops{"current", "all"};
constexpr std::array<std::string_view, 2> kCauses{"CALL_REJECTED", "USER_BUSY"};
constexpr std::array<std::string_view, 3> kStreamTracks{"inbound_track", "outbound_track", "both_tracks"};
constexpr std::array<std::string_view, 2> kBidirectionalModes{"mp3", "rtp"};
constexpr std::array<std::string_view, 6> kMachineDetection{"premium",      "detect",       "detect_beep",
                                                            "detect_words", "greeting_end", "disabled"};
constexpr std::array<std::string_view, 1> kTrims{"trim-silence"};

constexpr int kMaxDigits = 128;          // gather's own ceiling
constexpr int kMaxCallSeconds = 14'400;  // time_limit_secs and record max_length
constexpr std::string_view kDtmf = "0123456789ABCD*#";
constexpr std::string_view kDtmfWithPauses = "0123456789ABCD*#wW";  // w: 0.5 s pause, W: 1 s

// Number of code points, or nullopt when `text` is not well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF). nlohmann::json throws when asked to serialise anything else.
std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra = 0;
        std::uint32_t point = 0;
        std::uint32_t smallest = 0;
        if ((lead & 0xe0) == 0xc0) {
            extra = 1;
            point = lead & 0x1fU;
            smallest = 0x80;
        } else if ((lead & 0xf0) == 0xe0) {
            extra = 2;
            point = lead & 0x0fU;
            smallest = 0x800;
        } else if ((lead & 0xf8) == 0xf0) {
            extra = 3;
            point = lead & 0x07U;
            smallest = 0x10000;
        } else {
            return std::nullopt;
        }
        if (text.size() - i - 1 < extra) return std::nullopt;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80) return std::nullopt;
            point = (point << 6) | (next & 0x3fU);
        }
        if (point < smallest || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return std::nullopt;
        i += extra + 1;
    }
    return count;
}

bool is_party(std::string_view value) {
    return core::is_e164(value) || value.starts_with("sip:") || value.starts_with("sips:");
}

// The first failed rule of a request, in the order they are checked; later rules are skipped.
class Check {
  public:
    Check& required(std::string_view field, std::string_view value) {
        if (value.empty()) fail(field, fmt::format("{} is required", field));
        return *this;
    }

    // A number, sip: or sips: URI; anything else Telnyx refuses after a round trip.
    Check& party(std::string_view field, std::string_view value) {
        required(field, value);
        if (!is_party(value)) {
            fail(field, fmt::format("{} must be an E.164 number like +15551234567 or a sip: URI", field));
        }
        return *this;
    }

    template <OptionalText T>
    Check& party(std::string_view field, const T& value) {
        return value ? not_empty(field, value).party(field, *value) : *this;
    }

    Check& one_of(std::string_view field, std::string_view value, Choices choices) {
        if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
            fail(field, fmt::format("{} must be one of {}, not \"{}\"", field, fmt::join(choices, ", "), value));
        }
        return *this;
    }

    template <OptionalText T>
    Check& one_of(std::string_view field, const T& value, Choices choices) {
        return value ? one_of(field, *value, choices) : *this;
    }

    Check& range(std::string_view field, std::optional<int> value, int low, int high) {
        if (value && (*value < low || *value > high)) {
            fail(field, fmt::format("{} must be between {} and {}, not {}", field, low, high, *value));
        }
        return *this;
    }

    Check& positive(std::string_view field, std::optional<int> value) {
        if (value && *value <= 0) fail(field, fmt::format("{} must be positive, not {}", field, *value));
        return *this;
    }

    Check& not_empty(std::string_view field, const std::optional<std::string>& value) {
        if (value && value->empty()) fail(field, fmt::format("{} must not be empty when given", field));
        return *this;
    }

    // Text Telnyx will read aloud: required, and at most kMaxSpeakCharacters Unicode characters.
    Check& speech(std::string_view field, std::string_view value) {
        required(field, value);
        const auto length = utf8_length(value);
        if (!length) {
            fail(field, fmt::format("{} must be UTF-8 text", field));
        } else if (*length > kMaxSpeakCharacters) {
            fail(field, fmt::format("{} must be at most {} characters, not {}", field, kMaxSpeakCharacters, *length));
        }
        return *this;
    }

    // Exactly one of two alternatives, each non-empty when given (audio_url or media_name).
    Check& exactly_one(std::string_view first_field, const std::optional<std::string>& first,
                       std::string_view second_field, const std::optional<std::string>& second) {
        if (first.has_value() == second.has_value()) {
            fail(first_field, fmt::format("exactly one of {} and {} is required", first_field, second_field));
        }
        return not_empty(first_field, first).not_empty(second_field, second);
    }

    Check& dtmf(std::string_view field, std::string_view value, std::string_view allowed) {
        required(field, value);
        if (value.find_first_not_of(allowed) != std::string_view::npos) {
            fail(field, fmt::format("{} may only hold the characters {}", field, allowed));
        }
        return *this;
    }

    template <OptionalText T>
    Check& dtmf(std::string_view field, const T& value, std::string_view allowed) {
        return value ? dtmf(field, *value, allowed) : *this;
    }

    // A repeat count ("3") or "infinity".
    Check& loop(std::string_view field, const std::optional<std::string>& value) {
        if (!value || *value == "infinity") return *this;
        if (value->empty() || value->find_first_not_of("0123456789") != std::string::npos) {
            fail(field, fmt::format("{} must be a count or \"infinity\"", field));
        }
        return *this;
    }

    Check& gather(const GatherOptions& gather) {
        range("minimum_digits", gather.minimum_digits, 1, kMaxDigits);
        range("maximum_digits", gather.maximum_digits, 1, kMaxDigits);
        if (gather.minimum_digits && gather.maximum_digits && *gather.minimum_digits > *gather.maximum_digits) {
            fail("minimum_digits", "minimum_digits must not exceed maximum_digits");
        }
        positive("timeout_millis", gather.timeout_millis);
        positive("inter_digit_timeout_millis", gather.inter_digit_timeout_millis);
        if (gather.terminating_digit && gather.terminating_digit->size() != 1) {
            fail("terminating_digit", "terminating_digit must be a single digit");
        }
        dtmf("terminating_digit", gather.terminating_digit, kDtmf);
        return dtmf("valid_digits", gather.valid_digits, kDtmf);
    }

    const std::optional<core::Error>& error() const { return error_; }

  private:
    void fail(std::string_view field, std::string message) {
        if (!error_) error_ = core::Error::validation(std::string(field), std::move(message));
    }

    std::optional<core::Error> error_;
};

// The fields of one body. Text that is not UTF-8 is refused, naming the field, instead of being sent mangled.
class Body {
  public:
    Body& text(std::string_view key, std::string_view value) {
        if (!utf8_length(value)) {
            if (!bad_field_) bad_field_ = std::string(key);
            return *this;
        }
        json_[std::string(key)] = value;
        return *this;
    }

    template <OptionalText T>
    Body& text(std::string_view key, const T& value) {
        return value ? text(key, *value) : *this;
    }

    // Raw bytes, any bytes: Telnyx wants client_state as base64, and echoes it back so in webhooks.
    Body& base64(std::string_view key, std::string_view raw) {
        json_[std::string(key)] = encode_base64(raw);
        return *this;
    }

    template <OptionalText T>
    Body& base64(std::string_view key, const T& raw) {
        return raw ? base64(key, *raw) : *this;
    }

    Body& number(std::string_view key, std::optional<int> value) {
        if (value) json_[std::string(key)] = *value;
        return *this;
    }

    Body& flag(std::string_view key, std::optional<bool> value) {
        if (value) json_[std::string(key)] = *value;
        return *this;
    }

    // Telnyx spells "record the call" as a string, with the channels and format beside it.
    Body& recording(bool record, std::string_view channels, std::string_view format) {
        if (!record) return *this;
        return text("record", "record-from-answer").text("record_channels", channels).text("record_format", format);
    }

    Body& gather(const GatherOptions& gather) {
        return number("minimum_digits", gather.minimum_digits)
            .number("maximum_digits", gather.maximum_digits)
            .number("timeout_millis", gather.timeout_millis)
            .number("inter_digit_timeout_millis", gather.inter_digit_timeout_millis)
            .text("terminating_digit", gather.terminating_digit)
            .text("valid_digits", gather.valid_digits);
    }

    core::Result<std::string> finish(const std::optional<std::string>& client_state, std::string_view command_id) {
        base64("client_state", client_state);
        text("command_id", command_id);
        if (bad_field_) return core::Error::validation(*bad_field_, fmt::format("{} must be UTF-8 text", *bad_field_));
        try {
            return json_.dump();
        } catch (const json::exception& error) {
            // Unreachable after the UTF-8 checks; kept so that no exception leaves the adapter.
            return core::Error::internal(fmt::format("could not serialise a Telnyx request: {}", error.what()));
        }
    }

    core::Result<std::string> finish(const CommandOptions& options, std::string_view command_id) {
        return finish(options.client_state, command_id);
    }

  private:
    json json_ = json::object();
    std::optional<std::string> bad_field_;
};

}  // namespace

core::Result<std::string> dial_body(const core::ports::DialRequest& request, std::string_view command_id) {
    Check check;
    check.required("connection_id", request.connection_id)
        .party("to", request.to)
        .party("from", request.from)
        .range("timeout_secs", request.timeout_secs, 5, 600)
        .range("time_limit_secs", request.time_limit_secs, 1, kMaxCallSeconds)
        .one_of("answering_machine_detection", request.answering_machine_detection, kMachineDetection)
        .not_empty("stream_url", request.stream_url)
        .one_of("stream_track", request.stream_track, kStreamTracks);
    if (request.record) {
        check.one_of("record_channels", request.record_channels, kChannels)
            .one_of("record_format", request.record_format, kFormats);
    }
    if (check.error()) return *check.error();

    Body body;
    body.text("connection_id", request.connection_id)
        .text("to", request.to)
        .text("from", request.from)
        .number("timeout_secs", request.timeout_secs)
        .number("time_limit_secs", request.time_limit_secs)
        .recording(request.record, request.record_channels, request.record_format)
        .text("answering_machine_detection", request.answering_machine_detection)
        .text("stream_url", request.stream_url)
        .text("stream_track", request.stream_track);
    if (!request.webhook_url.empty()) body.text("webhook_url", request.webhook_url);
    // A dial has no leg yet to keep a state from; an empty one is simply not sent.
    std::optional<std::string> client_state;
    if (!request.client_state.empty()) client_state = request.client_state;
    return body.finish(client_state, command_id);
}

core::Result<std::string> answer_body(const core::ports::AnswerRequest& request, std::string_view command_id) {
    Check check;
    check.not_empty("webhook_url", request.webhook_url)
        .not_empty("stream_url", request.stream_url)
        .one_of("stream_track", request.stream_track, kStreamTracks);
    if (request.record) {
        check.one_of("record_channels", request.record_channels, kChannels)
            .one_of("record_format", request.record_format, kFormats);
    }
    if (check.error()) return *check.error();

    Body body;
    body.text("webhook_url", request.webhook_url)
        .recording(request.record, request.record_channels, request.record_format)
        .text("stream_url", request.stream_url)
        .text("stream_track", request.stream_track);
    return body.finish(request.options, command_id);
}

core::Result<std::string> options_body(const CommandOptions& options, std::string_view command_id) {
    return Body{}.finish(options, command_id);
}

core::Result<std::string> reject_body(const core::ports::RejectRequest& request, std::string_view command_id) {
    Check check;
    check.one_of("cause", request.cause, kCauses);
    if (check.error()) return *check.error();
    return Body{}.text("cause", request.cause).finish(request.options, command_id);
}

core::Result<std::string> speak_body(const core::ports::SpeakRequest& request, std::string_view command_id) {
    Check check;
    check.speech("payload", request.payload)
        .required("voice", request.voice)
        .one_of("payload_type", request.payload_type, kPayloadTypes)
        .not_empty("language", request.language)
        .one_of("stop", request.stop, kStops);
    if (check.error()) return *check.error();

    Body body;
    body.text("payload", request.payload)
        .text("voice", request.voice)
        .text("payload_type", request.payload_type)
        .text("language", request.language)
        .text("stop", request.stop);
    return body.finish(request.options, command_id);
}

core::Result<std::string> playback_start_body(const core::ports::PlaybackStartRequest& request,
                                              std::string_view command_id) {
    Check check;
    check.exactly_one("audio_url", request.audio_url, "media_name", request.media_name)
        .loop("loop", request.loop)
        .one_of("stop", request.stop, kStops);
    if (check.error()) return *check.error();

    Body body;
    body.text("audio_url", request.audio_url)
        .text("media_name", request.media_name)
        .text("loop", request.loop)
        .text("stop", request.stop);
    // false is Telnyx's default; sending it would only make the body longer.
    if (request.overlay) body.flag("overlay", true);
    return body.finish(request.options, command_id);
}

core::Result<std::string> playback_stop_body(const core::ports::PlaybackStopRequest& request,
                                             std::string_view command_id) {
    Check check;
    check.one_of("stop", request.stop, kStops);
    if (check.error()) return *check.error();
    return Body{}.text("stop", request.stop).finish(request.options, command_id);
}

core::Result<std::string> gather_body(const core::ports::GatherRequest& request, std::string_view command_id) {
    Check check;
    check.gather(request.gather);
    if (check.error()) return *check.error();
    return Body{}.gather(request.gather).finish(request.options, command_id);
}

core::Result<std::string> gather_using_speak_body(const core::ports::GatherUsingSpeakRequest& request,
                                                  std::string_view command_id) {
    Check check;
    check.speech("payload", request.payload)
        .required("voice", request.voice)
        .one_of("payload_type", request.payload_type, kPayloadTypes)
        .not_empty("language", request.language)
        .positive("maximum_tries", request.maximum_tries)
        .gather(request.gather);
    if (request.invalid_payload) check.speech("invalid_payload", *request.invalid_payload);
    if (check.error()) return *check.error();

    Body body;
    body.text("payload", request.payload)
        .text("voice", request.voice)
        .text("payload_type", request.payload_type)
        .text("language", request.language)
        .text("invalid_payload", request.invalid_payload)
        .number("maximum_tries", request.maximum_tries)
        .gather(request.gather);
    return body.finish(request.options, command_id);
}

core::Result<std::string> gather_using_audio_body(const core::ports::GatherUsingAudioRequest& request,
                                                  std::string_view command_id) {
    Check check;
    check.exactly_one("audio_url", request.audio_url, "media_name", request.media_name)
        .not_empty("invalid_audio_url", request.invalid_audio_url)
        .positive("maximum_tries", request.maximum_tries)
        .gather(request.gather);
    if (check.error()) return *check.error();

    Body body;
    body.text("audio_url", request.audio_url)
        .text("media_name", request.media_name)
        .text("invalid_audio_url", request.invalid_audio_url)
        .number("maximum_tries", request.maximum_tries)
        .gather(request.gather);
    return body.finish(request.options, command_id);
}

core::Result<std::string> transfer_body(const core::ports::TransferRequest& request, std::string_view command_id) {
    Check check;
    check.party("to", request.to)
        .party("from", request.from)
        .range("timeout_secs", request.timeout_secs, 5, 600)
        .not_empty("webhook_url", request.webhook_url);
    if (check.error()) return *check.error();

    Body body;
    body.text("to", request.to)
        .text("from", request.from)
        .number("timeout_secs", request.timeout_secs)
        .text("webhook_url", request.webhook_url)
        .base64("target_leg_client_state", request.target_leg_client_state);
    return body.finish(request.options, command_id);
}

core::Result<std::string> bridge_body(const core::ports::BridgeRequest& request, std::string_view command_id) {
    Check check;
    check.required("other_call_control_id", request.other_call_control_id)
        .not_empty("play_ringtone", request.play_ringtone);
    if (check.error()) return *check.error();

    Body body;
    body.text("call_control_id", request.other_call_control_id)
        .flag("park_after_unbridge", request.park_after_unbridge)
        .text("play_ringtone", request.play_ringtone);
    return body.finish(request.options, command_id);
}

core::Result<std::string> record_start_body(const core::ports::RecordStartRequest& request,
                                            std::string_view command_id) {
    Check check;
    check.one_of("channels", request.channels, kChannels)
        .one_of("format", request.format, kFormats)
        .range("max_length", request.max_length, 0, kMaxCallSeconds)
        .range("timeout_secs", request.timeout_secs, 0, kMaxCallSeconds)
        .one_of("trim", request.trim, kTrims);
    if (check.error()) return *check.error();

    Body body;
    body.text("channels", request.channels)
        .text("format", request.format)
        .number("max_length", request.max_length)
        .number("timeout_secs", request.timeout_secs)
        .text("trim", request.trim);
    if (request.play_beep) body.flag("play_beep", true);
    return body.finish(request.options, command_id);
}

core::Result<std::string> streaming_start_body(const core::ports::StreamingStartRequest& request,
                                               std::string_view command_id) {
    Check check;
    check.not_empty("stream_url", request.stream_url)
        .one_of("stream_track", request.stream_track, kStreamTracks)
        .one_of("stream_bidirectional_mode", request.stream_bidirectional_mode, kBidirectionalModes)
        .not_empty("stream_bidirectional_codec", request.stream_bidirectional_codec);
    if (check.error()) return *check.error();

    Body body;
    body.text("stream_url", request.stream_url)
        .text("stream_track", request.stream_track)
        .text("stream_bidirectional_mode", request.stream_bidirectional_mode)
        .text("stream_bidirectional_codec", request.stream_bidirectional_codec);
    return body.finish(request.options, command_id);
}

core::Result<std::string> send_dtmf_body(const core::ports::SendDtmfRequest& request, std::string_view command_id) {
    Check check;
    check.dtmf("digits", request.digits, kDtmfWithPauses).positive("duration_millis", request.duration_millis);
    if (check.error()) return *check.error();
    return Body{}
        .text("digits", request.digits)
        .number("duration_millis", request.duration_millis)
        .finish(request.options, command_id);
}

}  // namespace crossvoice::telnyx
