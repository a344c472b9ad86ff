#pragma once

#include "http/router.hpp"
#include "services/flow_catalog.hpp"
#include "services/ivr_service.hpp"

namespace crossvoice::api {

// POST|GET /api/voice/texml, POST|GET /api/voice/texml/status (the TeXML application, signed),
// GET /api/ivr/flows, GET|PUT|DELETE /api/ivr/flows/{name}, GET /api/ivr/calls/{id}.
void add_ivr_routes(http::Router& router, services::IvrService& ivr, services::FlowCatalog& flows);

}  // namespace crossvoice::api
