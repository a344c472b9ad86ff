#include "api/widget_handlers.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/json_body.hpp"
#include "api/live_event_request.hpp"
#include "api/widget_event_stream.hpp"
#include "api/widget_json.hpp"
#include "api/widget_origins.hpp"
#include "api/widget_request.hpp"
#include "core/time_format.hpp"
#include "http/error_response.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;
using nlohmann::json;

constexpr std::string_view kStartPattern = "/api/widget/{platform}/conversations";
constexpr std::string_view kMessagesPattern = "/api/widget/conversations/{id}/messages";
constexpr std::string_view kEventsPattern = "/api/widget/conversations/{id}/events";
constexpr std::string_view kCallbackPattern = "/api/widget/conversations/{id}/callback";
constexpr std::string_view kHandoffPattern = "/api/widget/conversations/{id}/handoff";

// The page's origin checked first; a cross-origin caller's answer (errors too) carries the CORS headers, or its
// browser would hide what went wrong.
template <typename Body>
HandlerResult with_origin(RequestContext& context, const WidgetOrigins& origins, Body&& body) {
    auto origin = origins.check(context.request);
    if (!origin) return std::move(origin).error();
    HandlerResult result = body();
    if (!*origin) return result;
    http::Response response = result ? std::move(result).value() : http::render_error(result.error());
    WidgetOrigins::add_cors_headers(response, *origin);
    return response;
}

// The visitor the request's token speaks for, for the session in the path; sets the principal so that the audit
// row names the platform (key id "visitor").
core::Result<services::Visitor> visitor_of(RequestContext& context, services::VisitorService& visitors) {
    auto token = visitor_token(context.request);
    if (!token) return std::move(token).error();
    auto visitor = visitors.authenticate(*token, context.param("id"));
    if (!visitor) return std::move(visitor).error();
    context.principal = visitor->principal();
    return visitor;
}

HandlerResult start(RequestContext& context, services::VisitorService& visitors) {
    context.audit.action = "widget.conversation.start";
    const std::string name(context.param("platform"));
    const auto platform = core::parse_platform(name);
    if (!platform) {
        // Path parameters arrive percent-decoded: only a short, printable name is repeated back.
        const bool printable =
            name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; });
        return core::Error{core::ErrorCode::kNotFound,
                           printable ? fmt::format("no platform named '{}': the widget serves tetrix and joromi", name)
                                     : std::string("no such platform: the widget serves tetrix and joromi"),
                           {{"resource", "platform"}, {"id", printable ? name : std::string()}}};
    }
    context.principal = core::Principal{*platform, std::string(services::Visitor::kVisitorKeyId)};
    auto request = read_widget_start(context.request);
    if (!request) return std::move(request).error();
    if (request->handoff_token) context.audit.action = "widget.conversation.continue";
    auto started = visitors.start(*platform, *request);
    if (!started) return std::move(started).error();
    context.audit.target = "session:" + started->session.id;
    json history = json::array();
    for (const auto& message : started->history) history.push_back(visitor_message_json(message));
    json greeting;
    if (!started->continued && !started->history.empty()) greeting = history.back();
    return success(201, {{"sessionId", started->session.id},
                         {"visitorToken", started->token},
                         {"expiresAt", core::format_rfc3339(started->expires_at)},
                         {"platform", core::to_string(*platform)},
                         {"continued", started->continued},
                         {"owner", owner_name(started->owner)},
                         {"greeting", std::move(greeting)},
                         {"messages", std::move(history)}});
}

HandlerResult post_message(RequestContext& context, services::VisitorService& visitors) {
    context.audit.action = "widget.message";
    context.audit.target = "session:" + std::string(context.param("id"));
    auto visitor = visitor_of(context, visitors);
    if (!visitor) return std::move(visitor).error();
    auto text = read_widget_text(context.request);
    if (!text) return std::move(text).error();
    auto answered = visitors.say(*visitor, *text);
    if (!answered) return std::move(answered).error();
    json out{{"sessionId", visitor->session_id}, {"message", visitor_message_json(answered->question)}};
    if (answered->owned_by_agent || !answered->answer) {
        out["reply"] = json();
        out["owner"] = "agent";
    } else {
        out["reply"] = visitor_message_json(*answered->answer);
        out["owner"] = answered->reply.handoff == core::Handoff::kAgent ? "agent" : "shango";
    }
    return success(200, std::move(out));
}

HandlerResult get_messages(RequestContext& context, services::VisitorService& visitors) {
    auto visitor = visitor_of(context, visitors);
    if (!visitor) return std::move(visitor).error();
    auto limit = query_int(context.request, "limit", services::VisitorService::kDefaultTimeline);
    if (!limit) return std::move(limit).error();
    auto seen = visitors.timeline(*visitor, *limit);
    if (!seen) return std::move(seen).error();
    json messages = json::array();
    for (const auto& message : seen->messages) messages.push_back(visitor_message_json(message));
    return success(200, {{"sessionId", seen->session.id},
                         {"status", core::to_string(seen->session.status)},
                         {"owner", owner_name(seen->owner)},
                         {"messages", std::move(messages)}});
}

