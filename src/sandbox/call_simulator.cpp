#include "sandbox/call_simulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/time_format.hpp"
#include "sandbox/number_plan.hpp"
#include "sandbox/random_ids.hpp"
#include "sandbox/request_fields.hpp"
#include "sandbox/webhook_event.hpp"

namespace crossvoice::sandbox {
namespace {

http::Response ok() { return http::Response::json(200, R"({"data":{"result":"ok"}})"); }

std::string dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The dial-failure rows of the number table, answered before any call exists.
http::Response failed_dial(NumberBehaviour behaviour, const std::string& to) {
    switch (behaviour) {
        case NumberBehaviour::kDialInvalid:
            return render({.status = 422,
                           .code = "10002",
                           .title = "Invalid phone number",
                           .detail = "The destination " + to + " cannot be dialled (sandbox number ending in 422).",
                           .pointer = "/to"});
        case NumberBehaviour::kDialRateLimited:
            return render({.status = 429,
                           .code = "90103",
                           .title = "Too many requests",
                           .detail = "Outbound dial rate exceeded (sandbox number ending in 429); retry in 1 second.",
                           .headers = {{"x-ratelimit-limit", "30"},
                                       {"x-ratelimit-remaining", "0"},
                                       {"x-ratelimit-reset", "1"},
                                       {"retry-after", "1"}}});
        default:
            return render({.status = 500,
                           .code = "10007",
                           .title = "Unexpected error",
                           .detail = "An unexpected error occurred (sandbox number ending in 500)."});
    }
}

}  // namespace

CallSimulator::CallSimulator(const SandboxOptions& options, core::ports::HttpClient& http,
                             core::ports::SpeechSynthesizer& speech, const core::Clock& clock,
                             const WebhookSigner& signer, RecordingStore& recordings)
    : options_(options),
      speech_(speech),
      clock_(clock),
      recordings_(recordings),
      sender_(http, signer, clock, options.webhook_max_attempts,
              [this](std::chrono::milliseconds delay) { return deliveries_.pause(delay); }) {}

CallSimulator::~CallSimulator() { stop(); }

void CallSimulator::stop() {
    timers_.stop();  // first: a timer may still queue a webhook
    deliveries_.stop();
}

// ---------------------------------------------------------------------------------------------------------------
// Bookkeeping

SandboxCall* CallSimulator::find(std::string_view call_control_id) {
    const auto it = calls_.find(std::string(call_control_id));
    return it == calls_.end() ? nullptr : &it->second;
}

const SandboxCall* CallSimulator::find(std::string_view call_control_id) const {
    const auto it = calls_.find(std::string(call_control_id));
    return it == calls_.end() ? nullptr : &it->second;
}

SandboxCall& CallSimulator::add(SandboxCall call) {
    // Forget the oldest ended legs beyond the cap; live ones are never dropped.
    for (auto it = order_.begin(); calls_.size() >= kMaxCalls && it != order_.end();) {
        const auto found = calls_.find(*it);
        if (found == calls_.end() || found->second.phase == Phase::kEnded) {
            if (found != calls_.end()) calls_.erase(found);
            it = order_.erase(it);
        } else {
            ++it;
        }
    }
    auto id = call.call_control_id;
    order_.push_back(id);
    return calls_.insert_or_assign(std::move(id), std::move(call)).first->second;
}

SandboxCall CallSimulator::new_leg(std::string public_base) const {
    SandboxCall call;
    call.call_control_id = random_call_control_id();
    call.call_leg_id = random_uuid();
    call.call_session_id = random_uuid();
    call.public_base = std::move(public_base);
    call.start_time = clock_.now();
    return call;
}

void CallSimulator::at(std::chrono::milliseconds delay, const std::string& call_control_id, Step step) {
    timers_.post_after(delay, [this, call_control_id, step = std::move(step)] {
        std::lock_guard lock(mutex_);
        if (auto* call = find(call_control_id)) step(*call);
    });
}

void CallSimulator::emit(SandboxCall& call, std::string_view event_type, nlohmann::json extra) {
    auto payload = common_payload(call);
    payload.update(extra);
    auto data = event_data(event_type, std::move(payload), clock_.now());
    call.events.emplace_back(event_type);
    deliveries_.post([this, url = call.webhook_url, data = std::move(data)] { sender_.deliver(url, data); });
}

void CallSimulator::log_command(SandboxCall& call, std::string_view action, const nlohmann::json& body, int status,
                                bool repeat) {
    call.commands.push_back({std::string(action), body, status, repeat, now_text()});
}

std::string CallSimulator::now_text() const { return core::format_rfc3339(clock_.now()); }

// ---------------------------------------------------------------------------------------------------------------
// A leg's life

void CallSimulator::schedule_outgoing(SandboxCall& call, std::optional<int> timeout_secs,
                                      std::optional<int> time_limit_secs) {
    const auto& id = call.call_control_id;
    at(options_.ring_delay, id, [this](SandboxCall& leg) { send_initiated(leg); });

    // A far end that never picks up gives up at the answer moment, like a quick SIP failure.
    const auto give_up = [this](std::string cause, std::string source) {
        return [this, cause = std::move(cause), source = std::move(source)](SandboxCall& leg) {
            if (leg.phase == Phase::kDialing || leg.phase == Phase::kRinging) end(leg, cause, source);
        };
    };
    const auto ring_limit = ring_timeout(options_.no_answer_after, timeout_secs);
    switch (call.behaviour) {
        case NumberBehaviour::kBusy: at(options_.answer_delay, id, give_up("user_busy", "callee")); break;
        case NumberBehaviour::kNotFound: at(options_.answer_delay, id, give_up("not_found", "unknown")); break;
        case NumberBehaviour::kRejected: at(options_.answer_delay, id, give_up("call_rejected", "callee")); break;
        case NumberBehaviour::kNoAnswer: at(ring_limit, id, give_up("timeout", "unknown")); break;
        default:
            // timeout_secs shorter than the far end takes to answer: nobody picks up in time.
            if (timeout_secs && std::chrono::seconds(*timeout_secs) < options_.answer_delay) {
                at(std::chrono::seconds(*timeout_secs), id, give_up("timeout", "unknown"));
            } else {
                at(options_.answer_delay, id, [this](SandboxCall& leg) {
                    if (leg.phase == Phase::kDialing || leg.phase == Phase::kRinging) answer(leg);
                });
            }
    }
    if (time_limit_secs) {
        at(std::chrono::seconds(*time_limit_secs), id, [this](SandboxCall& leg) {
            if (leg.phase != Phase::kEnded) end(leg, "time_limit", "unknown");
        });
    }
}

void CallSimulator::send_initiated(SandboxCall& call) {
    if (call.phase != Phase::kDialing) return;
    call.phase = Phase::kRinging;
    emit(call, "call.initiated",
         {{"caller_id_name", call.from}, {"start_time", core::format_rfc3339(call.start_time)}});
}

void CallSimulator::answer(SandboxCall& call) {
    send_initiated(call);  // never an answer without its call.initiated first
    call.phase = Phase::kAnswered;
    call.answered_at = clock_.now();
    emit(call, "call.answered", {{"start_time", core::format_rfc3339(call.start_time)}});

    if (call.transferred_from) {
        auto* original = find(*call.transferred_from);
        if (original == nullptr || original->phase == Phase::kEnded) {
            end(call, "normal_clearing", "caller");  // nobody left to connect the target to
            return;
        }
        bridge(*original, call);
    }
    if (call.record_on_answer) start_recording(call, call.record_channels);
    if (call.stream_on_answer) start_streaming(call, *call.stream_on_answer);
    if (call.answering_machine_detection && *call.answering_machine_detection != "disabled") {
        const bool premium = *call.answering_machine_detection == "premium";
        emit(call, premium ? "call.machine.premium.detection.ended" : "call.machine.detection.ended",
             {{"result", premium ? "human_residence" : "human"}});
    }
    at(options_.talk_time, call.call_control_id, [this](SandboxCall& leg) {
        if (leg.phase == Phase::kAnswered) far_end_hangs_up(leg);
    });
}

void CallSimulator::end(SandboxCall& call, std::string cause, std::string source) {
    if (call.phase == Phase::kEnded) return;
    send_initiated(call);
    // What was in progress ends with the call, before its call.hangup, as on Telnyx.
    if (call.gather) finish_gather(call, "call_hangup");
    stop_audio(call, "call_hangup");

    call.phase = Phase::kEnded;
    call.end_time = clock_.now();
    call.hangup_cause = cause;
    call.hangup_source = source;
    emit(call, "call.hangup",
         {{"hangup_cause", cause},
          {"hangup_source", source},
          {"sip_hangup_cause", sip_hangup_cause(cause)},
          {"start_time", core::format_rfc3339(call.start_time)},
          {"end_time", core::format_rfc3339(*call.end_time)}});
    if (call.streaming) {
        emit(call, "streaming.stopped", {{"stream_url", *call.streaming}});
        call.streaming.reset();
    }
    if (call.recording) stop_recording(call);

    // A bridged partner loses its other half: to it, the far end has gone.
    if (call.bridged_with) {
        if (auto* partner = find(*call.bridged_with); partner != nullptr && partner->phase != Phase::kEnded) {
            far_end_hangs_up(*partner);
        }
    }
}

void CallSimulator::far_end_hangs_up(SandboxCall& call) {
    // A parked call transferred to someone who answered is connected, though we never answered it ourselves.
    if (call.phase == Phase::kAnswered || call.bridged_with) {
        end(call, "normal_clearing", call.incoming ? "caller" : "callee");
    } else if (call.incoming) {
        end(call, "originator_cancel", "caller");  // the caller gave up before we answered
    } else {
        end(call, "call_rejected", "callee");  // declined while ringing
    }
}

void CallSimulator::our_hangup(SandboxCall& call) {
    if (call.phase == Phase::kAnswered) {
        end(call, "normal_clearing", call.incoming ? "callee" : "caller");
    } else if (call.incoming) {
        end(call, "normal_clearing", "callee");
    } else {
        end(call, "originator_cancel", "caller");  // we cancelled our own ringing call
    }
}

void CallSimulator::bridge(SandboxCall& a, SandboxCall& b) {
    a.bridged_with = b.call_control_id;
    b.bridged_with = a.call_control_id;
    emit(a, "call.bridged");
    emit(b, "call.bridged");
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

http::Response CallSimulator::dial(const DialRequest& request, const nlohmann::json& body, std::string public_base) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(dial_command_ids_,
                  [cutoff = now - kCommandIdMemory](const auto& entry) { return entry.second.at < cutoff; });
    if (request.command_id) {
        if (const auto it = dial_command_ids_.find(*request.command_id); it != dial_command_ids_.end()) {
            if (auto* call = find(it->second.call_control_id)) log_command(*call, "dial", body, 200, true);
            return it->second.response;
        }
    }

    const auto behaviour = behaviour_for(request.to);
    if (fails_dial(behaviour)) return failed_dial(behaviour, request.to);
    const auto webhook_url = request.webhook_url ? request.webhook_url : options_.default_webhook_url;
    if (!webhook_url) {
        auto error = missing_parameter("/webhook_url");
        error.detail = "The sandbox has no default webhook URL: pass 'webhook_url'.";
        return render(error);
    }

    auto leg = new_leg(std::move(public_base));
    leg.connection_id = request.connection_id;
    leg.from = request.from;
    leg.to = request.to;
    leg.client_state = request.client_state;
    leg.webhook_url = *webhook_url;
    leg.behaviour = behaviour;
    leg.record_on_answer = request.record;
    leg.record_channels = request.record_channels;
    leg.answering_machine_detection = request.answering_machine_detection;
    leg.stream_on_answer = request.stream_url;
    auto& call = add(std::move(leg));
    log_command(call, "dial", body, 200, false);
    schedule_outgoing(call, request.timeout_secs, request.time_limit_secs);

    const nlohmann::json reply{{"data",
                                {{"call_control_id", call.call_control_id},
                                 {"call_leg_id", call.call_leg_id},
                                 {"call_session_id", call.call_session_id},
                                 {"is_alive", false},
                                 {"record_type", "call"}}}};
    auto response = http::Response::json(200, dump(reply));
    if (request.command_id) dial_command_ids_[*request.command_id] = {now, response, call.call_control_id};
    return response;
}

http::Response CallSimulator::command(std::string_view call_control_id, Action action, std::string_view action_name,
                                      const nlohmann::json& body) {
    std::lock_guard lock(mutex_);
    auto* call = find(call_control_id);
    if (call == nullptr) return render(not_found("Call not found: " + std::string(call_control_id)));

    const auto now = std::chrono::steady_clock::now();
    std::erase_if(call->command_ids,
                  [cutoff = now - kCommandIdMemory](const auto& entry) { return entry.second.first < cutoff; });
    const auto command_id = body.is_object() && body.contains("command_id") && body["command_id"].is_string()
                                ? std::optional<std::string>(body["command_id"].get<std::string>())
                                : std::nullopt;
    if (command_id) {
        if (const auto it = call->command_ids.find(*command_id); it != call->command_ids.end()) {
            log_command(*call, action_name, body, it->second.second.status, true);
            return it->second.second;
        }
    }

    std::optional<TelnyxError> error;
    CommandRequest request;
    if (call->phase == Phase::kEnded) {
        error = call_ended();
    } else {
        error = read_command_request(action, body, request);
    }
    if (!error) {
        // The new client_state rides on the webhooks this command causes; a refused command leaves the old one.
        auto previous = call->client_state;
        if (request.client_state) call->client_state = request.client_state;
        error = apply(*call, action, request, body);
        if (error) call->client_state = std::move(previous);
    }
    auto response = error ? render(*error) : ok();
    log_command(*call, action_name, body, response.status, false);
    if (!error && command_id) call->command_ids[*command_id] = {now, response};
    return response;
}

http::Response CallSimulator::press_digits(std::string_view call_control_id, const nlohmann::json& body) {
    std::lock_guard lock(mutex_);
    auto* call = find(call_control_id);
    if (call == nullptr) return render(not_found("Call not found: " + std::string(call_control_id)));
    if (call->phase == Phase::kEnded) return render(call_ended());
    std::optional<std::string> digits;
    RequestFields fields(body);
    fields.digits("digits", "0123456789*#ABCD", digits).fail_if(!digits, missing_parameter("/digits"));
    if (!fields.ok()) return render(*fields.error());
    if (call->phase != Phase::kAnswered)
        return render(invalid_call_state("Keys can be pressed once the call is answered."));
    for (const char digit : *digits) press(*call, digit);
    return ok();
}

http::Response CallSimulator::far_end_hangup(std::string_view call_control_id) {
    std::lock_guard lock(mutex_);
    auto* call = find(call_control_id);
    if (call == nullptr) return render(not_found("Call not found: " + std::string(call_control_id)));
    if (call->phase == Phase::kEnded) return render(call_ended());
    far_end_hangs_up(*call);
    return ok();
}

http::Response CallSimulator::far_end_speech(std::string_view call_control_id, const nlohmann::json& body) {
    std::string text;
    std::optional<std::string> language;
    RequestFields fields(body);
    fields.required_text("text", text)
        .fail_if(text.size() > kMaxUtteranceBytes,
                 invalid_parameter("/text", fmt::format("'text' is at most {} bytes.", kMaxUtteranceBytes)))
        .text("language", language)
        .fail_if(language && (language->empty() || language->size() > 35 ||
                              language->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") !=
                                  std::string::npos),
                 invalid_parameter("/language", "'language' must be a BCP 47 tag such as en-US."));
    if (!fields.ok()) return render(*fields.error());

    std::lock_guard lock(mutex_);
    auto* call = find(call_control_id);
    if (call == nullptr) return render(not_found("Call not found: " + std::string(call_control_id)));
    if (call->phase == Phase::kEnded) return render(call_ended());
    if (call->phase != Phase::kAnswered)
        return render(invalid_call_state("The far end can speak once the call is answered."));
    call->scripted_speech = true;
    call->pending_speech.emplace_back(std::move(text), language.value_or("en-US"));
    hear_far_end(*call);
    return ok();
}

http::Response CallSimulator::inbound(const nlohmann::json& body, std::string public_base) {
    SandboxCall leg = new_leg(std::move(public_base));
    std::optional<std::string> webhook_url;
    std::optional<std::string> connection_id;
    RequestFields fields(body);
    fields.phone("from", true, leg.from)
        .phone("to", true, leg.to)
        .text("webhook_url", webhook_url)
        .text("connection_id", connection_id)
        .base64("client_state", leg.client_state);
    if (!fields.ok()) return render(*fields.error());
    if (webhook_url && webhook_url->empty()) webhook_url.reset();
    if (!webhook_url) webhook_url = options_.default_webhook_url;
    if (!webhook_url) {
        auto error = missing_parameter("/webhook_url");
        error.detail = "The sandbox has no default webhook URL: pass 'webhook_url'.";
        return render(error);
    }
    leg.webhook_url = *webhook_url;
    leg.connection_id = connection_id.value_or("sandbox");
    leg.incoming = true;

    std::lock_guard lock(mutex_);
    auto& call = add(std::move(leg));
    log_command(call, "inbound", body, 200, false);
    send_initiated(call);
    // A caller waits no_answer_after for us; one we have transferred to someone who answered is no longer waiting.
    at(options_.no_answer_after, call.call_control_id, [this](SandboxCall& ringing) {
        if (ringing.phase == Phase::kRinging && !ringing.bridged_with) end(ringing, "originator_cancel", "caller");
    });
    return http::Response::json(200, dump({{"data", describe(call)}}));
}

http::Response CallSimulator::view(std::string_view call_control_id) const {
    std::lock_guard lock(mutex_);
    const auto* call = find(call_control_id);
    if (call == nullptr) return render(not_found("Call not found: " + std::string(call_control_id)));
    return http::Response::json(200, dump({{"data", describe(*call)}}));
}

http::Response CallSimulator::list() const {
    std::lock_guard lock(mutex_);
    auto calls = nlohmann::json::array();
    for (const auto& id : order_) {
        if (const auto* call = find(id)) calls.push_back(describe(*call));
    }
    return http::Response::json(200, dump({{"data", std::move(calls)}}));
}

}  // namespace crossvoice::sandbox
