#include "api/handoff_handlers.hpp"

#include <nlohmann/json.hpp>

#include "api/json_body.hpp"
#include "api/session_json.hpp"
#include "core/time_format.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;
using nlohmann::json;

HandlerResult issue(RequestContext& context, services::HandoffService& handoffs) {
    const std::string id(context.param("id"));
    context.audit.action = "session.handoff";
    context.audit.target = "session:" + id;
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    services::HandoffRequest request;
    auto to = fields.required_string("toPlatform");
    if (!to) return std::move(to).error();
    request.to_platform = std::move(to).value();
    auto user = fields.optional_string("userId");
    if (!user) return std::move(user).error();
    request.user_id = std::move(user).value();
    if (fields.has("expiresInSeconds")) {
        auto seconds = fields.optional_int("expiresInSeconds", 600, 30, 3600);
        if (!seconds) return std::move(seconds).error();
        request.expires_in = std::chrono::seconds(*seconds);
    }
    auto ticket = handoffs.issue(context.caller(), id, request);
    if (!ticket) return std::move(ticket).error();
    const auto& claims = ticket->claims;
    return success(201, {{"sessionId", claims.session_id},
                         {"token", ticket->token},
                         {"fromPlatform", core::to_string(claims.from_platform)},
                         {"toPlatform", core::to_string(claims.to_platform)},
                         {"userId", claims.user_id ? json(*claims.user_id) : json()},
                         {"expiresAt", core::format_rfc3339(claims.expires_at)}});
}

HandlerResult claim(RequestContext& context, services::HandoffService& handoffs) {
    context.audit.action = "session.claim";
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    auto token = fields.required_string("token");
    if (!token) return std::move(token).error();
    auto session = handoffs.claim(context.caller(), *token);
    if (!session) return std::move(session).error();
    context.audit.target = "session:" + session->id;
    return success(200, {{"sessionId", session->id}, {"session", session_json(*session)}});
}

}  // namespace

void add_handoff_routes(http::Router& router, services::HandoffService& handoffs) {
    using http::Access;
    using http::Execution;
    using http::Method;
    router.add({Method::kPost, "/api/voice/integration/sessions/{id}/handoff",
                "A single-use token that lets the other platform continue this session", Access::kApiKey,
                Execution::kWorker, [&handoffs](RequestContext& context) { return issue(context, handoffs); }});
    router.add({Method::kPost, "/api/voice/integration/sessions/claim",
                "Continue a session handed off from the other platform", Access::kApiKey, Execution::kWorker,
                [&handoffs](RequestContext& context) { return claim(context, handoffs); }});
}

}  // namespace crossvoice::api
