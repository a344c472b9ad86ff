#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace crossvoice::core::ports {

// The phone network as crossvoice sees it: Telnyx Call Control v2, or the sandbox carrier speaking the same
// protocol. Every method blocks (an HTTP round trip with retries); call it from a worker thread.
//
// Every command carries a command_id: the carrier ignores a repeat of the same id on the same call, so the
// client's retries after a timeout are safe. Callers pass a stable id when they may repeat a command
// themselves (a job retried after a crash); an empty command_id makes the client generate one per call.
//
// Errors: kVendor when the carrier answered with an error (details "vendor_status" = HTTP status,
// "vendor_code", "vendor_title", "vendor_detail", "vendor_pointer" from the first entry of its `errors`
// array, and "retry_after_seconds" for 429); kTimeout / kUnavailable when it could not be reached; kValidation
// when the request itself is malformed before anything was sent.

struct DialRequest {
    std::string to;    // E.164 or sip: URI
    std::string from;  // E.164 caller id
    std::string connection_id;
    std::string webhook_url;
    std::string client_state;              // raw bytes; the adapter base64-encodes them
    std::optional<int> timeout_secs;       // 5..600: ring this long before giving up
    std::optional<int> time_limit_secs;    // up to 14400: hard cap on the call's length
    bool record = false;                   // record-from-answer
    std::string record_channels = "dual";  // single | dual
    std::string record_format = "wav";     // wav | mp3
    std::optional<std::string> answering_machine_detection;
    std::optional<std::string> stream_url;
    std::optional<std::string> stream_track;
    std::string command_id;
};

struct DialedCall {
    std::string call_control_id;
    std::string call_leg_id;
    std::string call_session_id;
};

// Fields every command may carry.
struct CommandOptions {
    std::optional<std::string> client_state;  // raw bytes; replaces the leg's client_state when given
    std::string command_id;
};

struct AnswerRequest {
    std::optional<std::string> webhook_url;
    bool record = false;
    std::string record_channels = "dual";
    std::string record_format = "wav";
    std::optional<std::string> stream_url;
    std::optional<std::string> stream_track;
    CommandOptions options;
};

struct RejectRequest {
    std::string cause = "CALL_REJECTED";  // CALL_REJECTED | USER_BUSY
    CommandOptions options;
};

struct SpeakRequest {
    std::string payload;  // at most 3000 characters
    std::string voice = "female";
    std::string payload_type = "text";  // text | ssml
    std::optional<std::string> language;
    std::optional<std::string> stop;  // "current" | "all": stop queued audio first
    CommandOptions options;
};

struct PlaybackStartRequest {
    std::optional<std::string> audio_url;  // exactly one of audio_url and media_name
    std::optional<std::string> media_name;
    std::optional<std::string> loop;  // a count, or "infinity"
    bool overlay = false;
    std::optional<std::string> stop;
    CommandOptions options;
};

struct PlaybackStopRequest {
    std::string stop = "all";  // "current" | "all"
    CommandOptions options;
};

struct GatherOptions {
    std::optional<int> minimum_digits;
    std::optional<int> maximum_digits;
    std::optional<int> timeout_millis;
    std::optional<int> inter_digit_timeout_millis;
    std::optional<std::string> terminating_digit;
    std::optional<std::string> valid_digits;
};

struct GatherRequest {
    GatherOptions gather;
    CommandOptions options;
};

struct GatherUsingSpeakRequest {
    std::string payload;
    std::string voice = "female";
    std::string payload_type = "text";
    std::optional<std::string> language;
    std::optional<std::string> invalid_payload;
    std::optional<int> maximum_tries;
    GatherOptions gather;
    CommandOptions options;
};

struct GatherUsingAudioRequest {
    std::optional<std::string> audio_url;  // exactly one of audio_url and media_name
    std::optional<std::string> media_name;
    std::optional<std::string> invalid_audio_url;
    std::optional<int> maximum_tries;
    GatherOptions gather;
    CommandOptions options;
};

struct TransferRequest {
    std::string to;  // E.164 or sip: URI
    std::optional<std::string> from;
    std::optional<int> timeout_secs;
    std::optional<std::string> webhook_url;
    std::optional<std::string> target_leg_client_state;  // raw bytes
    CommandOptions options;
};

struct BridgeRequest {
    std::string other_call_control_id;
    std::optional<bool> park_after_unbridge;
    std::optional<std::string> play_ringtone;
    CommandOptions options;
};

struct RecordStartRequest {
    std::string channels = "dual";  // single | dual
    std::string format = "wav";     // wav | mp3
    bool play_beep = false;
    std::optional<int> max_length;  // seconds
    // Seconds of silence, counted once speech was heard, that end the recording (0 or absent: never).
    std::optional<int> timeout_secs;
    std::optional<std::string> trim;  // "trim-silence"
    CommandOptions options;
};

struct StreamingStartRequest {
    std::optional<std::string> stream_url;
    std::optional<std::string> stream_track;  // inbound_track | outbound_track | both_tracks
    std::optional<std::string> stream_bidirectional_mode;
    std::optional<std::string> stream_bidirectional_codec;
    CommandOptions options;
};

struct SendDtmfRequest {
    std::string digits;  // 0-9 A-D * # w W
    std::optional<int> duration_millis;
    CommandOptions options;
};

class Carrier {
  public:
    virtual ~Carrier() = default;

    virtual Result<DialedCall> dial(const DialRequest& request) = 0;
    virtual Status answer(const std::string& call_control_id, const AnswerRequest& request) = 0;
    // A call that has already ended (Telnyx 90018) is success: the goal, a call that is over, holds.
    virtual Status hangup(const std::string& call_control_id, const CommandOptions& options) = 0;
    virtual Status reject(const std::string& call_control_id, const RejectRequest& request) = 0;
    virtual Status speak(const std::string& call_control_id, const SpeakRequest& request) = 0;
    virtual Status playback_start(const std::string& call_control_id, const PlaybackStartRequest& request) = 0;
    virtual Status playback_stop(const std::string& call_control_id, const PlaybackStopRequest& request) = 0;
    virtual Status gather(const std::string& call_control_id, const GatherRequest& request) = 0;
    virtual Status gather_using_speak(const std::string& call_control_id, const GatherUsingSpeakRequest& request) = 0;
    virtual Status gather_using_audio(const std::string& call_control_id, const GatherUsingAudioRequest& request) = 0;
    virtual Status transfer(const std::string& call_control_id, const TransferRequest& request) = 0;
    virtual Status bridge(const std::string& call_control_id, const BridgeRequest& request) = 0;
    virtual Status record_start(const std::string& call_control_id, const RecordStartRequest& request) = 0;
    virtual Status record_stop(const std::string& call_control_id, const CommandOptions& options) = 0;
    virtual Status streaming_start(const std::string& call_control_id, const StreamingStartRequest& request) = 0;
    virtual Status streaming_stop(const std::string& call_control_id, const CommandOptions& options) = 0;
    virtual Status send_dtmf(const std::string& call_control_id, const SendDtmfRequest& request) = 0;
};

}  // namespace crossvoice::core::ports
