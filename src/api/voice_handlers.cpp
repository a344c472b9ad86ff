#include "api/voice_handlers.hpp"

#include "api/call_json.hpp"
#include "api/json_body.hpp"
#include "core/time_format.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;

core::Result<services::InitiateCall> read_initiate(const nlohmann::json& body) {
    const Fields fields(body);
    services::InitiateCall input;
    auto to = fields.required_string("to");
    if (!to) return std::move(to).error();
    input.to = std::move(to).value();
    auto from = fields.optional_string("from");
    if (!from) return std::move(from).error();
    input.from = std::move(from).value();
    auto webhook = fields.optional_string("webhookUrl");
    if (!webhook) return std::move(webhook).error();
    input.webhook_url = std::move(webhook).value();
    auto record = fields.optional_bool("recordCall", true);
    if (!record) return std::move(record).error();
    input.record = *record;
    auto transcription = fields.optional_bool("transcriptionEnabled");
    if (!transcription) return std::move(transcription).error();
    input.transcription = *transcription;
    auto language = fields.optional_string("language");
    if (!language) return std::move(language).error();
    if (*language) input.language = std::move(**language);
    // Range checks with the carrier's limits happen in the use-case; here only "is it a whole number".
    auto timeout = fields.optional_int("timeout", 30, 0, 1'000'000);
    if (!timeout) return std::move(timeout).error();
    input.timeout_secs = *timeout;
    auto duration = fields.optional_int("maxDuration", 300, 0, 1'000'000);
    if (!duration) return std::move(duration).error();
    input.max_duration_secs = *duration;
    auto session = fields.optional_string("sessionId");
    if (!session) return std::move(session).error();
    input.session_id = std::move(session).value();
    auto flow = fields.optional_string("flow");
    if (!flow) return std::move(flow).error();
    input.flow = std::move(flow).value();
    return input;
}

HandlerResult initiate(RequestContext& context, services::CallService& calls) {
    context.audit.action = "call.initiate";
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    auto input = read_initiate(*body);
    if (!input) return std::move(input).error();
    auto placed = calls.initiate(context.caller(), std::move(input).value());
    if (!placed) {
        for (const auto& [key, value] : placed.error().details) {
            if (key == "callId") context.audit.target = "call:" + value;
        }
        return std::move(placed).error();
    }
    const auto& call = placed->call;
    context.audit.target = "call:" + call.id;
    return success(200, {
                            {"sessionId", call.session_id},
                            {"callId", call.id},
                            {"callControlId", call.call_control_id},
                            {"status", "initiated"},
                            {"phoneNumber", call.to},
                            {"startTime", core::format_rfc3339(call.created_at)},
                            {"call", call_json(call)},
                        });
}

HandlerResult webhook(RequestContext& context, services::CallEventService& events) {
    context.audit.recorded_elsewhere = true;
    const auto& request = context.request;
    core::ports::SignedDelivery delivery{request.header("telnyx-signature-ed25519"), request.header("telnyx-timestamp"),
                                         request.body};
    auto outcome = events.receive(delivery);
    if (!outcome) return std::move(outcome).error();
    return success(200,
                   {
                       {"eventId", outcome->event_id},
                       {"eventType", outcome->event_type},
                       {"duplicate", outcome->duplicate},
                       {"callId", outcome->call_id ? nlohmann::json(*outcome->call_id) : nlohmann::json()},
                       {"status", outcome->state ? nlohmann::json(core::to_string(*outcome->state)) : nlohmann::json()},
                   });
}

HandlerResult get_call(RequestContext& context, services::CallService& calls) {
    auto detail = calls.get(context.caller(), std::string(context.param("id")));
    if (!detail) return std::move(detail).error();
    nlohmann::json events = nlohmann::json::array();
    for (const auto& event : detail->events) events.push_back(call_event_json(event));
    nlohmann::json recordings = nlohmann::json::array();
    for (const auto& item : detail->recordings) {
        auto rendered = recording_json(item.recording);
        rendered["fetchJob"] = item.fetch_job ? job_json(*item.fetch_job) : nlohmann::json();
        recordings.push_back(std::move(rendered));
    }
    auto call = call_json(detail->call);
    call["events"] = std::move(events);
    call["recordings"] = std::move(recordings);
    return success(200, {{"callId", detail->call.id}, {"call", std::move(call)}});
}

HandlerResult hangup_call(RequestContext& context, services::CallService& calls) {
    const std::string id(context.param("id"));
    context.audit.action = "call.hangup";
    context.audit.target = "call:" + id;
    auto call = calls.hangup(context.caller(), id);
    if (!call) return std::move(call).error();
    // The carrier confirms with call.hangup; until then the call keeps its current status.
    return success(
        200, {{"callId", call->id}, {"hangupRequested", !core::is_terminal(call->state)}, {"call", call_json(*call)}});
}

}  // namespace

void add_voice_routes(http::Router& router, services::CallService& calls, services::CallEventService& events) {
    using http::Method;
    router.add({Method::kPost, "/api/voice/initiate", "Place an outbound call", http::Access::kApiKey,
                http::Execution::kWorker, [&calls](RequestContext& context) { return initiate(context, calls); }});
    // Open: the carrier cannot hold our API key; every delivery is checked against its Ed25519 signature.
    router.add({Method::kPost, "/api/voice/webhook", "Telnyx Call Control and messaging webhooks (signed)",
                http::Access::kPublic, http::Execution::kWorker,
                [&events](RequestContext& context) { return webhook(context, events); }});
    router.add({Method::kGet, "/api/voice/calls/{id}", "Get one call with its event timeline and recordings",
                http::Access::kApiKey, http::Execution::kWorker,
                [&calls](RequestContext& context) { return get_call(context, calls); }});
    router.add({Method::kPost, "/api/voice/calls/{id}/hangup", "Hang up a call", http::Access::kApiKey,
                http::Execution::kWorker, [&calls](RequestContext& context) { return hangup_call(context, calls); }});
}

}  // namespace crossvoice::api
