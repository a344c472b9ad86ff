#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sandbox/telnyx_error.hpp"

namespace crossvoice::sandbox {

// The Call Control commands the sandbox understands: POST {prefix}/v2/calls/{id}/actions/<name>.
enum class Action {
    kAnswer,
    kHangup,
    kReject,
    kSpeak,
    kPlaybackStart,
    kPlaybackStop,
    kGather,
    kGatherUsingSpeak,
    kGatherUsingAudio,
    kTransfer,
    kBridge,
    kRecordStart,
    kRecordStop,
    kStreamingStart,
    kStreamingStop,
    kSendDtmf,
    kTranscriptionStart,
    kTranscriptionStop,
};

std::optional<Action> parse_action(std::string_view name);

// Gather settings with Telnyx's defaults filled in.
struct GatherSettings {
    int minimum_digits = 1;
    int maximum_digits = 128;
    int timeout_millis = 60'000;
    int inter_digit_timeout_millis = 5'000;
    std::string terminating_digit = "#";  // empty: none
    std::string valid_digits;             // empty: any DTMF digit
};

// Everything any command may carry (vendor-apis.md A.3); each action reads its own fields.
struct CommandRequest {
    std::optional<std::string> client_state;  // base64, as given
    std::optional<std::string> command_id;
    // answer
    std::optional<std::string> webhook_url;
    bool record = false;
    std::string record_channels = "dual";
    std::optional<std::string> stream_url;
    // reject
    std::string cause;
    // speak, gather_using_speak
    std::string payload;
    std::string payload_type = "text";
    std::string language = "en-US";
    // playback_start, gather_using_audio
    std::optional<std::string> audio_url;
    std::optional<std::string> media_name;
    std::optional<std::string> playback_content;
    // gather*
    GatherSettings gather;
    // transfer
    std::string to;
    std::optional<std::string> from;
    std::optional<std::string> target_leg_client_state;
    // bridge: the other leg
    std::string other_call_control_id;
    // record_start; 0 or absent: no limit
    std::string channels;
    std::optional<int> record_max_length;    // seconds
    std::optional<int> record_timeout_secs;  // seconds of silence after speech
    // send_dtmf
    std::string digits;
};

// Checks the body of `action` like Telnyx: the first problem as a 422 naming the field in source.pointer.
std::optional<TelnyxError> read_command_request(Action action, const nlohmann::json& body, CommandRequest& out);

}  // namespace crossvoice::sandbox
