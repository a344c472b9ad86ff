#include "services/call_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/client_state.hpp"
#include "core/ids.hpp"
#include "services/call_event_service.hpp"
#include "services/text_language.hpp"

namespace crossvoice::services {
namespace {

core::Error unknown_call(const std::string& id) { return core::Error::not_found("call", id); }

bool is_ascii_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool is_http_url(std::string_view url) {
    const bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
    if (!scheme || url.size() > 2048) return false;
    const auto host_start = url.find("//") + 2;
    if (host_start >= url.size() || url[host_start] == '/') return false;
    return std::none_of(url.begin(), url.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f;
    });
}

bool is_flow_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || !is_ascii_alnum(name.front())) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (is_ascii_alnum(c) && !std::isupper(static_cast<unsigned char>(c))) || c == '-' || c == '_';
    });
}

}  // namespace

core::Status CallService::validate(const InitiateCall& input, const std::string& from) const {
    if (auto to = numbers_.check_dialable("to", input.to); !to) return to;
    if (auto checked = numbers_.check_dialable("from", from); !checked) return checked;
    if (input.to == from) return core::Error::validation("to", "to and from must be different numbers");
    if (input.webhook_url && !is_http_url(*input.webhook_url)) {
        return core::Error::validation("webhookUrl", "webhookUrl must be an absolute http:// or https:// URL");
    }
    if (!is_language_tag(input.language)) {
        return core::Error::validation("language", "language must be a BCP 47 tag such as en-US");
    }
    if (input.timeout_secs < kMinTimeoutSecs || input.timeout_secs > kMaxTimeoutSecs) {
        return core::Error::validation(
            "timeout", fmt::format("timeout must be between {} and {} seconds", kMinTimeoutSecs, kMaxTimeoutSecs));
    }
    if (input.max_duration_secs < 1 || input.max_duration_secs > kMaxDurationSecs) {
        return core::Error::validation("maxDuration",
                                       fmt::format("maxDuration must be between 1 and {} seconds", kMaxDurationSecs));
    }
    if (input.flow && !is_flow_name(*input.flow)) {
        return core::Error::validation("flow", "flow must be a flow name: lower-case letters, digits, '-' and '_'");
    }
    if (input.transcription.value_or(false) && !input.record) {
        return core::Error::validation(
            "transcriptionEnabled", "transcriptionEnabled needs recordCall: calls are transcribed from the recording");
    }
    return {};
}

core::Result<core::Session> CallService::session_for(const core::Principal& caller, const InitiateCall& input) {
    if (input.session_id) {
        auto session = sessions_.get(caller, *input.session_id);
        if (!session) return session;
        if (session->status != core::SessionStatus::kActive) {
            return core::Error::conflict("session " + session->id + " has ended; start a new one")
                .with("sessionId", session->id);
        }
        return session;
    }
    NewSession fresh;
    fresh.channel = "voice";
    fresh.phone_number = input.to;
    return sessions_.open(caller, std::move(fresh));
}

core::Result<InitiatedCall> CallService::initiate(const core::Principal& caller, InitiateCall input) {
    auto placed = place(caller, std::move(input));
    if (placed) {
        metrics_.dials_placed.add();
        return placed;
    }
    switch (placed.error().code) {
        case core::ErrorCode::kRateLimited: metrics_.dials_rate_limited.add(); break;
        case core::ErrorCode::kTimeout: metrics_.dials_timeout.add(); break;
        case core::ErrorCode::kVendor:
        case core::ErrorCode::kUnavailable: metrics_.dials_refused.add(); break;
        default: metrics_.dials_invalid.add(); break;
    }
    return placed;
}

