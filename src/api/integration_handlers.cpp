#include "api/integration_handlers.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "api/call_json.hpp"
#include "api/json_body.hpp"
#include "api/multipart.hpp"
#include "api/session_json.hpp"
#include "api/session_listing.hpp"
#include "api/transcription_request_reader.hpp"
#include "core/time_format.hpp"
#include "services/message_json.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;
using nlohmann::json;

HandlerResult list_sessions(RequestContext& context, services::IntegrationService& integration) {
    auto filter = session_filter_from_query(context.request, services::IntegrationService::kDefaultPageSize);
    if (!filter) return std::move(filter).error();
    auto page = integration.list(context.caller(), *filter);
    if (!page) return std::move(page).error();
    return success(200, session_page_json(*page));
}

HandlerResult get_session(RequestContext& context, services::IntegrationService& integration) {
    auto messages = query_int(context.request, "messages", services::IntegrationService::kDefaultRecentMessages);
    if (!messages) return std::move(messages).error();
    auto detail = integration.detail(context.caller(), std::string(context.param("id")), *messages);
    if (!detail) return std::move(detail).error();
    auto rendered = session_json(detail->session);
    json calls = json::array();
    for (const auto& call : detail->calls) calls.push_back(call_json(call));
    json recent = json::array();
    for (const auto& message : detail->recent_messages) recent.push_back(services::message_json(message));
    rendered["calls"] = std::move(calls);
    rendered["messages"] = std::move(recent);
    return success(200, {{"sessionId", detail->session.id}, {"session", std::move(rendered)}});
}

HandlerResult set_status(RequestContext& context, services::IntegrationService& integration) {
    const std::string id(context.param("id"));
    context.audit.action = "session.status";
    context.audit.target = "session:" + id;
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    auto status = Fields(*body).required_string("status");
    if (!status) return std::move(status).error();
    auto change = integration.set_status(context.caller(), id, *status);
    if (!change) return std::move(change).error();
    return success(200, {{"sessionId", change->session.id},
                         {"status", core::to_string(change->session.status)},
                         {"changed", change->changed},
                         {"session", session_json(change->session)}});
}

core::Result<services::IntegrationInitiate> read_initiate(const json& body) {
    const Fields fields(body);
    services::IntegrationInitiate input;
    auto to = fields.required_string("to");
    if (!to) return std::move(to).error();
    input.to = std::move(to).value();
    auto channel = fields.required_string("channel");
    if (!channel) return std::move(channel).error();
    input.channel = std::move(channel).value();
    for (auto [name, target] :
         {std::pair{"from", &input.from}, std::pair{"platform", &input.platform}, std::pair{"userId", &input.user_id},
          std::pair{"conversationId", &input.conversation_id}, std::pair{"targetLanguage", &input.target_language},
          std::pair{"message", &input.message}}) {
        auto value = fields.optional_string(name);
        if (!value) return std::move(value).error();
        *target = std::move(value).value();
    }
    auto transcription = fields.optional_bool("enableTranscription");
    if (!transcription) return std::move(transcription).error();
    input.enable_transcription = *transcription;
    auto translation = fields.optional_bool("enableTranslation", false);
    if (!translation) return std::move(translation).error();
    input.enable_translation = *translation;
    return input;
}

HandlerResult initiate(RequestContext& context, services::IntegrationService& integration) {
    context.audit.action = "integration.initiate";
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    auto input = read_initiate(*body);
    if (!input) return std::move(input).error();
    auto started = integration.initiate(context.caller(), std::move(input).value());
    if (!started) {
        for (const auto& [key, value] : started.error().details) {
            if (key == "sessionId") context.audit.target = "session:" + value;
        }
        return std::move(started).error();
    }
    context.audit.target = "session:" + started->session.id;
    json fields{{"sessionId", started->session.id}, {"channel", core::to_string(started->channel)}};
    if (started->call) {
        fields["callId"] = started->call->id;
        fields["status"] = core::to_string(started->call->state);
        fields["call"] = call_json(*started->call);
    } else if (started->message) {
        fields["messageId"] = started->message->id;
        fields["status"] = core::to_string(started->message->status);
        fields["message"] = services::message_json(*started->message);
    } else {
        fields["status"] = core::to_string(started->session.status);  // a chat opened without a first message
    }
    fields["session"] = session_json(started->session);
    return success(201, std::move(fields));
}

HandlerResult integration_status(services::IntegrationStatusService& status) {
    const auto report = status.check();
    json dependencies = json::array();
    for (const auto& item : report.dependencies) {
        json rendered{{"name", item.name},
                      {"mode", services::to_string(item.mode)},
                      {"provider", item.provider},
                      {"reachable", item.reachable},
                      {"latencyMs", item.latency_ms}};
        if (item.last_error) rendered["lastError"] = *item.last_error;
        if (item.last_error_at) rendered["lastErrorAt"] = core::format_rfc3339(*item.last_error_at);
        dependencies.push_back(std::move(rendered));
    }
    const bool down = report.status == services::OverallStatus::kDown;
    json body{{"success", !down},
              {"status", services::to_string(report.status)},
              {"checkedAt", core::format_rfc3339(report.checked_at)},
              {"totalMs", report.total_ms},
              {"dependencies", std::move(dependencies)}};
    // Down answers 503 like /readyz, so a monitor needs no body parsing; degraded still serves.
    return http::Response::json(down ? 503 : 200, body.dump());
}

