#include "http/pipeline.hpp"

#include <exception>

#include "http/error_response.hpp"
#include "http/header_tokens.hpp"
#include "observability/logging.hpp"

namespace crossvoice::http {

namespace {

// Browsers cannot set headers on a WebSocket; the key travels as an offered subprotocol "bearer.<key>" instead
// (never in the URL, where proxies and logs would keep it). The server answers with another offered protocol.
std::optional<std::string_view> websocket_bearer(const Request& request) {
    const auto offered = request.header("sec-websocket-protocol");
    if (!offered) return std::nullopt;
    constexpr std::string_view kPrefix = "bearer.";
    for (const auto protocol : comma_separated(*offered)) {
        if (protocol.size() > kPrefix.size() && protocol.substr(0, kPrefix.size()) == kPrefix) {
            return protocol.substr(kPrefix.size());
        }
    }
    return std::nullopt;
}

}  // namespace

core::Result<std::string_view> bearer_secret(const Request& request) {
    const auto header = request.header("authorization");
    if (!header) {
        if (auto secret = websocket_bearer(request)) return *secret;
        return core::Error::unauthorized("missing Authorization header; send 'Authorization: Bearer <key>'");
    }
    constexpr std::string_view kScheme = "Bearer ";
    if (header->size() <= kScheme.size() || header->substr(0, kScheme.size()) != kScheme) {
        return core::Error::unauthorized("Authorization header must use the Bearer scheme");
    }
    return header->substr(kScheme.size());
}

HandlerResult Pipeline::authenticate_and_run(RequestContext& context, const Route& route) const {
    if (route.access == Access::kApiKey) {
        auto secret = bearer_secret(context.request);
        if (!secret) return std::move(secret).error();
        auto principal = authenticate_(*secret);
        if (!principal) return std::move(principal).error();
        context.principal = std::move(principal).value();
    }
    try {
        return route.handler(context);
    } catch (const std::exception& e) {
        observability::logger("http")->error("request_id={} handler for {} {} threw: {}", context.request_id,
                                             to_string(route.method), route.pattern, e.what());
        return core::Error::internal("internal error; quote the request id when reporting it")
            .with("requestId", context.request_id);
    }
}

Outcome Pipeline::handle(const Request& request, const RouteMatch& match, const std::string& request_id) const {
    const Route& route = *match.route;
    RequestContext context{request, request_id, match.params, std::nullopt, {}};
    HandlerResult result = authenticate_and_run(context, route);

    Outcome outcome;
    std::string outcome_label = "success";
    if (result) {
        outcome.response = std::move(result).value();
    } else {
        outcome_label = std::string(core::to_string(result.error().code));
        outcome.response = render_error(result.error());
    }
    if (context.principal) outcome.key_id = context.principal->key_id;

    if (is_mutating(route.method) && !context.audit.recorded_elsewhere) {
        core::AuditEntry entry;
        if (context.principal) entry.platform = context.principal->platform;
        entry.key_id = outcome.key_id.empty() ? "-" : outcome.key_id;
        entry.action = context.audit.action.empty() ? std::string(to_string(route.method)) + " " + route.pattern
                                                    : std::move(context.audit.action);
        entry.target = context.audit.target.empty() ? std::string(request.path) : std::move(context.audit.target);
        entry.request_id = request_id;
        entry.outcome = std::move(outcome_label);
        entry.status = outcome.response.status;
        audit_(std::move(entry));
    }
    return outcome;
}

}  // namespace crossvoice::http
