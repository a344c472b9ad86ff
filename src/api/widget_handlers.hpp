#pragma once

#include <string>
#include <vector>

#include "http/router.hpp"
#include "services/live_event_hub.hpp"
#include "services/visitor_service.hpp"

namespace crossvoice::api {

// The embeddable widget's visitor API (no API key: a visitor token per conversation, "Authorization: Visitor
// <token>"): start or continue a conversation on a platform, its messages and live events, "call me", and a
// hand-off to the other platform; each with its CORS preflight. `allowed_origins`: CROSSVOICE_WIDGET_ORIGINS.
void add_widget_routes(http::Router& router, services::VisitorService& visitors, services::LiveEventHub& hub,
                       std::vector<std::string> allowed_origins);

}  // namespace crossvoice::api
