#pragma once

#include "http/router.hpp"
#include "services/audit_service.hpp"

namespace crossvoice::api {

// GET /api/audit: the caller's platform's audit rows, newest first.
void add_audit_routes(http::Router& router, services::AuditService& audit);

}  // namespace crossvoice::api
