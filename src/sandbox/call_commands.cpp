// CallSimulator: what each Call Control command does to a leg, and the media it simulates (speech, playback,
// gather, recording, streaming). Split from call_simulator.cpp, which holds the leg's life and the requests.
#include "sandbox/call_simulator.hpp"

#include <algorithm>
#include <utility>

#include "core/time_format.hpp"
#include "observability/logging.hpp"
#include "sandbox/number_plan.hpp"
#include "sandbox/random_ids.hpp"
#include "sandbox/recording_mixer.hpp"
#include "sandbox/webhook_event.hpp"

namespace crossvoice::sandbox {
namespace {

// Streaming is simulated without media: the events say it started and stopped, no WebSocket is opened.
constexpr std::string_view kDefaultStreamUrl = "wss://sandbox.invalid/stream";
constexpr int kSilenceRate = 16'000;

// What is said: SSML without its tags.
std::string spoken_text(const std::string& payload, const std::string& payload_type) {
    if (payload_type != "ssml") return payload;
    std::string text;
    bool in_tag = false;
    for (const char ch : payload) {
        if (ch == '<') {
            in_tag = true;
        } else if (ch == '>') {
            in_tag = false;
            text.push_back(' ');
        } else if (!in_tag) {
            text.push_back(ch);
        }
    }
    return text;
}

std::optional<TelnyxError> require_answered(const SandboxCall& call, std::string_view action) {
    if (call.phase == Phase::kAnswered) return std::nullopt;
    return invalid_call_state(std::string(action) + " needs an answered call; this one is " +
                              std::string(to_string(call.phase)) + ".");
}

}  // namespace

std::optional<TelnyxError> CallSimulator::apply(SandboxCall& call, Action action, const CommandRequest& request,
                                                const nlohmann::json& body) {
    switch (action) {
        case Action::kAnswer:
            if (!call.incoming) return invalid_call_state("Only an incoming call can be answered.");
            if (call.phase != Phase::kRinging) return invalid_call_state("The call has already been answered.");
            if (request.webhook_url) call.webhook_url = *request.webhook_url;
            call.record_on_answer = request.record;
            call.record_channels = request.record_channels;
            call.stream_on_answer = request.stream_url;
            answer(call);
            return std::nullopt;
        case Action::kReject:
            if (!call.incoming || call.phase != Phase::kRinging) {
                return invalid_call_state("Only an incoming call that has not been answered can be rejected.");
            }
            end(call, request.cause == "USER_BUSY" ? "user_busy" : "call_rejected", "callee");
            return std::nullopt;
        case Action::kHangup: our_hangup(call); return std::nullopt;
        case Action::kSpeak:
        case Action::kGatherUsingSpeak: {
            if (auto error = require_answered(call, action == Action::kSpeak ? "speak" : "gather_using_speak")) {
                return error;
            }
            const auto text = spoken_text(request.payload, request.payload_type);
            const auto duration =
                options_.speak_time_per_character * static_cast<long>(std::max<std::size_t>(1, text.size()));
            const auto prompt =
                queue_audio(call, {0, true, std::nullopt, std::nullopt}, duration, std::pair{text, request.language});
            if (action == Action::kGatherUsingSpeak) start_gather(call, request.gather, prompt);
            return std::nullopt;
        }
        case Action::kPlaybackStart:
        case Action::kGatherUsingAudio: {
            if (auto error = require_answered(
                    call, action == Action::kPlaybackStart ? "playback_start" : "gather_using_audio")) {
                return error;
            }
            const auto prompt = queue_audio(call, {0, false, request.audio_url, request.media_name},
                                            options_.playback_time, std::nullopt);
            if (action == Action::kGatherUsingAudio) start_gather(call, request.gather, prompt);
            return std::nullopt;
        }
        case Action::kPlaybackStop:
            ++call.audio_epoch;  // queued playbacks never start; queued speech still does
            if (!call.audio || !call.audio->speech) call.audio_busy_until = std::chrono::steady_clock::now();
            if (call.audio && !call.audio->speech) stop_audio(call, "cancelled");
            return std::nullopt;
        case Action::kGather:
            if (auto error = require_answered(call, "gather")) return error;
            start_gather(call, request.gather, std::chrono::milliseconds::zero());
            return std::nullopt;
        case Action::kTransfer: return transfer(call, request, body);
        case Action::kBridge: {
            auto* other = find(request.other_call_control_id);
            if (other == nullptr || other == &call) {
                return invalid_parameter("/call_control_id", "'call_control_id' must name another live call.");
            }
            if (other->phase == Phase::kEnded) {
                auto error = call_ended();
                error.detail = "The call to bridge with has already ended.";
                error.pointer = "/call_control_id";
                return error;
            }
            bridge(call, *other);
            return std::nullopt;
        }
        case Action::kRecordStart:
            if (auto error = require_answered(call, "record_start")) return error;
            // A second record_start while recording changes nothing.
            start_recording(call, request.channels, request.record_max_length, request.record_timeout_secs);
            return std::nullopt;
        case Action::kRecordStop:
            if (call.recording) stop_recording(call);
            return std::nullopt;
        case Action::kStreamingStart:
            if (!call.streaming) start_streaming(call, request.stream_url.value_or(std::string(kDefaultStreamUrl)));
            return std::nullopt;
        case Action::kStreamingStop:
            if (call.streaming) {
                emit(call, "streaming.stopped", {{"stream_url", *call.streaming}});
                call.streaming.reset();
            }
            return std::nullopt;
        case Action::kSendDtmf: return require_answered(call, "send_dtmf");  // the far end hears them; no event
        case Action::kTranscriptionStart:
        case Action::kTranscriptionStop: return std::nullopt;  // accepted; the sandbox sends no transcription
    }
    return std::nullopt;
}

std::optional<TelnyxError> CallSimulator::transfer(SandboxCall& call, const CommandRequest& request,
                                                   const nlohmann::json& body) {
    if (call.phase != Phase::kAnswered && !(call.incoming && call.phase == Phase::kRinging)) {
        return invalid_call_state("transfer needs an answered call, or an incoming one still ringing.");
    }
    // The target rings by the number table, except that the rows failing a dial request answer like any number:
    // the transfer command itself has already been accepted.
    auto behaviour = behaviour_for(request.to);
    if (fails_dial(behaviour)) behaviour = NumberBehaviour::kAnswers;

    auto leg = new_leg(call.public_base);
    leg.call_session_id = call.call_session_id;  // one session: the original leg and its transfer target
    leg.connection_id = call.connection_id;
    leg.from = request.from.value_or(call.from);
    leg.to = request.to;
    leg.client_state = request.target_leg_client_state;
    leg.webhook_url = request.webhook_url.value_or(call.webhook_url);
    leg.behaviour = behaviour;
    leg.transferred_from = call.call_control_id;
    auto& target = add(std::move(leg));
    log_command(target, "transfer", body, 200, false);
    schedule_outgoing(target, std::nullopt, std::nullopt);
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------------------------
// Audio: speak and playback share a queue

std::chrono::milliseconds CallSimulator::queue_audio(SandboxCall& call, PlayingAudio audio,
                                                     std::chrono::milliseconds duration,
                                                     std::optional<std::pair<std::string, std::string>> speech) {
    const auto now = std::chrono::steady_clock::now();
    const auto start = std::max(now, call.audio_busy_until);
    call.audio_busy_until = start + duration;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(start - now);
    audio.id = ++next_id_;
    const auto epoch = call.audio_epoch;

    at(wait, call.call_control_id, [this, audio, epoch, speech](SandboxCall& leg) {
        if (leg.phase != Phase::kAnswered || (!audio.speech && leg.audio_epoch != epoch)) return;
        // Should a stop have let two items overlap, the earlier one ends here: every started gets its ended.
        stop_audio(leg, "completed");
        leg.audio = audio;
        if (audio.speech) {
            emit(leg, "call.speak.started");
            if (leg.recording && speech) leg.recording->our_speech.push_back(*speech);
        } else {
            emit(leg, "call.playback.started",
                 {{"media_url", audio.media_url ? nlohmann::json(*audio.media_url) : nlohmann::json(nullptr)},
                  {"media_name", audio.media_name ? nlohmann::json(*audio.media_name) : nlohmann::json(nullptr)},
                  {"overlay", false}});
        }
    });
    at(wait + duration, call.call_control_id, [this, id = audio.id](SandboxCall& leg) {
        if (leg.audio && leg.audio->id == id) stop_audio(leg, "completed");
    });
    return wait + duration;
}

void CallSimulator::stop_audio(SandboxCall& call, std::string_view status) {
    if (!call.audio) return;
    const auto audio = *call.audio;
    call.audio.reset();
    if (audio.speech) {
        emit(call, "call.speak.ended", {{"status", status}});
    } else {
        emit(call, "call.playback.ended",
             {{"media_url", audio.media_url ? nlohmann::json(*audio.media_url) : nlohmann::json(nullptr)},
              {"media_name", audio.media_name ? nlohmann::json(*audio.media_name) : nlohmann::json(nullptr)},
              {"overlay", false},
              {"status", status}});
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Gather: digits come from POST {prefix}/sandbox/calls/{id}/dtmf

void CallSimulator::start_gather(SandboxCall& call, const GatherSettings& settings, std::chrono::milliseconds prompt) {
    if (call.gather) finish_gather(call, "cancelled");  // a new gather replaces the old one
    const auto id = ++next_id_;
    call.gather = GatherState{id, settings, {}, 0};
    // Telnyx starts the clock once the prompt has played.
    at(prompt + std::chrono::milliseconds(settings.timeout_millis), call.call_control_id, [this, id](SandboxCall& leg) {
        if (!leg.gather || leg.gather->id != id) return;
        const auto& gather = *leg.gather;
        if (gather.digits.empty()) {
            finish_gather(leg, "timeout");
        } else {
            const bool enough = static_cast<int>(gather.digits.size()) >= gather.settings.minimum_digits;
            finish_gather(leg, enough ? "valid" : "invalid");
        }
    });
}

void CallSimulator::press(SandboxCall& call, char digit) {
    emit(call, "call.dtmf.received", {{"digit", std::string(1, digit)}});
    if (!call.gather) return;
    auto& gather = *call.gather;
    const auto& settings = gather.settings;
    const bool enough = static_cast<int>(gather.digits.size()) >= settings.minimum_digits;
    if (!settings.terminating_digit.empty() && digit == settings.terminating_digit.front()) {
        finish_gather(call, enough ? "valid" : "invalid");
        return;
    }
    if (!settings.valid_digits.empty() && settings.valid_digits.find(digit) == std::string::npos) {
        finish_gather(call, "invalid");
        return;
    }
    gather.digits.push_back(digit);
    if (static_cast<int>(gather.digits.size()) >= settings.maximum_digits) {
        finish_gather(call, "valid");
        return;
    }
    const auto count = ++gather.digit_count;
    at(std::chrono::milliseconds(settings.inter_digit_timeout_millis), call.call_control_id,
       [this, id = gather.id, count](SandboxCall& leg) {
           if (!leg.gather || leg.gather->id != id || leg.gather->digit_count != count) return;
           const bool done = static_cast<int>(leg.gather->digits.size()) >= leg.gather->settings.minimum_digits;
           finish_gather(leg, done ? "valid" : "invalid");
       });
}

void CallSimulator::finish_gather(SandboxCall& call, std::string_view status) {
    if (!call.gather) return;
    const auto digits = std::move(call.gather->digits);
    call.gather.reset();
    emit(call, "call.gather.ended", {{"digits", digits}, {"status", status}});
}

// ---------------------------------------------------------------------------------------------------------------
// Recording and streaming

void CallSimulator::start_recording(SandboxCall& call, const std::string& channels, std::optional<int> max_length,
                                    std::optional<int> timeout_secs) {
    if (call.recording) return;
    RecordingState recording;
    recording.id = random_uuid();
    recording.started_at = clock_.now();
    recording.channels = channels;
    if (timeout_secs && *timeout_secs > 0) recording.timeout_secs = timeout_secs;
    call.recording = std::move(recording);
    if (max_length && *max_length > 0) {
        at(options_.record_second * *max_length, call.call_control_id,
           [this, id = call.recording->id](SandboxCall& leg) {
               if (leg.recording && leg.recording->id == id) stop_recording(leg);
           });
    }
    hear_far_end(call);
}

void CallSimulator::hear_far_end(SandboxCall& call) {
    if (!call.recording || call.pending_speech.empty()) return;
    auto& recording = *call.recording;
    // Telnyx's silence timer starts once speech is heard: one utterance, then the pause that ends it.
    if (recording.timeout_secs && !recording.caller_speech.empty()) return;
    auto said = std::move(call.pending_speech.front());
    call.pending_speech.pop_front();
    const auto speaking = options_.speak_time_per_character * static_cast<int>(said.first.size());
    recording.caller_speech.push_back(std::move(said));
    if (recording.timeout_secs) {
        at(speaking + options_.record_second * *recording.timeout_secs, call.call_control_id,
           [this, id = recording.id](SandboxCall& leg) {
               if (leg.recording && leg.recording->id == id) stop_recording(leg);
           });
    }
}

void CallSimulator::stop_recording(SandboxCall& call) {
    if (!call.recording) return;
    auto recording = std::move(*call.recording);
    call.recording.reset();
    RecordingJob job;
    job.id = recording.id;
    job.channels = recording.channels;
    job.our_speech = std::move(recording.our_speech);
    job.caller_speech = std::move(recording.caller_speech);
    job.scripted = call.scripted_speech;
    job.started_at = recording.started_at;
    job.ended_at = clock_.now();
    job.gone = call.behaviour == NumberBehaviour::kRecordingGone;
    job.url = call.public_base + "/recordings/" + recording.id + ".wav";
    job.webhook_url = call.webhook_url;
    job.payload = common_payload(call);
    call.recording_ids.push_back(recording.id);
    call.events.emplace_back("call.recording.saved");
    // Synthesis blocks, so it happens on the delivery thread, which then sends call.recording.saved: the URL
    // never reaches the service before the file exists, and the event stays behind this leg's earlier ones.
    deliveries_.post([this, job = std::move(job)] { save_recording(job); });
}

void CallSimulator::start_streaming(SandboxCall& call, std::string url) {
    call.streaming = url;
    emit(call, "streaming.started", {{"stream_url", std::move(url)}});
}

void CallSimulator::save_recording(const RecordingJob& job) {
    std::vector<PcmAudio> ours;
    for (const auto& [text, language] : job.our_speech) ours.push_back(synthesize(text, language));
    if (job.scripted) {
        std::vector<PcmAudio> theirs;
        for (const auto& [text, language] : job.caller_speech) theirs.push_back(synthesize(text, language));
        recordings_.put(job.id,
                        {mix_recording(ours, join_audio(theirs, kSilenceRate), job.channels == "dual"), job.gone});
    } else {
        if (!far_end_audio_) far_end_audio_ = synthesize(options_.callee_speech, "en-US");
        recordings_.put(job.id, {mix_recording(ours, *far_end_audio_, job.channels == "dual"), job.gone});
    }

    auto payload = job.payload;
    const nlohmann::json urls{{"wav", job.url}};
    payload.update({{"recording_id", job.id},
                    {"recording_urls", urls},
                    {"public_recording_urls", urls},
                    {"recording_started_at", core::format_rfc3339(job.started_at)},
                    {"recording_ended_at", core::format_rfc3339(job.ended_at)},
                    {"channels", job.channels},
                    {"format", "wav"}});
    sender_.deliver(job.webhook_url, event_data("call.recording.saved", std::move(payload), clock_.now()));
}

PcmAudio CallSimulator::synthesize(std::string_view text, std::string_view language) {
    auto wav = speech_.synthesize_wav(text, language);
    if (wav) {
        if (auto audio = core::parse_wav(*wav)) return std::move(*audio);
        observability::logger("sandbox")->warn("speech synthesizer returned audio that is not 16-bit PCM WAV");
    } else {
        observability::logger("sandbox")->warn("speech synthesis failed: {}", wav.error().message);
    }
    // A second of silence keeps the recording a valid file with the right shape.
    return PcmAudio{kSilenceRate, 1, std::vector<std::int16_t>(kSilenceRate, 0)};
}

}  // namespace crossvoice::sandbox