HandlerResult events(RequestContext& context, services::VisitorService& visitors, services::LiveEventHub& hub) {
    auto visitor = visitor_of(context, visitors);
    if (!visitor) return std::move(visitor).error();
    auto wanted = read_live_event_request(context.request);
    if (!wanted) return std::move(wanted).error();
    http::Response response;
    response.content_type = "text/event-stream; charset=utf-8";
    response.stream = std::make_shared<WidgetEventStream>(hub, visitor->platform, visitor->session_id, wanted->after);
    response.stream_protocol = http::StreamProtocol::kEventStream;
    return response;
}

HandlerResult call_me(RequestContext& context, services::VisitorService& visitors) {
    context.audit.action = "widget.callback";
    context.audit.target = "session:" + std::string(context.param("id"));
    auto visitor = visitor_of(context, visitors);
    if (!visitor) return std::move(visitor).error();
    auto phone = read_widget_phone(context.request);
    if (!phone) return std::move(phone).error();
    auto placed = visitors.call_me(*visitor, *phone);
    if (!placed) return std::move(placed).error();
    return success(201, {{"sessionId", visitor->session_id},
                         {"callId", placed->call.id},
                         {"state", core::to_string(placed->call.state)}});
}

HandlerResult hand_off(RequestContext& context, services::VisitorService& visitors) {
    context.audit.action = "widget.handoff";
    context.audit.target = "session:" + std::string(context.param("id"));
    auto visitor = visitor_of(context, visitors);
    if (!visitor) return std::move(visitor).error();
    auto ticket = visitors.hand_off(*visitor);
    if (!ticket) return std::move(ticket).error();
    return success(201, {{"sessionId", visitor->session_id},
                         {"token", ticket->token},
                         {"toPlatform", core::to_string(ticket->claims.to_platform)},
                         {"expiresAt", core::format_rfc3339(ticket->claims.expires_at)}});
}

HandlerResult preflight(RequestContext& context, const WidgetOrigins& origins) {
    context.audit.recorded_elsewhere = true;
    auto origin = origins.check(context.request);
    if (!origin) return std::move(origin).error();
    return WidgetOrigins::preflight(*origin);
}

}  // namespace

void add_widget_routes(http::Router& router, services::VisitorService& visitors, services::LiveEventHub& hub,
                       std::vector<std::string> allowed_origins) {
    // Shared by the routes' handlers, which live as long as the router.
    const auto origins = std::make_shared<const WidgetOrigins>(std::move(allowed_origins));
    using http::Access;
    using http::Execution;
    using http::Method;
    const auto add = [&router, &origins](Method method, std::string_view pattern, std::string summary,
                                         std::function<HandlerResult(RequestContext&)> handler) {
        router.add({method, std::string(pattern), std::move(summary), Access::kPublic, Execution::kWorker,
                    [origins, handler = std::move(handler)](RequestContext& context) {
                        return with_origin(context, *origins, [&] { return handler(context); });
                    }});
    };
    add(Method::kPost, kStartPattern, "Widget: start a visitor's conversation, or continue one handed off",
        [&visitors](RequestContext& context) { return start(context, visitors); });
    add(Method::kPost, kMessagesPattern, "Widget: the visitor says something; SHANGO answers unless a person owns it",
        [&visitors](RequestContext& context) { return post_message(context, visitors); });
    add(Method::kGet, kMessagesPattern, "Widget: the conversation as the visitor sees it",
        [&visitors](RequestContext& context) { return get_messages(context, visitors); });
    add(Method::kGet, kEventsPattern, "Widget: live events of the visitor's conversation (Server-Sent Events)",
        [&visitors, &hub](RequestContext& context) { return events(context, visitors, hub); });
    add(Method::kPost, kCallbackPattern, "Widget: call the visitor back, in the same conversation",
        [&visitors](RequestContext& context) { return call_me(context, visitors); });
    add(Method::kPost, kHandoffPattern, "Widget: a token to continue the conversation on the other platform",
        [&visitors](RequestContext& context) { return hand_off(context, visitors); });
    for (const auto pattern : {kStartPattern, kMessagesPattern, kEventsPattern, kCallbackPattern, kHandoffPattern}) {
        router.add({Method::kOptions, std::string(pattern), "Widget: CORS preflight", Access::kPublic,
                    Execution::kInline, [origins](RequestContext& context) { return preflight(context, *origins); }});
    }
}

}  // namespace crossvoice::api
