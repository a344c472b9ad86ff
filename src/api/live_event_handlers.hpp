#pragma once

#include "http/router.hpp"
#include "services/live_event_hub.hpp"

namespace crossvoice::api {

// GET /api/events (Server-Sent Events) and GET /api/events/ws (WebSocket): the key's platform's live events,
// optionally of one session (?sessionId=), resumable from Last-Event-ID (or ?lastEventId= on a WebSocket).
void add_live_event_routes(http::Router& router, services::LiveEventHub& hub);

}  // namespace crossvoice::api
