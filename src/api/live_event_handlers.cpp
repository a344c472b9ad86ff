#include "api/live_event_handlers.hpp"

#include <algorithm>
#include <cctype>

#include "api/live_event_request.hpp"
#include "api/live_event_stream.hpp"
#include "http/error_response.hpp"
#include "http/header_tokens.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;

// Upgrade: websocket (any case, possibly among other protocols).
bool asks_for_websocket(std::string_view upgrade) {
    for (const auto item : http::comma_separated(upgrade)) {
        if (item.size() == 9 && std::equal(item.begin(), item.end(), "websocket", [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            })) {
            return true;
        }
    }
    return false;
}

HandlerResult event_stream(RequestContext& context, services::LiveEventHub& hub) {
    auto wanted = read_live_event_request(context.request);
    if (!wanted) return std::move(wanted).error();
    http::Response response;
    response.content_type = "text/event-stream; charset=utf-8";
    response.stream =
        std::make_shared<LiveEventStream>(hub, LiveEventStream::Format::kEventStream, context.caller().platform,
                                          wanted->after, std::move(wanted->session_id));
    response.stream_protocol = http::StreamProtocol::kEventStream;
    return response;
}

HandlerResult websocket(RequestContext& context, services::LiveEventHub& hub) {
    const auto& request = context.request;
    const auto upgrade = request.header("upgrade");
    if (!upgrade || !asks_for_websocket(*upgrade)) {
        auto response = http::render_error(
            core::Error::bad_request("this is a WebSocket endpoint: send an upgrade request (Upgrade: websocket)"));
        response.status = 426;
        response.headers.emplace_back("Upgrade", "websocket");
        return response;
    }
    http::Response response;
    if (const auto offered = request.header("sec-websocket-protocol")) {
        // A browser offering "bearer.<key>" must also offer ours: the answer names one offered protocol, and
        // it must not be the key.
        if (!offers_subprotocol(*offered, kLiveEventsSubprotocol)) {
            return core::Error::validation("Sec-WebSocket-Protocol",
                                           "offer the subprotocol crossvoice.v1 (alongside bearer.<key>)");
        }
        response.headers.emplace_back("Sec-WebSocket-Protocol", std::string(kLiveEventsSubprotocol));
    }
    auto wanted = read_live_event_request(request);
    if (!wanted) return std::move(wanted).error();
    response.status = 200;  // the handshake answers 101
    response.stream =
        std::make_shared<LiveEventStream>(hub, LiveEventStream::Format::kWebSocket, context.caller().platform,
                                          wanted->after, std::move(wanted->session_id));
    response.stream_protocol = http::StreamProtocol::kWebSocket;
    return response;
}

}  // namespace

void add_live_event_routes(http::Router& router, services::LiveEventHub& hub) {
    router.add({http::Method::kGet, "/api/events", "Live events of the key's platform (Server-Sent Events)",
                http::Access::kApiKey, http::Execution::kWorker,
                [&hub](RequestContext& context) { return event_stream(context, hub); }});
    router.add({http::Method::kGet, "/api/events/ws", "Live events of the key's platform (WebSocket)",
                http::Access::kApiKey, http::Execution::kWorker,
                [&hub](RequestContext& context) { return websocket(context, hub); }});
}

}  // namespace crossvoice::api
