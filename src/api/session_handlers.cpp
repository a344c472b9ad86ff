#include "api/session_handlers.hpp"

#include "api/call_json.hpp"
#include "api/json_body.hpp"
#include "api/session_json.hpp"
#include "api/session_listing.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;

void note_session(RequestContext& context, std::string action, const std::string& id) {
    context.audit.action = std::move(action);
    context.audit.target = "session:" + id;
}

HandlerResult render_session(int status, const core::Session& session) {
    return success(status, {{"sessionId", session.id}, {"session", session_json(session)}});
}

// The original clients post {sessionId, action: "get"|"end"|"status"} to the collection.
HandlerResult legacy_action(RequestContext& context, services::SessionService& sessions, const Fields& fields) {
    auto action = fields.required_string("action");
    if (!action) return std::move(action).error();
    auto id = fields.required_string("sessionId");
    if (!id) return std::move(id).error();
    if (*action == "get" || *action == "status") {
        note_session(context, "session." + *action, *id);
        auto session = sessions.get(context.caller(), *id);
        if (!session) return std::move(session).error();
        if (*action == "status") {
            return success(200, {{"sessionId", session->id}, {"status", core::to_string(session->status)}});
        }
        return render_session(200, *session);
    }
    if (*action == "end") {
        note_session(context, "session.end", *id);
        auto session = sessions.end(context.caller(), *id);
        if (!session) return std::move(session).error();
        return render_session(200, *session);
    }
    return core::Error::validation("action", "action must be one of get, end, status").with("value", *action);
}

HandlerResult create_session(RequestContext& context, services::SessionService& sessions) {
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    if (fields.has("action")) return legacy_action(context, sessions, fields);

    context.audit.action = "session.create";
    services::NewSession input;
    auto channel = fields.required_string("channel");
    if (!channel) return std::move(channel).error();
    input.channel = std::move(channel).value();
    auto phone = fields.optional_string("phoneNumber");
    if (!phone) return std::move(phone).error();
    input.phone_number = std::move(phone).value();
    auto user = fields.optional_string("userId");
    if (!user) return std::move(user).error();
    input.user_id = std::move(user).value();
    auto metadata = fields.optional_object_text("metadata");
    if (!metadata) return std::move(metadata).error();
    input.metadata_json = std::move(metadata).value();

    auto session = sessions.open(context.caller(), std::move(input));
    if (!session) return std::move(session).error();
    context.audit.target = "session:" + session->id;
    return render_session(201, *session);
}

HandlerResult list_sessions(RequestContext& context, services::SessionService& sessions) {
    auto filter = session_filter_from_query(context.request, 50);
    if (!filter) return std::move(filter).error();
    auto page = sessions.list(context.caller(), *filter);
    if (!page) return std::move(page).error();
    return success(200, session_page_json(*page));
}

HandlerResult get_session(RequestContext& context, services::SessionService& sessions, services::CallService& calls) {
    auto session = sessions.get(context.caller(), std::string(context.param("id")));
    if (!session) return std::move(session).error();
    auto session_calls = calls.list_for_session(context.caller(), session->id);
    if (!session_calls) return std::move(session_calls).error();
    auto rendered = session_json(*session);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& call : *session_calls) list.push_back(call_json(call));
    rendered["calls"] = std::move(list);
    return success(200, {{"sessionId", session->id}, {"session", std::move(rendered)}});
}

HandlerResult end_session(RequestContext& context, services::SessionService& sessions) {
    const std::string id(context.param("id"));
    note_session(context, "session.end", id);
    auto session = sessions.end(context.caller(), id);
    if (!session) return std::move(session).error();
    return render_session(200, *session);
}

}  // namespace

void add_session_routes(http::Router& router, services::SessionService& sessions, services::CallService& calls) {
    using http::Method;
    auto bind = [&sessions](HandlerResult (*handler)(RequestContext&, services::SessionService&)) {
        return [handler, &sessions](RequestContext& context) { return handler(context, sessions); };
    };
    router.add({Method::kPost, "/api/voice/sessions", "Open a session (or act on one: legacy {sessionId, action})",
                http::Access::kApiKey, http::Execution::kWorker, bind(create_session)});
    router.add({Method::kGet, "/api/voice/sessions", "List the platform's sessions", http::Access::kApiKey,
                http::Execution::kWorker, bind(list_sessions)});
    router.add({Method::kGet, "/api/voice/sessions/{id}", "Get one session with its calls", http::Access::kApiKey,
                http::Execution::kWorker,
                [&sessions, &calls](RequestContext& context) { return get_session(context, sessions, calls); }});
    router.add({Method::kPost, "/api/voice/sessions/{id}/end", "End a session", http::Access::kApiKey,
                http::Execution::kWorker, bind(end_session)});
}

}  // namespace crossvoice::api
