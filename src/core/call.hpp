#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace crossvoice::core {

// The life of one call leg. kInitiated: we asked the carrier to dial (or an inbound call was first seen);
// kRinging: the carrier confirmed the leg exists and is alerting; kAnswered: connected. The other five are
// terminal: once a call is in one of them, no event moves it again (see call_state_machine.hpp).
enum class CallState { kInitiated, kRinging, kAnswered, kCompleted, kBusy, kNoAnswer, kFailed, kCanceled };

inline constexpr std::array<CallState, 8> kAllCallStates{
    CallState::kInitiated, CallState::kRinging,  CallState::kAnswered, CallState::kCompleted,
    CallState::kBusy,      CallState::kNoAnswer, CallState::kFailed,   CallState::kCanceled,
};

// snake_case names, stable in storage and in the API: "initiated", "no_answer", ...
std::string_view to_string(CallState state);
std::optional<CallState> parse_call_state(std::string_view text);
bool is_terminal(CallState state);

// What a carrier event reports. Vendor spellings ("call.gather.ended") are mapped by the adapter; core only
// knows these kinds. kMessage is any messaging event (handled by the messaging use-case), kUnknown an event
// type we do not act on, which is still accepted and stored.
enum class CallEventType {
    kInitiated,
    kAnswered,
    kHangup,
    kBridged,
    kGatherEnded,
    kDtmfReceived,
    kSpeakStarted,
    kSpeakEnded,
    kPlaybackStarted,
    kPlaybackEnded,
    kRecordingSaved,
    kMachineDetectionEnded,
    kStreamingStarted,
    kStreamingStopped,
    kStreamingFailed,
    kTranscription,
    kMessage,
    kUnknown,
};

inline constexpr std::array<CallEventType, 18> kAllCallEventTypes{
    CallEventType::kInitiated,        CallEventType::kAnswered,         CallEventType::kHangup,
    CallEventType::kBridged,          CallEventType::kGatherEnded,      CallEventType::kDtmfReceived,
    CallEventType::kSpeakStarted,     CallEventType::kSpeakEnded,       CallEventType::kPlaybackStarted,
    CallEventType::kPlaybackEnded,    CallEventType::kRecordingSaved,   CallEventType::kMachineDetectionEnded,
    CallEventType::kStreamingStarted, CallEventType::kStreamingStopped, CallEventType::kStreamingFailed,
    CallEventType::kTranscription,    CallEventType::kMessage,          CallEventType::kUnknown,
};

// snake_case names: "initiated", "gather_ended", "machine_detection_ended", "message", "unknown".
std::string_view to_string(CallEventType type);
std::optional<CallEventType> parse_call_event_type(std::string_view text);

// A finished recording as the carrier reports it. The URLs may be short-lived (Telnyx: 10 minutes), so the
// use-case fetches or stores them promptly.
struct CallRecording {
    std::optional<std::string> mp3_url;
    std::optional<std::string> wav_url;
    std::optional<TimePoint> started_at;
    std::optional<TimePoint> ended_at;
    std::optional<std::string> channels;  // "single" or "dual"
};

// One carrier webhook, already verified and mapped out of the vendor's JSON. Optional fields are absent
// when the event does not carry them.
struct CallEvent {
    std::string id;  // the carrier's event id: the idempotency key
    CallEventType type = CallEventType::kUnknown;
    std::string event_type;  // the carrier's own name, kept for the timeline and for unknown types
    TimePoint occurred_at{};
    std::string call_control_id;  // empty only for events that are not about a call leg (messages, unknown)
    std::optional<std::string> call_leg_id;
    std::optional<std::string> call_session_id;
    std::optional<std::string> connection_id;
    std::optional<std::string> client_state;  // decoded bytes of what we sent when dialing or commanding
    std::optional<std::string> direction;
    std::optional<std::string> from;
    std::optional<std::string> to;
    std::optional<std::string> hangup_cause;
    std::optional<std::string> hangup_source;
    std::optional<std::string> digits;  // gathered digits, or the one digit of a DTMF event
    std::optional<std::string> status;  // gather/speak/playback status, or a machine detection result
    std::optional<CallRecording> recording;
    std::optional<int> attempt;  // delivery attempt, 1 for the first
};

}  // namespace crossvoice::core
