#include "api/live_event_request.hpp"

#include <charconv>

#include "http/header_tokens.hpp"

namespace crossvoice::api {
namespace {

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

}  // namespace

core::Result<LiveEventRequest> read_live_event_request(const http::Request& request) {
    LiveEventRequest out;
    auto after = last_event_id(request);
    if (!after) return std::move(after).error();
    out.after = *after;
    if (request.has_query_param("sessionId")) {
        auto id = request.query_param("sessionId");
        if (!id || id->empty() || id->size() > 64) {
            return core::Error::validation("sessionId", "sessionId must be a session id");
        }
        out.session_id = std::move(id);
    }
    return out;
}

bool offers_subprotocol(std::string_view offered, std::string_view protocol) {
    for (const auto item : http::comma_separated(offered)) {
        if (item == protocol) return true;
    }
    return false;
}

}  // namespace crossvoice::api