HandlerResult self_test(RequestContext& context, services::IntegrationSelfTest& selftest) {
    context.audit.action = "integration.test";
    context.audit.target = std::string("platform:") + std::string(core::to_string(context.caller().platform));
    auto report = selftest.run(context.caller());
    if (!report) return std::move(report).error();
    json steps = json::array();
    for (const auto& step : report->steps) {
        steps.push_back({{"name", step.name}, {"ok", step.ok}, {"ms", step.ms}, {"detail", step.detail}});
    }
    // The request succeeded even when a step failed: `ok` is the test's verdict, the steps say what failed.
    return success(200, {{"ok", report->ok}, {"totalMs", report->total_ms}, {"steps", std::move(steps)}});
}

// The fields POST /api/voice/integration/transcribe adds to POST /api/voice/transcribe's.
constexpr std::array<std::string_view, 3> kTranscribeExtras{"targetLanguage", "askShango", "replyOn"};

bool is_extra(std::string_view name) {
    return std::find(kTranscribeExtras.begin(), kTranscribeExtras.end(), name) != kTranscribeExtras.end();
}

// The extras as JSON, whatever form they came in (form fields and query parameters are text).
core::Status read_transcribe_extras(const json& extras, services::IntegrationTranscribeRequest& out) {
    json normalized = extras;
    if (auto found = normalized.find("askShango"); found != normalized.end() && found->is_string()) {
        const auto text = found->get<std::string>();
        if (text == "true" || text == "false") *found = text == "true";
    }
    const Fields fields(normalized);
    auto language = fields.optional_string("targetLanguage");
    if (!language) return std::move(language).error();
    out.target_language = std::move(language).value();
    auto reply_on = fields.optional_string("replyOn");
    if (!reply_on) return std::move(reply_on).error();
    out.reply_on = std::move(reply_on).value();
    auto ask = fields.optional_bool("askShango", true);
    if (!ask) return std::move(ask).error();
    out.ask_shango = *ask;
    return {};
}

