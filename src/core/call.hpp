#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/platform.hpp"

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

inline constexpr std::string_view kCallIdPrefix = "call";

enum class CallDirection { kOutbound, kInbound };
std::string_view to_string(CallDirection direction);  // "outbound", "inbound"
std::optional<CallDirection> parse_call_direction(std::string_view text);

// One call leg as crossvoice tracks it. Created before the carrier is asked to dial (so that a webhook racing
// the dial's response finds it through the id in client_state), then advanced only by carrier events.
struct Call {
    std::string id;  // "call_…", ours
    Platform platform = Platform::kTetrix;
    std::string session_id;
    CallDirection direction = CallDirection::kOutbound;
    std::string from;
    std::string to;
    CallState state = CallState::kInitiated;
    std::string call_control_id;  // empty until the carrier has answered the dial request
    std::optional<std::string> call_leg_id;
    std::optional<std::string> call_session_id;
    bool record = true;
    bool transcription_enabled = true;
    std::string language = "en-US";
    std::optional<std::string> flow;
    std::optional<std::string> failure_reason;  // why the dial itself failed (carrier refusal), for kFailed
    std::optional<std::string> hangup_cause;
    std::optional<std::string> hangup_source;
    TimePoint created_at{};
    TimePoint updated_at{};
    std::optional<TimePoint> answered_at;
    std::optional<TimePoint> ended_at;
    bool has_recording = false;
};

// A recording stored against a call (from call.recording.saved).
struct StoredRecording {
    std::string event_id;  // the event that reported it
    std::string call_id;
    CallRecording recording;
    TimePoint created_at{};
    std::optional<std::string> archived_as;  // our blob key once the audio has been copied (recording.fetch)
};

// A carrier event as stored on a call's timeline.
struct StoredCallEvent {
    std::string id;  // carrier event id
    std::optional<std::string> call_id;
    std::string event_type;  // carrier's name, "call.answered"
    TimePoint occurred_at{};
    TimePoint received_at{};
    std::optional<CallState> state_after;  // the call's state once this event was applied (when it had a call)
    bool changed_state = false;
    std::string payload_json;  // the raw, verified webhook body
};

}  // namespace crossvoice::core
