#include "api/static_handlers.hpp"

#include <string>

#include "http/static_path.hpp"
#include "http/static_response.hpp"

namespace crossvoice::api {
namespace {

using http::CachePolicy;
using http::StaticServeOptions;

constexpr std::string_view kConsolePrefix = "/console/";

core::Error not_built(const http::StaticSite& site, std::string_view what) {
    return core::Error::unavailable("the web front end is not built: " + site.root().string() + " has no " +
                                    std::string(what) + "; run `make web` (or set CROSSVOICE_WEB_DIR)");
}

core::Error bad_path(std::string_view path) {
    return core::Error::bad_request("not a file name this site serves: " + std::string(path)).with("field", "path");
}

bool looks_like_a_file(std::string_view relative) {
    const auto slash = relative.rfind('/');
    const auto name = slash == std::string_view::npos ? relative : relative.substr(slash + 1);
    return name.find('.') != std::string_view::npos;
}

// /console/ and below: a published file as itself (hashed assets cached for good), a missing file 404, and any
// other path the app's index.html (its router draws the page).
http::HandlerResult serve_console(http::StaticSite& site, http::RequestContext& context) {
    const auto& request = context.request;
    std::string_view encoded = request.path;
    encoded.remove_prefix(std::min(encoded.size(), kConsolePrefix.size()));
    const auto relative = http::safe_static_path(encoded);
    if (!relative) return bad_path(request.path);
    const auto snapshot = site.current();
    const auto* index = snapshot ? snapshot->find("console/index.html") : nullptr;
    if (!index) return not_built(site, "console/index.html");
    if (!relative->empty()) {
        if (const auto* file = snapshot->find("console/" + *relative)) {
            const bool hashed = relative->rfind("assets/", 0) == 0;
            return http::serve_static(*file, request,
                                      {hashed ? CachePolicy::kImmutable : CachePolicy::kRevalidate, false});
        }
        if (looks_like_a_file(*relative) || relative->rfind("assets/", 0) == 0) {
            return core::Error::not_found("console file", *relative);
        }
    }
    return http::serve_static(*index, request, {CachePolicy::kRevalidate, false});
}

http::HandlerResult serve_file(http::StaticSite& site, http::RequestContext& context, const std::string& relative,
                               const StaticServeOptions& options) {
    const auto snapshot = site.current();
    if (!snapshot) return not_built(site, relative);
    const auto* file = snapshot->find(relative);
    if (!file) return core::Error::not_found("file", relative).with("hint", "run `make web`");
    return http::serve_static(*file, context.request, options);
}

}  // namespace

void add_static_routes(http::Router& router, std::shared_ptr<http::StaticSite> site) {
    using http::Access;
    using http::Execution;
    using http::Method;
    // Files are served from memory; a worker may read the folder again after `make web`, so not inline.
    router.add({Method::kGet, "/console", "The staff console (redirects to /console/)", Access::kPublic,
                Execution::kInline, [](http::RequestContext&) -> http::HandlerResult {
                    auto response = http::Response::text(308, "text/plain; charset=utf-8", "/console/\n");
                    response.headers.emplace_back("Location", "/console/");
                    return response;
                }});
    std::string pattern = "/console/";
    router.add({Method::kGet, pattern, "The staff console", Access::kPublic, Execution::kWorker,
                [site](http::RequestContext& context) { return serve_console(*site, context); }});
    for (int depth = 1; depth <= kConsoleDepth; ++depth) {
        pattern += (depth == 1 ? "" : "/") + std::string("{p") + std::to_string(depth) + "}";
        router.add({Method::kGet, pattern, "The staff console's files and pages", Access::kPublic, Execution::kWorker,
                    [site](http::RequestContext& context) { return serve_console(*site, context); }});
    }
    router.add({Method::kGet, "/widget.js", "The visitor widget script", Access::kPublic, Execution::kWorker,
                [site](http::RequestContext& context) {
                    return serve_file(*site, context, "widget.js", {CachePolicy::kShort, true});
                }});
    router.add({Method::kGet, "/widget.css", "The visitor widget's styles", Access::kPublic, Execution::kWorker,
                [site](http::RequestContext& context) {
                    return serve_file(*site, context, "widget.css", {CachePolicy::kShort, true});
                }});
    // /demo/tetrix → demo/tetrix.html; a name with an extension (a stylesheet, an image) is that file.
    router.add({Method::kGet, "/demo/{page}", "A platform's demo page with the widget", Access::kPublic,
                Execution::kWorker, [site](http::RequestContext& context) -> http::HandlerResult {
                    std::string_view encoded = context.request.path;
                    encoded.remove_prefix(std::string_view("/demo/").size());
                    const auto name = http::safe_static_path(encoded);
                    if (!name || name->empty()) return bad_path(context.request.path);
                    const bool page = !looks_like_a_file(*name);
                    return serve_file(*site, context, "demo/" + *name + (page ? ".html" : ""),
                                      {CachePolicy::kRevalidate, false});
                }});
}

}  // namespace crossvoice::api
