#include "api/callback_handlers.hpp"

#include <nlohmann/json.hpp>

#include "api/call_json.hpp"
#include "api/json_body.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;

HandlerResult call_back(RequestContext& context, services::CallbackService& callbacks) {
    const std::string id(context.param("id"));
    context.audit.action = "session.callback";
    context.audit.target = "session:" + id;
    // An empty body is fine: the number is the customer's.
    nlohmann::json body = nlohmann::json::object();
    if (!context.request.body.empty()) {
        auto parsed = parse_json_object(context.request);
        if (!parsed) return std::move(parsed).error();
        body = std::move(parsed).value();
    }
    const Fields fields(body);
    auto to = fields.optional_string("to");
    if (!to) return std::move(to).error();
    auto flow = fields.optional_string("flow");
    if (!flow) return std::move(flow).error();
    auto placed = callbacks.call_back(context.caller(), id, std::move(to).value(), std::move(flow).value());
    if (!placed) return std::move(placed).error();
    const auto& call = placed->call;
    return success(201, {{"sessionId", placed->session.id},
                         {"callId", call.id},
                         {"status", core::to_string(call.state)},
                         {"phoneNumber", call.to},
                         {"call", call_json(call)}});
}

}  // namespace

void add_callback_routes(http::Router& router, services::CallbackService& callbacks) {
    router.add({http::Method::kPost, "/api/voice/integration/sessions/{id}/callback",
                "Call the session's customer back, in the same session", http::Access::kApiKey,
                http::Execution::kWorker,
                [&callbacks](RequestContext& context) { return call_back(context, callbacks); }});
}

}  // namespace crossvoice::api
