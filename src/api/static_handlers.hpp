#pragma once

#include <memory>

#include "http/router.hpp"
#include "http/static_site.hpp"

namespace crossvoice::api {

// The built front end (`make web` → CROSSVOICE_WEB_DIR): the console at /console/ (a single-page app: any path
// below it that is not a file gets its index.html), /widget.js for the platforms' pages, and the demo pages at
// /demo/tetrix and /demo/joromi. Public routes: the console signs in with an API key of its own. While the
// folder is missing they answer 503 saying to run `make web`.
void add_static_routes(http::Router& router, std::shared_ptr<http::StaticSite> site);

// How deep a console path may go (/console/a/b/c/d): one route per depth, since patterns match whole segments.
inline constexpr int kConsoleDepth = 5;

}  // namespace crossvoice::api
