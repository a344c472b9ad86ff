#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "http/message.hpp"
#include "sandbox/command_request.hpp"
#include "sandbox/number_plan.hpp"

namespace crossvoice::sandbox {

// Where a leg is in its life. kDialing: created, call.initiated not yet sent; kRinging: call.initiated sent
// (outgoing: ringing the far end; incoming: parked, waiting for answer or reject).
enum class Phase { kDialing, kRinging, kAnswered, kEnded };

std::string_view to_string(Phase phase);

// One command as it arrived, for GET {prefix}/sandbox/calls/{id}: lets tests and the simulator see exactly what
// the service asked for.
struct CommandRecord {
    std::string action;
    nlohmann::json body;
    int status = 200;
    bool repeat = false;  // answered from the command_id memory, no effect
    std::string received_at;
};

struct GatherState {
    std::uint64_t id = 0;  // timers check it: a gather that ended or was replaced ignores its old timers
    GatherSettings settings;
    std::string digits;
    std::uint64_t digit_count = 0;  // inter-digit timers check it
};

struct RecordingState {
    std::string id;
    core::TimePoint started_at{};
    std::string channels = "dual";
    std::vector<std::pair<std::string, std::string>> our_speech;     // (text, language) spoken while recording
    std::vector<std::pair<std::string, std::string>> caller_speech;  // (text, language) the far end said into it
    std::optional<int> timeout_secs;                                 // silence after speech that ends it
};

struct PlayingAudio {
    std::uint64_t id = 0;
    bool speech = false;  // speak; otherwise playback
    std::optional<std::string> media_url;
    std::optional<std::string> media_name;
};

// What the sandbox knows about one call leg. Lives in CallSimulator's map and is only touched under its lock.
struct SandboxCall {
    std::string call_control_id;
    std::string call_leg_id;
    std::string call_session_id;
    std::string connection_id;
    std::string from;
    std::string to;
    bool incoming = false;
    std::optional<std::string> client_state;  // base64 as given; echoed in every webhook
    std::string webhook_url;
    std::string public_base;  // "http://host/prefix": recording URLs start here
    NumberBehaviour behaviour = NumberBehaviour::kAnswers;
    Phase phase = Phase::kDialing;

    core::TimePoint start_time{};
    std::optional<core::TimePoint> answered_at;
    std::optional<core::TimePoint> end_time;
    std::optional<std::string> hangup_cause;
    std::optional<std::string> hangup_source;

    // Set up by the dial (or answer) and acted on when the call is answered.
    bool record_on_answer = false;
    std::string record_channels = "dual";
    std::optional<std::string> answering_machine_detection;
    std::optional<std::string> stream_on_answer;

    std::optional<RecordingState> recording;
    // What the far end will say (POST /sandbox/calls/{id}/speech), (text, language) in order. Once a leg was
    // given speech, its recordings hold only what it said; otherwise they hold the default far-end speech.
    std::deque<std::pair<std::string, std::string>> pending_speech;
    bool scripted_speech = false;
    std::optional<GatherState> gather;
    // speak and playback share one audio queue, as on a real leg: each starts when the one before has ended.
    std::optional<PlayingAudio> audio;                         // what is playing now
    std::chrono::steady_clock::time_point audio_busy_until{};  // when the last queued item ends
    std::uint64_t audio_epoch = 0;                             // playback_stop bumps it: queued playbacks are dropped
    std::optional<std::string> streaming;                      // the stream_url while streaming
    std::optional<std::string> bridged_with;
    std::optional<std::string> transferred_from;  // a transfer's new leg: bridged to this leg when answered

    std::vector<CommandRecord> commands;
    std::vector<std::string> events;  // event types in the order they were queued
    std::vector<std::string> recording_ids;
    // command_id -> (when, the answer given): a repeat within 60 s gets the same answer and does nothing.
    std::map<std::string, std::pair<std::chrono::steady_clock::time_point, http::Response>> command_ids;
};

// The call as GET {prefix}/sandbox/calls/{id} shows it.
nlohmann::json describe(const SandboxCall& call);

}  // namespace crossvoice::sandbox
