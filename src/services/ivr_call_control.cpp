#include "services/ivr_call_control.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/client_state.hpp"
#include "core/e164.hpp"
#include "services/ivr_steps.hpp"

namespace crossvoice::services {

namespace ivr = core::ivr;
using core::CallEventType;

namespace {

constexpr std::string_view kCarrierKey = "carrier:call-control";

bool relevant(CallEventType type) {
    switch (type) {
        case CallEventType::kInitiated:
        case CallEventType::kAnswered:
        case CallEventType::kSpeakEnded:
        case CallEventType::kPlaybackEnded:
        case CallEventType::kGatherEnded:
        case CallEventType::kRecordingSaved:
        case CallEventType::kBridged:
        case CallEventType::kDtmfReceived:
        case CallEventType::kHangup: return true;
        default: return false;
    }
}

// Call Control speaks with "male"/"female"; TeXML's names map onto those.
std::string call_control_voice(const std::optional<std::string>& voice) {
    return voice && *voice == "man" ? "male" : "female";
}

std::string dial_status_of(const core::CallEvent& event) {
    const auto cause = event.hangup_cause.value_or("");
    if (cause == "user_busy" || cause == "call_rejected") return "busy";
    if (cause == "no_answer" || cause == "timeout") return "no-answer";
    return "failed";
}

core::ports::CommandOptions options_for(const core::Call& call, std::string command_id) {
    core::ports::CommandOptions options;
    options.client_state = core::encode_client_state({call.platform, call.session_id, call.id});
    options.command_id = std::move(command_id);
    return options;
}

core::ports::GatherOptions gather_options(const ivr::Gather& gather) {
    core::ports::GatherOptions out;
    if (gather.num_digits) {
        out.minimum_digits = out.maximum_digits = *gather.num_digits;
    } else {
        out.minimum_digits = gather.min_digits;
        out.maximum_digits = gather.max_digits;
    }
    if (gather.timeout) out.timeout_millis = *gather.timeout * 1000;
    out.terminating_digit = gather.finish_on_key;
    out.valid_digits = gather.valid_digits;
    return out;
}

}  // namespace

core::Result<bool> IvrCallControl::prepare(const core::CallEvent& event,
                                           const std::optional<std::string>& call_id_hint) {
    if (!relevant(event.type)) return false;
    // Keys outside a gather matter only to a node listening by recording.
    if (event.type == CallEventType::kDtmfReceived && listen_jobs_ == nullptr) return false;
    core::Result<std::optional<core::Call>> call = std::optional<core::Call>();
    if (call_id_hint) {
        call = calls_.find_by_id_any_platform(*call_id_hint);
    } else if (!event.call_control_id.empty()) {
        call = calls_.find_by_control_id(event.call_control_id);
    }
    if (!call) return std::move(call).error();
    if (*call) return (*call)->flow.has_value();
    if (event.type == CallEventType::kInitiated && event.direction == "incoming") return open_inbound(event);
    return false;
}

core::Result<bool> IvrCallControl::open_inbound(const core::CallEvent& event) {
    if (!event.to || event.call_control_id.empty()) return false;
    auto route = flows_.route_for(*event.to);
    if (!route) return std::move(route).error();
    if (!*route) return false;  // not ours to answer: another application on the connection may take it
    const auto platform = (*route)->platform;
    auto flow = flows_.flow(platform, (*route)->flow);
    if (!flow) return std::move(flow).error();

    NewSession new_session;
    new_session.channel = "voice";
    if (event.from && core::is_e164(*event.from)) new_session.phone_number = *event.from;
    new_session.metadata_json = inbound_session_metadata(*event.to, (*route)->flow, "call-control");
    auto session = sessions_.open(core::Principal{platform, std::string(kCarrierKey)}, std::move(new_session));
    if (!session) return std::move(session).error();

    core::Call call;
    call.id = ids_.next(core::kCallIdPrefix);
    call.platform = platform;
    call.session_id = session->id;
    call.direction = core::CallDirection::kInbound;
    call.from = event.from.value_or("");
    call.to = *event.to;
    call.call_control_id = event.call_control_id;
    call.call_leg_id = event.call_leg_id;
    call.call_session_id = event.call_session_id;
    call.record = false;
    call.language = (*flow)->language;
    call.flow = (*route)->flow;
    call.created_at = call.updated_at = clock_.now();
    auto inserted = calls_.insert(call);
    if (!inserted && inserted.error().code != core::ErrorCode::kConflict) return std::move(inserted).error();
    if (inserted && metrics_ != nullptr) metrics_->count_call(call.state);
    return true;  // inserted now, or by a concurrent delivery of the same event
}

core::Status IvrCallControl::follow_up(const core::CallEvent& event, const std::optional<core::Call>& found) {
    if (!found || !found->flow) return {};
    const auto& call = *found;
    const bool own_leg = event.call_control_id == call.call_control_id;
    if (event.type == CallEventType::kInitiated) {
        if (!own_leg || call.direction != core::CallDirection::kInbound || core::is_terminal(call.state)) return {};
        core::ports::AnswerRequest answer;
        answer.options = options_for(call, fmt::format("ivr-{}-answer", call.id));
        return carrier_.answer(call.call_control_id, answer);
    }
    if (event.type == CallEventType::kAnswered) return own_leg ? start(call) : core::Status{};

    auto stored = ivr_calls_.find(call.id);
    if (!stored) return std::move(stored).error();
    if (!*stored || (*stored)->cursor == core::ports::kExecutedByCarrier) return {};
    auto record = std::move(**stored);
    const auto awaiting = record.state.awaiting;
    switch (event.type) {
        case CallEventType::kSpeakEnded:
        case CallEventType::kPlaybackEnded: return own_leg ? advance(call, std::move(record), false) : core::Status{};
        case CallEventType::kGatherEnded: {
            // SHANGO's node listens with a keypad gather here (Call Control gathers hear no speech): a key leaves it.
            const bool listening = awaiting == ivr::Awaiting::kMenu || awaiting == ivr::Awaiting::kCollect ||
                                   awaiting == ivr::Awaiting::kAssistant;
            if (!own_leg || !listening) return {};
            const auto digits = event.digits.value_or("");
            auto input = ivr::input_of(digits.empty() ? ivr::InputKind::kNoInput : ivr::InputKind::kDigits);
            input.digits = digits;
            return apply_input(call, std::move(record), input);
        }
        case CallEventType::kDtmfReceived: {
            // A key while SHANGO listens: stop the recording (its words are no longer wanted) and leave the node.
            if (!own_leg || awaiting != ivr::Awaiting::kAssistant || listen_jobs_ == nullptr) return {};
            const auto stop_id = fmt::format("ivr-{}-{}-stop", call.id, record.state.step);
            if (auto stopped = carrier_.record_stop(call.call_control_id, options_for(call, stop_id)); !stopped) {
                return stopped;
            }
            auto input = ivr::input_of(ivr::InputKind::kDigits);
            input.digits = event.digits.value_or("");
            return apply_input(call, std::move(record), input);
        }
        case CallEventType::kRecordingSaved: {
            if (awaiting == ivr::Awaiting::kAssistant && listen_jobs_ != nullptr) {
                return own_leg ? queue_listen(call, record, event) : core::Status{};
            }
            if (awaiting != ivr::Awaiting::kRecording) return {};
            auto input = ivr::input_of(ivr::InputKind::kRecorded);
            if (event.recording)
                input.recording_url = event.recording->wav_url.value_or(event.recording->mp3_url.value_or(""));
            return apply_input(call, std::move(record), input);
        }
        case CallEventType::kBridged: {
            if (awaiting != ivr::Awaiting::kDial) return {};
            auto input = ivr::input_of(ivr::InputKind::kDialEnded);
            input.dial_status = "answered";
            return apply_input(call, std::move(record), input);
        }
        case CallEventType::kHangup: {
            // The far leg of a transfer ending before it was bridged: nobody answered.
            if (own_leg || awaiting != ivr::Awaiting::kDial) return {};
            auto input = ivr::input_of(ivr::InputKind::kDialEnded);
            input.dial_status = dial_status_of(event);
            return apply_input(call, std::move(record), input);
        }
        default: return {};
    }
}

core::Result<ivr::StepResult> IvrCallControl::run(const core::Call& call, const ivr::IvrState& state,
                                                  const ivr::CallerInput& input) {
    return run_ivr_step(flows_, zones_, (hours_clock_ != nullptr ? *hours_clock_ : clock_).now(), call.platform, state,
                        input, assistant_, &call);
}

core::Status IvrCallControl::start(const core::Call& call) {
    auto existing = ivr_calls_.find(call.id);
    if (!existing) return std::move(existing).error();
    if (*existing) return {};  // started by an earlier delivery
    ivr::IvrState state;
    state.flow = *call.flow;
    auto result = run(call, state, ivr::input_of(ivr::InputKind::kStart));
    core::ports::IvrCallRecord record;
    record.call_id = call.id;
    record.platform = call.platform;
    if (!result) {
        if (result.error().code != core::ErrorCode::kValidation) return std::move(result).error();
        result = ivr_error_ending(state);
    }
    record.state = std::move(result->state);
    record.reply = markup_.render(listening(record.state, std::move(result->instructions)));
    record.updated_at = clock_.now();
    return advance(call, std::move(record), true);
}

core::Status IvrCallControl::apply_input(const core::Call& call, core::ports::IvrCallRecord record,
                                         const ivr::CallerInput& input) {
    auto result = run(call, record.state, input);
    std::vector<ivr::Instruction> instructions;
    if (!result) {
        if (result.error().code == core::ErrorCode::kConflict) return {};  // not what the flow waits for: ignore
        if (result.error().code != core::ErrorCode::kValidation) return std::move(result).error();
        auto ended = ivr_error_ending(record.state);
        record.state = std::move(ended.state);
        instructions = std::move(ended.instructions);
    } else {
        record.state = std::move(result->state);
        // A bridged transfer or queue leaves the caller talking to a person: nothing more to send.
        const bool connected = record.state.outcome == "transferred" || record.state.outcome == "queued";
        if (!connected) instructions = std::move(result->instructions);
    }
    record.reply = markup_.render(listening(record.state, std::move(instructions)));
    record.cursor = 0;
    record.updated_at = clock_.now();
    return advance(call, std::move(record), false);
}

std::vector<ivr::Instruction> IvrCallControl::listening(const ivr::IvrState& state,
                                                        std::vector<ivr::Instruction> instructions) const {
    if (listen_jobs_ == nullptr || state.awaiting != ivr::Awaiting::kAssistant) return instructions;
    std::vector<ivr::Instruction> out;
    for (auto& instruction : instructions) {
        auto* gather = std::get_if<ivr::Gather>(&instruction);
        if (gather == nullptr) {
            out.push_back(std::move(instruction));
            continue;
        }
        for (auto& prompt : gather->prompts) {
            if (auto* say = std::get_if<ivr::Say>(&prompt)) out.emplace_back(std::move(*say));
            if (auto* play = std::get_if<ivr::Play>(&prompt)) out.emplace_back(std::move(*play));
        }
        // The silence timer starts once the caller speaks; a caller who never does is heard as silence when
        // max_length runs out, so it also bounds how long "Are you still there?" takes.
        ivr::Record record;
        record.timeout = kListenSilenceSeconds;
        record.max_length = std::min(kListenMaxSeconds, gather->timeout.value_or(5) + 10);
        record.play_beep = false;
        record.channels = "single";
        record.format = "wav";
        out.emplace_back(std::move(record));
    }
    return out;
}

core::Status IvrCallControl::queue_listen(const core::Call& call, const core::ports::IvrCallRecord& record,
                                          const core::CallEvent& event) {
    if (!event.recording) return {};
    const auto url = event.recording->wav_url.value_or(event.recording->mp3_url.value_or(""));
    if (url.empty()) return {};
    nlohmann::json payload{{"callId", call.id},
                           {"step", record.state.step},
                           {"url", url},
                           {"language", record.state.language.empty() ? call.language : record.state.language}};
    NewJob job;
    job.kind = std::string(kIvrListenJob);
    job.payload_json = payload.dump();
    job.platform = std::string(core::to_string(call.platform));
    job.dedupe_key = "listen:" + event.id;
    auto submitted = listen_jobs_->submit(std::move(job));
    if (!submitted) return std::move(submitted).error();
    return {};
}

bool IvrCallControl::archives_recording(const core::CallEvent& event, const std::optional<core::Call>& call) {
    if (event.type != CallEventType::kRecordingSaved || listen_jobs_ == nullptr || !call || !call->flow) return true;
    auto stored = ivr_calls_.find(call->id);
    if (!stored || !*stored) return true;
    return (*stored)->state.awaiting != ivr::Awaiting::kAssistant;
}

core::Status IvrCallControl::hear(const std::string& call_id, int step, const std::string& speech) {
    auto call = calls_.find_by_id_any_platform(call_id);
    if (!call) return std::move(call).error();
    if (!*call || core::is_terminal((*call)->state)) return {};
    auto stored = ivr_calls_.find(call_id);
    if (!stored) return std::move(stored).error();
    if (!*stored) return {};
    auto record = std::move(**stored);
    if (record.state.awaiting != ivr::Awaiting::kAssistant || record.state.step != step) return {};  // moved on
    auto input = ivr::input_of(speech.empty() ? ivr::InputKind::kNoInput : ivr::InputKind::kSpeech);
    input.speech = speech;
    return apply_input(**call, std::move(record), input);
}

core::Status IvrCallControl::advance(const core::Call& call, core::ports::IvrCallRecord record, bool created) {
    auto instructions = markup_.parse(record.reply);
    if (!instructions) return std::move(instructions).error();
    bool left_queue = false;
    for (auto i = static_cast<std::size_t>(std::max(record.cursor, 0)); i < instructions->size(); ++i) {
        bool waits = false;
        const auto command_id = fmt::format("ivr-{}-{}-{}", call.id, record.state.step, i);
        if (auto sent = execute(call, (*instructions)[i], command_id, waits); !sent) return sent;
        record.cursor = static_cast<int>(i) + 1;
        left_queue = std::holds_alternative<ivr::Enqueue>((*instructions)[i]);
        if (waits) break;
    }
    record.updated_at = clock_.now();
    if (created) {
        if (auto saved = ivr_calls_.create(record); !saved && saved.error().code != core::ErrorCode::kConflict) {
            return saved;
        }
    } else if (auto saved = ivr_calls_.update(record); !saved) {
        // Another delivery advanced the call first; its commands carried the same ids as ours.
        if (saved.error().code == core::ErrorCode::kConflict) return {};
        return std::move(saved).error();
    } else {
        record.version = *saved;
    }
    if (left_queue) {
        // Call Control has no queues of its own: a queue node goes straight to its way out.
        auto input = ivr::input_of(ivr::InputKind::kQueueLeft);
        input.dial_status = "leave";
        if (created) {
            auto reloaded = ivr_calls_.find(call.id);
            if (!reloaded) return std::move(reloaded).error();
            if (!*reloaded) return {};
            record = std::move(**reloaded);
        }
        return apply_input(call, std::move(record), input);
    }
    return {};
}

core::Status IvrCallControl::execute(const core::Call& call, const ivr::Instruction& instruction,
                                     const std::string& command_id, bool& waits) {
    const auto& id = call.call_control_id;
    waits = true;
    if (const auto* say = std::get_if<ivr::Say>(&instruction)) {
        core::ports::SpeakRequest speak;
        speak.payload = say->text;
        speak.voice = call_control_voice(say->voice);
        speak.language = say->language;
        speak.options = options_for(call, command_id);
        return carrier_.speak(id, speak);
    }
    if (const auto* play = std::get_if<ivr::Play>(&instruction)) {
        core::ports::PlaybackStartRequest playback;
        playback.audio_url = play->url;
        playback.options = options_for(call, command_id);
        return carrier_.playback_start(id, playback);
    }
    if (const auto* gather = std::get_if<ivr::Gather>(&instruction)) {
        std::string payload;
        std::optional<std::string> audio;
        std::optional<std::string> language;
        std::optional<std::string> voice;
        for (const auto& prompt : gather->prompts) {
            if (const auto* say = std::get_if<ivr::Say>(&prompt)) {
                if (!payload.empty()) payload += ' ';
                payload += say->text;
                language = say->language;
                voice = say->voice;
            } else if (const auto* play = std::get_if<ivr::Play>(&prompt); play != nullptr && !audio) {
                audio = play->url;
            }
        }
        if (audio && payload.empty()) {
            core::ports::GatherUsingAudioRequest request;
            request.audio_url = audio;
            request.gather = gather_options(*gather);
            request.options = options_for(call, command_id);
            return carrier_.gather_using_audio(id, request);
        }
        core::ports::GatherUsingSpeakRequest request;
        request.payload = payload.empty() ? std::string("Please make your choice.") : payload;
        request.voice = call_control_voice(voice);
        request.language = language;
        request.gather = gather_options(*gather);
        request.options = options_for(call, command_id);
        return carrier_.gather_using_speak(id, request);
    }
    if (const auto* record = std::get_if<ivr::Record>(&instruction)) {
        core::ports::RecordStartRequest request;
        request.channels = "single";
        request.format = "wav";
        request.play_beep = record->play_beep.value_or(true);
        request.max_length = record->max_length;
        request.timeout_secs = record->timeout;
        request.options = options_for(call, command_id);
        return carrier_.record_start(id, request);
    }
    if (const auto* dial = std::get_if<ivr::Dial>(&instruction)) {
        // Call Control transfers to one destination: the first target (the flow lists the preferred one first).
        core::ports::TransferRequest request;
        for (const auto& target : dial->targets) {
            if (const auto* number = std::get_if<ivr::DialNumber>(&target)) request.to = number->number;
            if (const auto* sip = std::get_if<ivr::DialSip>(&target)) request.to = sip->uri;
            if (!request.to.empty()) break;
        }
        if (request.to.empty()) return core::Error::validation("transfer", "a transfer needs a number or SIP URI");
        request.timeout_secs = dial->timeout;
        request.from = dial->caller_id;
        request.target_leg_client_state = core::encode_client_state({call.platform, call.session_id, call.id});
        request.options = options_for(call, command_id);
        return carrier_.transfer(id, request);
    }
    if (std::holds_alternative<ivr::Hangup>(instruction)) {
        return carrier_.hangup(id, options_for(call, command_id));
    }
    if (const auto* reject = std::get_if<ivr::Reject>(&instruction)) {
        core::ports::RejectRequest request;
        request.cause = reject->reason == "busy" ? "USER_BUSY" : "CALL_REJECTED";
        request.options = options_for(call, command_id);
        return carrier_.reject(id, request);
    }
    waits = false;  // Pause, Enqueue, Redirect and media verbs have no Call Control command to wait for
    return {};
}

}  // namespace crossvoice::services
