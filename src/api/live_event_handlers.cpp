#include "api/live_event_handlers.hpp"

#include <charconv>

#include "api/live_event_stream.hpp"
#include "http/error_response.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;

constexpr std::string_view kSubprotocol = "crossvoice.v1";

core::Result<std::optional<std::uint64_t>> last_event_id(const http::Request& request) {
    std::optional<std::string> text;
    if (auto header = request.header("last-event-id")) text = std::string(*header);
    if (!text && request.has_query_param("lastEventId")) {
        text = request.query_param("lastEventId");
        if (!text) return core::Error::validation("lastEventId", "lastEventId is badly encoded");
    }
    if (!text || text->empty()) return std::optional<std::uint64_t>();
    std::uint64_t value = 0;
    const auto* end = text->data() + text->size();
    const auto [at, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc() || at != end) {
        return core::Error::validation("Last-Event-ID", "Last-Event-ID must be the id of an event (a whole number)");
    }
    return std::optional<std::uint64_t>(value);
}

core::Result<std::optional<std::string>> session_filter(const http::Request& request) {
    if (!request.has_query_param("sessionId")) return std::optional<std::string>();
    auto id = request.query_param("sessionId");
    if (!id || id->empty() || id->size() > 64) {
        return core::Error::validation("sessionId", "sessionId must be a session id");
    }
    return std::optional<std::string>(std::move(id));
}

bool offers(std::string_view list, std::string_view wanted) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        auto item = list.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item == wanted) return true;
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
    return false;
}

bool contains_token(std::string_view header, std::string_view token) {
    std::string lower(header);
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return lower.find(token) != std::string::npos;
}

HandlerResult event_stream(RequestContext& context, services::LiveEventHub& hub) {
    auto after = last_event_id(context.request);
    if (!after) return std::move(after).error();
    auto session = session_filter(context.request);
    if (!session) return std::move(session).error();
    http::Response response;
    response.content_type = "text/event-stream; charset=utf-8";
    response.stream = std::make_shared<LiveEventStream>(hub, LiveEventStream::Format::kEventStream,
                                                        context.caller().platform, *after, std::move(*session));
    response.stream_protocol = http::StreamProtocol::kEventStream;
    return response;
}

HandlerResult websocket(RequestContext& context, services::LiveEventHub& hub) {
    const auto& request = context.request;
    const auto upgrade = request.header("upgrade");
    if (!upgrade || !contains_token(*upgrade, "websocket")) {
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
        if (!offers(*offered, kSubprotocol)) {
            return core::Error::validation("Sec-WebSocket-Protocol",
                                           "offer the subprotocol crossvoice.v1 (alongside bearer.<key>)");
        }
        response.headers.emplace_back("Sec-WebSocket-Protocol", std::string(kSubprotocol));
    }
    auto after = last_event_id(request);
    if (!after) return std::move(after).error();
    auto session = session_filter(request);
    if (!session) return std::move(session).error();
    response.status = 200;  // the handshake answers 101
    response.stream = std::make_shared<LiveEventStream>(hub, LiveEventStream::Format::kWebSocket,
                                                        context.caller().platform, *after, std::move(*session));
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
