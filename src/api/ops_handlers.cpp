#include "api/ops_handlers.hpp"

#include "api/json_body.hpp"
#include "http/error_response.hpp"

namespace crossvoice::api {

void add_ops_routes(http::Router& router, services::ReadinessService& readiness,
                    const observability::MetricsRegistry& metrics, std::string_view openapi_document) {
    using http::Access;
    using http::Execution;
    using http::Method;

    // Liveness: the process answers. Cheap enough for the I/O thread.
    router.add({Method::kGet, "/healthz", "Liveness", Access::kPublic, Execution::kInline,
                [body = success(200, {{"status", "ok"}}).body](http::RequestContext&) -> http::HandlerResult {
                    return http::Response::json(200, body);  // rendered once: probes and load balancers poll this
                }});

    // Readiness: every dependency answers. Touches the database, so it runs on a worker.
    router.add({Method::kGet, "/readyz", "Readiness: dependencies reachable", Access::kPublic, Execution::kWorker,
                [&readiness](http::RequestContext&) -> http::HandlerResult {
                    bool ready = true;
                    nlohmann::json checks = nlohmann::json::object();
                    for (const auto& probe : readiness.check_all()) {
                        ready = ready && probe.ready;
                        checks[probe.name] = probe.ready
                                                 ? nlohmann::json{{"status", "ok"}}
                                                 : nlohmann::json{{"status", "failing"}, {"error", probe.detail}};
                        if (!probe.provider.empty()) checks[probe.name]["provider"] = probe.provider;
                    }
                    if (ready) return success(200, {{"status", "ready"}, {"checks", std::move(checks)}});
                    auto response = http::render_error(core::Error::unavailable("not ready: a dependency is failing"));
                    auto body = nlohmann::json::parse(response.body);
                    body["checks"] = std::move(checks);
                    response.body = body.dump();
                    return response;
                }});

    router.add({Method::kGet, "/metrics", "Prometheus metrics", Access::kPublic, Execution::kInline,
                [&metrics](http::RequestContext&) -> http::HandlerResult {
                    return http::Response::text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
                }});

    router.add({Method::kGet, "/api/openapi.json", "This API's OpenAPI 3 document", Access::kApiKey, Execution::kWorker,
                [openapi_document](http::RequestContext&) -> http::HandlerResult {
                    return http::Response::json(200, std::string(openapi_document));
                }});
}

}  // namespace crossvoice::api
