#include "api/session_listing.hpp"

#include "api/json_body.hpp"
#include "api/session_json.hpp"

namespace crossvoice::api {

core::Result<services::SessionFilter> session_filter_from_query(const http::Request& request, int default_limit) {
    services::SessionFilter filter;
    auto status = query_string(request, "status");
    if (!status) return std::move(status).error();
    filter.status = std::move(status).value();
    auto channel = query_string(request, "channel");
    if (!channel) return std::move(channel).error();
    filter.channel = std::move(channel).value();
    auto limit = query_int(request, "limit", default_limit);
    if (!limit) return std::move(limit).error();
    filter.limit = *limit;
    auto cursor = query_string(request, "cursor");
    if (!cursor) return std::move(cursor).error();
    filter.cursor = std::move(cursor).value();
    return filter;
}

nlohmann::json session_page_json(const services::SessionPage& page) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& session : page.sessions) {
        auto item = session_json(session);
        item.erase("metadata");  // the listing is a summary; the detail has everything
        items.push_back(std::move(item));
    }
    return {{"sessions", std::move(items)},
            {"count", page.sessions.size()},
            {"nextCursor", page.next_cursor ? nlohmann::json(*page.next_cursor) : nlohmann::json()}};
}

}  // namespace crossvoice::api
