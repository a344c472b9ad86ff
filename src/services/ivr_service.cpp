#include "services/ivr_service.hpp"

#include <fmt/format.h>

#include <charconv>

#include "core/e164.hpp"
#include "services/ivr_steps.hpp"

namespace crossvoice::services {

namespace ivr = core::ivr;

namespace {

constexpr std::string_view kCarrierKey = "carrier:texml";

// Our own parameters on the action URLs: which step the callback answers and what kind of callback it is.
std::string callback_url(const std::string& base, int step, std::string_view input) {
    return fmt::format("{}{}step={}&input={}", base, base.find('?') == std::string::npos ? '?' : '&', step, input);
}

}  // namespace

std::optional<std::string> param(const FormParams& params, std::string_view name) {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return std::nullopt;
}

core::Result<ivr::CallerInput> caller_input(std::string_view input, const FormParams& params) {
    const auto value = [&](std::string_view name) { return param(params, name).value_or(""); };
    if (input == "gather") {
        if (auto digits = value("Digits"); !digits.empty()) {
            auto out = ivr::input_of(ivr::InputKind::kDigits);
            out.digits = std::move(digits);
            return out;
        }
        if (auto speech = value("SpeechResult"); !speech.empty()) {
            auto out = ivr::input_of(ivr::InputKind::kSpeech);
            out.speech = std::move(speech);
            const auto confidence = value("Confidence");
            double parsed = 1.0;
            if (!confidence.empty()) {
                const auto [end, error] =
                    std::from_chars(confidence.data(), confidence.data() + confidence.size(), parsed);
                if (error != std::errc() || end != confidence.data() + confidence.size() || parsed < 0 || parsed > 1) {
                    return core::Error::validation("Confidence", "Confidence must be a number from 0 to 1");
                }
            }
            out.confidence = parsed;
            return out;
        }
        return ivr::input_of(ivr::InputKind::kNoInput);
    }
    if (input == "none") return ivr::input_of(ivr::InputKind::kNoInput);
    if (input == "record") {
        auto out = ivr::input_of(ivr::InputKind::kRecorded);
        out.recording_url = value("RecordingUrl");
        return out;
    }
    if (input == "dial") {
        auto out = ivr::input_of(ivr::InputKind::kDialEnded);
        out.dial_status = value("DialCallStatus");
        if (out.dial_status.empty()) return core::Error::validation("DialCallStatus", "DialCallStatus is missing");
        return out;
    }
    if (input == "queue") {
        auto out = ivr::input_of(ivr::InputKind::kQueueLeft);
        out.dial_status = value("QueueResult");
        return out;
    }
    return core::Error::validation("input",
                                   fmt::format("input '{}' is not one of gather, none, record, dial, queue", input));
}

core::Result<core::CallEvent> texml_call_event(const FormParams& params, core::TimePoint received_at) {
    const auto call_sid = param(params, "CallSid");
    if (!call_sid || call_sid->empty()) return core::Error::validation("CallSid", "CallSid is missing");
    core::CallEvent event;
    event.call_control_id = *call_sid;
    event.occurred_at = received_at;
    event.from = param(params, "From");
    event.to = param(params, "To");
    event.direction = param(params, "Direction");
    event.connection_id = param(params, "ConnectionId");

    const auto recording_sid = param(params, "RecordingSid");
    const auto recording_url = param(params, "RecordingUrl");
    if (recording_sid || recording_url) {
        if (!recording_url || recording_url->empty()) {
            return core::Error::validation("RecordingUrl", "a recording callback needs RecordingUrl");
        }
        event.type = core::CallEventType::kRecordingSaved;
        event.event_type = "texml.recording." + param(params, "RecordingStatus").value_or("completed");
        event.id = "texml-recording:" + recording_sid.value_or(*call_sid + ":" + *recording_url);
        core::CallRecording recording;
        if (recording_url->ends_with(".mp3")) {
            recording.mp3_url = *recording_url;
        } else {
            recording.wav_url = *recording_url;
        }
        const auto channels = param(params, "RecordingChannels");
        if (channels) recording.channels = *channels == "2" ? "dual" : "single";
        event.recording = std::move(recording);
        return event;
    }

    const auto status = param(params, "CallStatus");
    if (!status || status->empty()) return core::Error::validation("CallStatus", "CallStatus is missing");
    event.id = fmt::format("texml-status:{}:{}", *call_sid, *status);
    event.event_type = "texml.status." + *status;
    event.hangup_cause = param(params, "HangupCause");
    event.hangup_source = param(params, "HangupSource");
    if (*status == "initiated" || *status == "ringing" || *status == "queued") {
        event.type = core::CallEventType::kInitiated;
    } else if (*status == "in-progress" || *status == "answered") {
        event.type = core::CallEventType::kAnswered;
    } else if (*status == "completed" || *status == "busy" || *status == "no-answer" || *status == "failed" ||
               *status == "canceled") {
        event.type = core::CallEventType::kHangup;
        if (!event.hangup_cause || event.hangup_cause->empty()) {
            // The state machine reads the cause; TeXML says the outcome in CallStatus instead.
            if (*status == "completed") event.hangup_cause = "normal_clearing";
            if (*status == "busy") event.hangup_cause = "user_busy";
            if (*status == "no-answer") event.hangup_cause = "no_answer";
            if (*status == "failed") event.hangup_cause = "call_failed";
            if (*status == "canceled") event.hangup_cause = "originator_cancel";
        }
    } else {
        return core::Error::validation("CallStatus",
                                       fmt::format("CallStatus '{}' is not a TeXML call status", *status));
    }
    return event;
}

core::Result<TexmlReply> IvrService::instructions(const TexmlRequest& request) {
    if (auto verified = webhooks_.verify(request.delivery); !verified) return std::move(verified).error();
    const auto call_sid = param(request.params, "CallSid");
    if (!call_sid || call_sid->empty()) return core::Error::validation("CallSid", "CallSid is missing");
    auto call = calls_.find_by_control_id(*call_sid);
    if (!call) return std::move(call).error();
    if (*call) return continue_call(request, **call);
    if (request.step) return core::Error::not_found("call", *call_sid);
    return start_call(request, *call_sid);
}

core::Result<TexmlReply> IvrService::start_call(const TexmlRequest& request, const std::string& call_sid) {
    const auto to = param(request.params, "To");
    if (!to || to->empty()) return core::Error::validation("To", "To is missing");
    auto route = flows_.route_for(*to);
    if (!route) return std::move(route).error();
    if (!*route) {
        // Nobody owns this number: refuse the call rather than answer it with nothing to say.
        return reply(markup_.render({ivr::Reject{"rejected"}}), "");
    }
    const auto platform = (*route)->platform;
    auto flow = flows_.flow(platform, (*route)->flow);
    if (!flow) return std::move(flow).error();

    const auto from = param(request.params, "From").value_or("");
    NewSession new_session;
    new_session.channel = "voice";
    if (core::is_e164(from)) new_session.phone_number = from;
    new_session.metadata_json = inbound_session_metadata(*to, (*route)->flow, "texml");
    auto session = sessions_.open(core::Principal{platform, std::string(kCarrierKey)}, std::move(new_session));
    if (!session) return std::move(session).error();

    core::Call call;
    call.id = ids_.next(core::kCallIdPrefix);
    call.platform = platform;
    call.session_id = session->id;
    call.direction = core::CallDirection::kInbound;
    call.from = from;
    call.to = *to;
    call.state = core::CallState::kAnswered;  // TeXML fetches instructions once the call is answered
    call.call_control_id = call_sid;
    call.record = false;
    call.language = (*flow)->language;
    call.flow = (*route)->flow;
    call.created_at = call.updated_at = clock_.now();
    call.answered_at = call.created_at;
    if (auto inserted = calls_.insert(call); !inserted) {
        if (inserted.error().code != core::ErrorCode::kConflict) return std::move(inserted).error();
        // The same first fetch, twice at once: the other one opened the call.
        auto existing = calls_.find_by_control_id(call_sid);
        if (!existing) return std::move(existing).error();
        if (!*existing) return std::move(inserted).error();
        return continue_call(request, **existing);
    }
    if (metrics_ != nullptr) metrics_->count_call(call.state);

    auto result = run(call, ivr::initial_state(**flow), ivr::input_of(ivr::InputKind::kStart));
    if (!result) return std::move(result).error();
    core::ports::IvrCallRecord record;
    record.call_id = call.id;
    record.platform = platform;
    record.cursor = core::ports::kExecutedByCarrier;
    record.reply = render(*result);
    record.state = std::move(result->state);
    record.updated_at = clock_.now();
    if (auto created = ivr_calls_.create(record); !created) {
        if (created.error().code != core::ErrorCode::kConflict) return std::move(created).error();
        auto existing = ivr_calls_.find(call.id);
        if (!existing) return std::move(existing).error();
        if (*existing) return reply((*existing)->reply, call.id);
    }
    return reply(std::move(record.reply), call.id);
}

core::Result<TexmlReply> IvrService::continue_call(const TexmlRequest& request, const core::Call& call) {
    auto found = ivr_calls_.find(call.id);
    if (!found) return std::move(found).error();
    if (!*found) return core::Error::not_found("IVR position of call", call.id);
    auto record = std::move(**found);
    // A re-fetch of the application URL, a callback repeated by the carrier, or one overtaken by another:
    // the answer already given still stands.
    if (!request.step || *request.step != record.state.step || record.state.awaiting == ivr::Awaiting::kEnded) {
        return reply(std::move(record.reply), call.id);
    }
    auto input = caller_input(request.input, request.params);
    if (!input) return std::move(input).error();

    auto result = run(call, record.state, *input);
    if (!result) {
        if (result.error().code == core::ErrorCode::kConflict) return reply(std::move(record.reply), call.id);
        if (result.error().code != core::ErrorCode::kValidation) return std::move(result).error();
        // The flow broke under the call (edited since it started): end the call politely, not with silence.
        result = ivr_error_ending(record.state);
    }
    record.reply = render(*result);
    record.state = std::move(result->state);
    record.updated_at = clock_.now();
    auto updated = ivr_calls_.update(record);
    if (!updated) {
        if (updated.error().code != core::ErrorCode::kConflict) return std::move(updated).error();
        // Another delivery of the same callback won the race; answer with what it decided.
        auto latest = ivr_calls_.find(call.id);
        if (!latest) return std::move(latest).error();
        if (*latest) return reply((*latest)->reply, call.id);
        return std::move(updated).error();
    }
    return reply(std::move(record.reply), call.id);
}

core::Result<ivr::StepResult> IvrService::run(const core::Call& call, const ivr::IvrState& state,
                                              const ivr::CallerInput& input) {
    return run_ivr_step(flows_, zones_, (hours_clock_ != nullptr ? *hours_clock_ : clock_).now(), call.platform, state,
                        input, assistant_, &call);
}

std::string IvrService::render(ivr::StepResult& result) const {
    const int step = result.state.step;
    std::vector<ivr::Instruction> out;
    out.reserve(result.instructions.size() + 1);
    for (auto& instruction : result.instructions) {
        if (auto* gather = std::get_if<ivr::Gather>(&instruction)) {
            gather->action = callback_url(options_.texml_url, step, "gather");
            gather->method = "POST";
            out.push_back(std::move(instruction));
            // A Gather that hears nothing falls through to the next verb; this tells us so.
            out.push_back(ivr::Redirect{callback_url(options_.texml_url, step, "none"), "POST"});
            continue;
        }
        if (auto* record = std::get_if<ivr::Record>(&instruction)) {
            record->action = callback_url(options_.texml_url, step, "record");
            record->method = "POST";
            record->recording_status_callback = options_.texml_status_url;
        } else if (auto* dial = std::get_if<ivr::Dial>(&instruction)) {
            dial->action = callback_url(options_.texml_url, step, "dial");
            dial->method = "POST";
        } else if (auto* enqueue = std::get_if<ivr::Enqueue>(&instruction)) {
            enqueue->action = callback_url(options_.texml_url, step, "queue");
            enqueue->method = "POST";
        }
        out.push_back(std::move(instruction));
    }
    result.instructions = std::move(out);
    return markup_.render(result.instructions);
}

TexmlReply IvrService::reply(std::string body, const std::string& call_id) const {
    TexmlReply out;
    out.content_type = markup_.content_type();
    out.body = std::move(body);
    if (!call_id.empty()) out.call_id = call_id;
    return out;
}

core::Result<WebhookOutcome> IvrService::status(const TexmlRequest& request) {
    if (auto verified = webhooks_.verify(request.delivery); !verified) return std::move(verified).error();
    auto event = texml_call_event(request.params, clock_.now());
    if (!event) return std::move(event).error();
    return events_.apply(*event, request.delivery.body);
}

core::Result<std::optional<IvrPosition>> IvrService::position(core::Platform platform, const std::string& call_id) {
    auto call = calls_.find(platform, call_id);
    if (!call) return std::move(call).error();
    if (!*call) return core::Error::not_found("call", call_id);
    auto found = ivr_calls_.find(call_id);
    if (!found) return std::move(found).error();
    if (!*found) return std::optional<IvrPosition>();
    return std::optional<IvrPosition>(IvrPosition{(*found)->state.flow, (*found)->state});
}

}  // namespace crossvoice::services
