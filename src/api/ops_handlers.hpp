#pragma once

#include <string_view>

#include "http/router.hpp"
#include "observability/metrics.hpp"
#include "services/readiness_service.hpp"

namespace crossvoice::api {

// GET /healthz, /readyz, /metrics (no key) and GET /api/openapi.json.
void add_ops_routes(http::Router& router, services::ReadinessService& readiness,
                    const observability::MetricsRegistry& metrics, std::string_view openapi_document);

}  // namespace crossvoice::api