core::Result<InitiatedCall> CallService::place(const core::Principal& caller, InitiateCall input) {
    if (!input.from && !settings_.default_from) {
        return core::Error::validation("from", "from is required: no default caller id (TELNYX_PHONE_NUMBER) is set");
    }
    const std::string from = input.from ? *input.from : *settings_.default_from;
    if (auto valid = validate(input, from); !valid) return std::move(valid).error();
    if (input.flow && settings_.flow_exists && !settings_.flow_exists(caller.platform, *input.flow)) {
        return core::Error::validation("flow", fmt::format("flow '{}' does not exist for this platform", *input.flow))
            .with("value", *input.flow);
    }
    if (input.session_id && !core::is_valid_id(core::kSessionIdPrefix, *input.session_id)) {
        return core::Error::not_found("session", *input.session_id);
    }

    auto slot = limiter_.acquire("dial:" + std::string(core::to_string(caller.platform)), settings_.dial_limit,
                                 settings_.dial_window);
    if (!slot) return std::move(slot).error();
    if (!slot->allowed) {
        const auto seconds = std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(slot->retry_after).count());
        return core::Error{
            core::ErrorCode::kRateLimited,
            fmt::format("dial limit of {} calls per {} s reached for this platform; retry in {} s",
                        settings_.dial_limit,
                        std::chrono::duration_cast<std::chrono::seconds>(settings_.dial_window).count(), seconds),
            {{"retry_after_seconds", std::to_string(seconds)}}};
    }

    auto session = session_for(caller, input);
    if (!session) return std::move(session).error();

    const auto now = clock_.now();
    core::Call call;
    call.id = ids_.next(core::kCallIdPrefix);
    call.platform = caller.platform;
    call.session_id = session->id;
    call.direction = core::CallDirection::kOutbound;
    call.from = from;
    call.to = input.to;
    call.record = input.record;
    call.transcription_enabled = input.transcription.value_or(input.record);
    call.language = input.language;
    call.flow = input.flow;
    call.created_at = now;
    call.updated_at = now;
    // Stored before dialing: the first webhook can arrive before the dial's reply, and finds the call through
    // the id in client_state.
    if (auto stored = calls_.insert(call); !stored) return std::move(stored).error();
    metrics_.count_call(call.state);

    core::ports::DialRequest dial;
    dial.to = call.to;
    dial.from = call.from;
    dial.connection_id = settings_.connection_id;
    dial.webhook_url = input.webhook_url ? *input.webhook_url : settings_.webhook_url;
    dial.client_state = core::encode_client_state({call.platform, call.session_id, call.id});
    dial.timeout_secs = input.timeout_secs;
    dial.time_limit_secs = input.max_duration_secs;
    dial.record = input.record;
    dial.command_id = call.id;  // a retried dial of the same call is the same command to the carrier
    auto dialed = carrier_.dial(dial);

    if (!dialed && dialed.error().code == core::ErrorCode::kTimeout) {
        // The carrier may have placed the call and only its reply was lost: the call stays initiated, and its
        // webhooks (which carry our client_state) move it on if it exists.
        return std::move(dialed).error().with("callId", call.id).with("sessionId", call.session_id);
    }
    std::optional<core::ports::DialedIds> ids;
    std::optional<std::string> failure;
    if (dialed) {
        ids = core::ports::DialedIds{dialed->call_control_id, dialed->call_leg_id, dialed->call_session_id};
    } else {
        failure = dialed.error().message;
    }
    auto recorded = calls_.record_dial_result(call.id, ids, failure, clock_.now());
    // A refused dial fails the call here, not through a webhook (a refused leg has none).
    if (!dialed && recorded && recorded->state == core::CallState::kFailed) {
        metrics_.count_call(core::CallState::kFailed);
    }
    if (!dialed) {
        return std::move(dialed).error().with("callId", call.id).with("sessionId", call.session_id);
    }
    if (!recorded) return std::move(recorded).error();
    return InitiatedCall{std::move(recorded).value(), std::move(session).value()};
}

core::Result<CallDetail> CallService::get(const core::Principal& caller, const std::string& id) {
    if (!core::is_valid_id(core::kCallIdPrefix, id)) return unknown_call(id);
    auto call = calls_.find(caller.platform, id);
    if (!call) return std::move(call).error();
    if (!call.value()) return unknown_call(id);
    auto events = calls_.events_for_call(id);
    if (!events) return std::move(events).error();
    auto recordings = calls_.recordings_for_call(id);
    if (!recordings) return std::move(recordings).error();
    CallDetail detail{std::move(*call.value()), std::move(events).value(), {}};
    for (auto& recording : *recordings) {
        auto job = jobs_.find_by_dedupe_key(recording_fetch_key(recording.event_id));
        if (!job) return std::move(job).error();
        detail.recordings.push_back({std::move(recording), std::move(job).value()});
    }
    return detail;
}

core::Result<std::vector<core::Call>> CallService::list_for_session(const core::Principal& caller,
                                                                    const std::string& session_id) {
    return calls_.list_for_session(caller.platform, session_id);
}

core::Result<core::Call> CallService::hangup(const core::Principal& caller, const std::string& id) {
    if (!core::is_valid_id(core::kCallIdPrefix, id)) return unknown_call(id);
    auto found = calls_.find(caller.platform, id);
    if (!found) return std::move(found).error();
    if (!found.value()) return unknown_call(id);
    core::Call call = std::move(*found.value());
    if (core::is_terminal(call.state)) return call;
    if (call.call_control_id.empty()) {
        return core::Error::conflict("call " + id + " has not been accepted by the carrier yet; it cannot be hung up");
    }
    core::ports::CommandOptions options;
    options.command_id = "hangup-" + call.id;  // asking twice is one hang-up
    if (auto ended = carrier_.hangup(call.call_control_id, options); !ended) {
        return std::move(ended).error().with("callId", call.id);
    }
    return call;
}

}  // namespace crossvoice::services
