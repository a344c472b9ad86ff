#include "core/call.hpp"

#include <utility>

#include "core/enum_names.hpp"

namespace crossvoice::core {
namespace {

constexpr EnumNames<CallState, 8> kStateNames{{
    {CallState::kInitiated, "initiated"},
    {CallState::kRinging, "ringing"},
    {CallState::kAnswered, "answered"},
    {CallState::kCompleted, "completed"},
    {CallState::kBusy, "busy"},
    {CallState::kNoAnswer, "no_answer"},
    {CallState::kFailed, "failed"},
    {CallState::kCanceled, "canceled"},
}};

constexpr EnumNames<CallEventType, 18> kEventTypeNames{{
    {CallEventType::kInitiated, "initiated"},
    {CallEventType::kAnswered, "answered"},
    {CallEventType::kHangup, "hangup"},
    {CallEventType::kBridged, "bridged"},
    {CallEventType::kGatherEnded, "gather_ended"},
    {CallEventType::kDtmfReceived, "dtmf_received"},
    {CallEventType::kSpeakStarted, "speak_started"},
    {CallEventType::kSpeakEnded, "speak_ended"},
    {CallEventType::kPlaybackStarted, "playback_started"},
    {CallEventType::kPlaybackEnded, "playback_ended"},
    {CallEventType::kRecordingSaved, "recording_saved"},
    {CallEventType::kMachineDetectionEnded, "machine_detection_ended"},
    {CallEventType::kStreamingStarted, "streaming_started"},
    {CallEventType::kStreamingStopped, "streaming_stopped"},
    {CallEventType::kStreamingFailed, "streaming_failed"},
    {CallEventType::kTranscription, "transcription"},
    {CallEventType::kMessage, "message"},
    {CallEventType::kUnknown, "unknown"},
}};

constexpr EnumNames<CallDirection, 2> kDirectionNames{{
    {CallDirection::kOutbound, "outbound"},
    {CallDirection::kInbound, "inbound"},
}};

}  // namespace

std::string_view to_string(CallDirection direction) { return name_of(kDirectionNames, direction); }
std::optional<CallDirection> parse_call_direction(std::string_view text) { return value_of(kDirectionNames, text); }

std::string_view to_string(CallState state) { return name_of(kStateNames, state); }
std::optional<CallState> parse_call_state(std::string_view text) { return value_of(kStateNames, text); }

bool is_terminal(CallState state) {
    switch (state) {
        case CallState::kInitiated:
        case CallState::kRinging:
        case CallState::kAnswered: return false;
        case CallState::kCompleted:
        case CallState::kBusy:
        case CallState::kNoAnswer:
        case CallState::kFailed:
        case CallState::kCanceled: return true;
    }
    return false;
}

std::string_view to_string(CallEventType type) { return name_of(kEventTypeNames, type); }
std::optional<CallEventType> parse_call_event_type(std::string_view text) { return value_of(kEventTypeNames, text); }

}  // namespace crossvoice::core
