#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/message.hpp"

namespace crossvoice::api {

// Which web pages may use the widget's API from a browser (CROSSVOICE_WIDGET_ORIGINS). A request without an
// Origin header (not a browser's cross-origin request) and a same-origin one (the Origin names the Host the
// request was sent to: the demo pages crossvoice serves itself) are always allowed; another origin only when
// listed ("*" lists every origin).
class WidgetOrigins {
  public:
    explicit WidgetOrigins(std::vector<std::string> allowed) : allowed_(std::move(allowed)) {}

    // nullopt: allowed without CORS headers (no Origin, or the same origin); an origin: allowed cross-origin,
    // echo it in Access-Control-Allow-Origin; kForbidden naming the origin otherwise.
    core::Result<std::optional<std::string>> check(const http::Request& request) const;

    // Adds the CORS headers for `origin` (from check) to a response; nothing when there is none.
    static void add_cors_headers(http::Response& response, const std::optional<std::string>& origin);
    // A preflight's answer: 204 with the allowed methods and headers.
    static http::Response preflight(const std::optional<std::string>& origin);

  private:
    std::vector<std::string> allowed_;
};

}  // namespace crossvoice::api
