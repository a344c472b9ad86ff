#pragma once

#include <memory>

#include "app/runtime.hpp"
#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "observability/metrics.hpp"

namespace crossvoice::app {

// The HTTP face of a Runtime: every route, the metrics they report to, and the pipeline that
// authenticates and audits them. Built once at start-up; read-only afterwards.
struct HttpApp {
    http::Router router;
    observability::MetricsRegistry metrics;
    std::shared_ptr<http::RequestMetrics> request_metrics;
    std::unique_ptr<http::Pipeline> pipeline;
};

std::unique_ptr<HttpApp> build_http_app(Runtime& runtime);

}  // namespace crossvoice::app
