#include "app/http_app.hpp"

#include "api/assistant_handlers.hpp"
#include "api/audit_handlers.hpp"
#include "api/callback_handlers.hpp"
#include "api/handoff_handlers.hpp"
#include "api/integration_handlers.hpp"
#include "api/ivr_handlers.hpp"
#include "api/job_handlers.hpp"
#include "api/live_event_handlers.hpp"
#include "api/messaging_handlers.hpp"
#include "api/openapi.hpp"
#include "api/ops_handlers.hpp"
#include "api/session_handlers.hpp"
#include "api/static_handlers.hpp"
#include "api/transcription_handlers.hpp"
#include "api/voice_handlers.hpp"
#include "api/widget_handlers.hpp"
#include "app/version.hpp"
#include "observability/logging.hpp"

namespace crossvoice::app {

std::unique_ptr<HttpApp> build_http_app(Runtime& runtime) {
    auto app = std::make_unique<HttpApp>();
    // Every route of the service; tests/unit/app/openapi_test.cpp keeps src/api/openapi.json in step.
    api::add_ops_routes(app->router, runtime.readiness(), app->metrics, embedded::openapi_document());
    api::add_session_routes(app->router, runtime.sessions(), runtime.calls());
    api::add_voice_routes(app->router, runtime.calls(), runtime.call_events());
    api::add_ivr_routes(app->router, runtime.ivr(), runtime.flows());
    api::add_job_routes(app->router, runtime.jobs());
    api::add_transcription_routes(app->router, runtime.transcription(), runtime.timeline(),
                                  runtime.config().max_upload_bytes);
    api::add_audit_routes(app->router, runtime.audit());
    api::add_assistant_routes(app->router, runtime.shango(), runtime.knowledge());
    api::add_messaging_routes(app->router, runtime.messaging());
    api::add_handoff_routes(app->router, runtime.handoffs());
    api::add_live_event_routes(app->router, runtime.live_events());
    api::add_callback_routes(app->router, runtime.callbacks());
    api::add_integration_routes(app->router, runtime.integration(), runtime.integration_status(),
                                runtime.integration_selftest());
    api::add_integration_transcribe_route(app->router, runtime.integration_transcribe(),
                                          runtime.config().max_upload_bytes);
    api::add_widget_routes(app->router, runtime.visitors(), runtime.live_events(), runtime.config().widget_origins);
    // The built front end: the console, the widget and the demo pages (not API routes: not in openapi.json).
    api::add_static_routes(app->router, std::make_shared<http::StaticSite>(runtime.config().web_dir));
    // The sandbox carrier's Telnyx-protocol routes, when it stands in for Telnyx (not part of our API), and the
    // sandbox messaging channel's customer controls, when it stands in for Sinch.
    if (auto* sandbox = runtime.sandbox()) sandbox->add_routes(app->router);
    if (auto* messaging = runtime.sandbox_messaging()) messaging->add_routes(app->router);

    app->request_metrics = std::make_shared<http::RequestMetrics>(app->router);
    app->metrics.add(std::make_shared<observability::BuildInfo>(std::string(kVersion), std::string(kGitCommit)));
    app->metrics.add(app->request_metrics);
    app->metrics.add(runtime.voice_metrics());
    app->metrics.add(runtime.assistant_metrics());
    app->metrics.add(runtime.messaging_metrics());
    app->metrics.add(runtime.live_metrics());
    app->metrics.add(runtime.sampled_metrics());

    app->pipeline = std::make_unique<http::Pipeline>(
        [&runtime](std::string_view secret) { return runtime.keys().authenticate(secret); },
        [&runtime, log = observability::logger("app")](core::AuditEntry entry) {
            if (auto recorded = runtime.audit().record(std::move(entry)); !recorded) {
                log->error("audit row not written: {}", recorded.error().message);
            }
        });
    return app;
}

}  // namespace crossvoice::app
