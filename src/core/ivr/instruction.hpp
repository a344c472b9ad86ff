#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

// What a call should do next, in the carrier's vocabulary but free of any markup: the IVR engine emits these,
// telnyx/ renders them as TeXML (every verb and noun of Telnyx TeXML, section B.2 of the vendor reference) or
// executes them as Call Control commands, and the TeXML parser reads markup back into them. Every attribute is
// optional and absent means "the carrier's default", so that a document survives parse -> render -> parse
// unchanged. Field names follow the TeXML attribute names (timeLimit -> time_limit).
namespace crossvoice::core::ivr {

struct Say {
    std::string text;
    std::optional<std::string> voice;     // man, woman, alice, Polly.Joanna, ...
    std::optional<std::string> language;  // BCP-47
    std::optional<int> loop;              // 0 = until the call moves on
    bool operator==(const Say&) const = default;
};

struct Play {
    std::string url;
    std::optional<int> loop;
    std::optional<std::string> digits;  // DTMF to send instead of audio
    bool operator==(const Play&) const = default;
};

struct Pause {
    std::optional<int> length;  // seconds, 1..180
    bool operator==(const Pause&) const = default;
};

using GatherPrompt = std::variant<Say, Play, Pause>;

struct Gather {
    std::optional<std::string> action;
    std::optional<std::string> method;
    std::optional<std::string> input;  // "dtmf", "speech" or "dtmf speech"
    std::optional<int> timeout;        // seconds, 1..120
    std::optional<std::string> finish_on_key;
    std::optional<int> num_digits;
    std::optional<int> min_digits;
    std::optional<int> max_digits;
    std::optional<std::string> valid_digits;
    std::optional<std::string> language;
    std::optional<std::string> hints;           // comma-separated phrases for speech recognition
    std::optional<std::string> speech_timeout;  // seconds or "auto"
    std::vector<GatherPrompt> prompts;
    bool operator==(const Gather&) const = default;
};

struct Record {
    std::optional<std::string> action;
    std::optional<std::string> method;
    std::optional<int> max_length;  // seconds
    std::optional<int> timeout;     // seconds of silence that end the recording
    std::optional<std::string> finish_on_key;
    std::optional<bool> play_beep;
    std::optional<std::string> channels;  // single | dual
    std::optional<std::string> format;    // mp3 | wav
    std::optional<std::string> recording_status_callback;
    std::optional<bool> transcription;
    std::optional<std::string> transcription_callback;
    bool operator==(const Record&) const = default;
};

// <Number> and <Sip> inside <Dial>, and <Sip> inside <Refer>.
struct DialNumber {
    std::string number;
    std::optional<std::string> status_callback;
    std::optional<std::string> status_callback_event;
    std::optional<std::string> url;  // whisper played to the callee
    std::optional<std::string> send_digits;
    bool operator==(const DialNumber&) const = default;
};

struct DialSip {
    std::string uri;
    std::optional<std::string> status_callback;
    std::optional<std::string> status_callback_event;
    std::optional<std::string> url;
    std::optional<std::string> send_digits;
    bool operator==(const DialSip&) const = default;
};

struct DialQueue {
    std::string name;
    std::optional<std::string> url;
    bool operator==(const DialQueue&) const = default;
};

struct DialConference {
    std::string name;
    std::optional<bool> muted;
    std::optional<bool> start_conference_on_enter;
    std::optional<bool> end_conference_on_exit;
    std::optional<int> max_participants;  // <= 250
    std::optional<std::string> beep;      // true | false | onEnter | onExit
    std::optional<std::string> record;
    std::optional<std::string> status_callback;
    bool operator==(const DialConference&) const = default;
};

using DialTarget = std::variant<DialNumber, DialSip, DialQueue, DialConference>;

struct Dial {
    std::optional<std::string> action;
    std::optional<std::string> method;
    std::optional<std::string> caller_id;
    std::optional<int> timeout;     // seconds, 5..120
    std::optional<int> time_limit;  // seconds
    std::optional<bool> hangup_on_star;
    std::optional<std::string> record;  // do-not-record, record-from-answer, ...
    std::optional<bool> answer_on_bridge;
    std::vector<DialTarget> targets;
    bool operator==(const Dial&) const = default;
};

struct Hangup {
    bool operator==(const Hangup&) const = default;
};

struct Redirect {
    std::string url;
    std::optional<std::string> method;
    bool operator==(const Redirect&) const = default;
};

struct Reject {
    std::optional<std::string> reason;  // rejected | busy
    bool operator==(const Reject&) const = default;
};

struct Enqueue {
    std::string queue;
    std::optional<std::string> action;
    std::optional<std::string> method;
    std::optional<std::string> wait_url;
    std::optional<int> max_wait_time_secs;
    bool operator==(const Enqueue&) const = default;
};

struct Leave {
    bool operator==(const Leave&) const = default;
};

struct Refer {
    std::optional<std::string> action;
    std::optional<std::string> method;
    std::vector<DialSip> targets;
    bool operator==(const Refer&) const = default;
};

struct StreamParameter {
    std::string name;
    std::string value;
    bool operator==(const StreamParameter&) const = default;
};

struct Stream {
    std::optional<std::string> url;
    std::optional<std::string> track;  // inbound_track | outbound_track | both_tracks
    std::optional<std::string> name;
    std::optional<std::string> codec;
    std::optional<std::string> bidirectional_mode;  // mp3 | rtp
    std::optional<std::string> bidirectional_codec;
    std::optional<int> bidirectional_sampling_rate;
    std::vector<StreamParameter> parameters;
    bool operator==(const Stream&) const = default;
};

struct Transcription {
    std::optional<std::string> language;
    std::optional<bool> interim_results;
    std::optional<std::string> transcription_engine;
    std::optional<std::string> transcription_tracks;
    std::optional<std::string> transcription_callback;
    bool operator==(const Transcription&) const = default;
};

using MediaTask = std::variant<Stream, Transcription>;

struct Start {
    std::vector<MediaTask> tasks;
    bool operator==(const Start&) const = default;
};

struct Stop {
    std::vector<MediaTask> tasks;
    bool operator==(const Stop&) const = default;
};

using Instruction =
    std::variant<Say, Play, Pause, Gather, Record, Dial, Hangup, Redirect, Reject, Enqueue, Leave, Refer, Start, Stop>;

}  // namespace crossvoice::core::ivr