// The request of POST /api/voice/transcribe in any of its forms, plus the extras. The extras are taken out
// before the transcription reader sees the request, which refuses fields it does not know.
core::Result<services::IntegrationTranscribeRequest> read_integration_transcribe(const http::Request& request) {
    services::IntegrationTranscribeRequest out;
    json extras = json::object();
    const auto type = std::string(request.header("content-type").value_or(""));
    std::string media = type.substr(0, type.find(';'));
    std::transform(media.begin(), media.end(), media.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (media == "application/json" || media.empty()) {
        auto body = parse_json_object(request);
        if (!body) return std::move(body).error();
        for (const auto name : kTranscribeExtras) {
            const std::string key(name);
            if (auto found = body->find(key); found != body->end()) {
                extras[key] = *found;
                body->erase(key);
            }
        }
        auto read = read_transcribe_object(*body);
        if (!read) return std::move(read).error();
        out.transcription = std::move(read).value();
    } else if (media == "multipart/form-data") {
        // Rebuilt without the extras' parts; the file and the other fields go through unchanged.
        auto boundary = multipart_boundary(type);
        if (!boundary) return std::move(boundary).error();
        auto parts = parse_multipart(request.body, *boundary);
        if (!parts) return std::move(parts).error();
        http::Request stripped;
        stripped.method = request.method;
        stripped.target = request.target;
        stripped.path = request.path;
        stripped.query = request.query;
        stripped.headers = request.headers;
        stripped.remote = request.remote;
        for (const auto& part : *parts) {
            if (!part.filename && is_extra(part.name)) {
                extras[part.name] = std::string(part.data);
                continue;
            }
            stripped.body += "--" + *boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
            if (part.filename) stripped.body += "; filename=\"" + *part.filename + "\"";
            stripped.body += "\r\nContent-Type: " + part.content_type + "\r\n\r\n";
            stripped.body.append(part.data);
            stripped.body += "\r\n";
        }
        stripped.body += "--" + *boundary + "--\r\n";
        auto read = read_transcribe_request(stripped);
        if (!read) return std::move(read).error();
        out.transcription = std::move(read).value();
    } else {
        // Raw audio (or a type the transcription reader refuses): the extras are query parameters, which that
        // reader does not look at.
        for (const auto name : kTranscribeExtras) {
            if (auto value = request.query_param(name)) extras[std::string(name)] = *value;
        }
        auto read = read_transcribe_request(request);
        if (!read) return std::move(read).error();
        out.transcription = std::move(read).value();
    }
    if (auto extra = read_transcribe_extras(extras, out); !extra) return std::move(extra).error();
    return out;
}

json shango_json(const services::ShangoAnswer& answer) {
    json sources = json::array();
    for (const auto& source : answer.reply.sources) sources.push_back(source);
    return {{"text", answer.reply.text},
            {"persona", answer.reply.persona},
            {"intent", answer.reply.intent},
            {"confidence", answer.reply.confidence},
            {"handoff", core::to_string(answer.reply.handoff)},
            {"sources", std::move(sources)},
            {"language", answer.language},
            {"ownedByAgent", answer.owned_by_agent},
            {"messageId", answer.answer ? json(answer.answer->id) : json()}};
}

HandlerResult integration_transcribe(RequestContext& context, services::IntegrationTranscribe& use_case) {
    context.audit.action = "integration.transcribe";
    auto request = read_integration_transcribe(context.request);
    if (!request) return std::move(request).error();
    if (request->transcription.session_id) context.audit.target = "session:" + *request->transcription.session_id;
    auto done = use_case.run(context.caller(), std::move(request).value());
    if (!done) return std::move(done).error();
    const auto& outcome = done->transcription;
    if (outcome.queued) {
        // Long audio: queued exactly as POST /api/voice/transcribe queues it; SHANGO is not asked.
        return success(202, {{"sessionId", done->session_id},
                             {"jobId", outcome.job_id},
                             {"status", "queued"},
                             {"statusUrl", "/api/voice/transcribe/" + outcome.job_id}});
    }
    json transcript{{"transcriptId", outcome.transcript_id},
                    {"sessionId", done->session_id},
                    {"transcription", outcome.transcription}};
    json fields{
        {"sessionId", done->session_id}, {"transcript", std::move(transcript)}, {"messageIds", done->message_ids}};
    if (const auto translation = outcome.transcription.find("translation");
        translation != outcome.transcription.end() && !translation->is_null()) {
        fields["translation"] = *translation;
    }
    if (done->shango) fields["shango"] = shango_json(*done->shango);
    if (done->reply) fields["reply"] = services::message_json(*done->reply);
    if (!done->errors.empty()) {
        // Steps after the stored transcript that failed: the transcript stands, so the request still succeeded.
        json errors = json::array();
        for (const auto& failed : done->errors) {
            errors.push_back({{"step", failed.step},
                              {"code", core::to_string(failed.error.code)},
                              {"message", failed.error.message}});
        }
        fields["errors"] = std::move(errors);
    }
    return success(201, std::move(fields));
}

}  // namespace

void add_integration_routes(http::Router& router, services::IntegrationService& integration,
                            services::IntegrationStatusService& status, services::IntegrationSelfTest& selftest) {
    using http::Access;
    using http::Execution;
    using http::Method;
    auto bind = [&integration](HandlerResult (*handler)(RequestContext&, services::IntegrationService&)) {
        return [handler, &integration](RequestContext& context) { return handler(context, integration); };
    };
    router.add({Method::kGet, "/api/voice/integration/sessions", "List the platform's sessions (integration API)",
                Access::kApiKey, Execution::kWorker, bind(list_sessions)});
    router.add({Method::kGet, "/api/voice/integration/sessions/{id}",
                "One session with its calls and latest messages (integration API)", Access::kApiKey, Execution::kWorker,
                bind(get_session)});
    router.add({Method::kPut, "/api/voice/integration/sessions/{id}/status", "Set a session's status (active, ended)",
                Access::kApiKey, Execution::kWorker, bind(set_status)});
    router.add({Method::kPost, "/api/voice/integration/initiate",
                "Start a conversation on any channel: a call, or a first message", Access::kApiKey, Execution::kWorker,
                bind(initiate)});
    router.add({Method::kGet, "/api/voice/integration/status", "Every dependency's mode, reachability and latency",
                Access::kApiKey, Execution::kWorker,
                [&status](RequestContext&) { return integration_status(status); }});
    router.add({Method::kPost, "/api/voice/integration/test",
                "Self-test: an IVR sandbox call, a transcription, a SHANGO answer, a message round trip and a "
                "hand-off, each timed",
                Access::kApiKey, Execution::kWorker,
                [&selftest](RequestContext& context) { return self_test(context, selftest); }});
}

void add_integration_transcribe_route(http::Router& router, services::IntegrationTranscribe& use_case,
                                      std::size_t max_upload_bytes) {
    http::Route route{http::Method::kPost,
                      "/api/voice/integration/transcribe",
                      "Transcribe into a session with translation, SHANGO's answer and an optional reply",
                      http::Access::kApiKey,
                      http::Execution::kWorker,
                      [&use_case](RequestContext& context) { return integration_transcribe(context, use_case); }};
    route.max_body_bytes = max_upload_bytes;  // an upload, as POST /api/voice/transcribe takes
    router.add(std::move(route));
}

}  // namespace crossvoice::api
