#include "api/widget_origins.hpp"

#include <algorithm>

namespace crossvoice::api {
namespace {

// The host[:port] of an origin "scheme://host[:port]"; empty when it is not one.
std::string_view authority_of(std::string_view origin) {
    const auto scheme = origin.find("://");
    if (scheme == std::string_view::npos) return {};
    const auto rest = origin.substr(scheme + 3);
    if (rest.empty() || rest.find('/') != std::string_view::npos) return {};
    return rest;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

core::Result<std::optional<std::string>> WidgetOrigins::check(const http::Request& request) const {
    const auto origin = request.header("origin");
    if (!origin) return std::optional<std::string>();
    const auto host = request.header("host");
    const auto authority = authority_of(*origin);
    if (host && !authority.empty() && equal_ignoring_case(authority, *host)) return std::optional<std::string>();
    for (const auto& allowed : allowed_) {
        if (allowed == "*" || equal_ignoring_case(allowed, *origin)) {
            return std::optional<std::string>(std::string(*origin));
        }
    }
    const std::string shown = origin->size() <= 200 ? std::string(*origin) : std::string(origin->substr(0, 200));
    return core::Error{core::ErrorCode::kForbidden,
                       "this page's origin may not use the widget; add it to CROSSVOICE_WIDGET_ORIGINS",
                       {{"origin", shown}}};
}

void WidgetOrigins::add_cors_headers(http::Response& response, const std::optional<std::string>& origin) {
    if (!origin) return;
    response.headers.emplace_back("Access-Control-Allow-Origin", *origin);
    response.headers.emplace_back("Vary", "Origin");
    response.headers.emplace_back("Access-Control-Expose-Headers", "Retry-After, X-Request-Id");
}

http::Response WidgetOrigins::preflight(const std::optional<std::string>& origin) {
    http::Response response;
    response.status = 204;
    response.content_type = "text/plain; charset=utf-8";
    add_cors_headers(response, origin);
    if (origin) {
        response.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        response.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID");
        response.headers.emplace_back("Access-Control-Max-Age", "600");
    }
    return response;
}

}  // namespace crossvoice::api
