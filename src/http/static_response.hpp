#pragma once

#include <optional>
#include <string_view>

#include "http/message.hpp"
#include "http/static_site.hpp"

namespace crossvoice::http {

enum class CachePolicy {
    kRevalidate,  // Cache-Control: no-cache (HTML: always asks, a 304 when unchanged)
    kImmutable,   // content-hashed names: public, max-age=31536000, immutable
    kShort,       // a fixed URL other sites embed (widget.js): public, max-age=300
};

struct StaticServeOptions {
    CachePolicy cache = CachePolicy::kRevalidate;
    bool cross_origin = false;  // Access-Control-Allow-Origin: * (a script other sites load)
};

// The response for `file`: 304 when If-None-Match names the representation chosen, the gzip representation when
// the build made one and Accept-Encoding allows it (Vary: Accept-Encoding either way), ETag and Cache-Control,
// X-Content-Type-Options and Referrer-Policy on everything, and on HTML the Content-Security-Policy (scripts,
// styles and connections from this origin only, nothing inline, no framing).
Response serve_static(const StaticFile& file, const Request& request, const StaticServeOptions& options);

// Whether an Accept-Encoding value allows gzip ("gzip", "x-gzip" or "*" with a q-value above 0).
bool accepts_gzip(std::optional<std::string_view> accept_encoding);

// Whether an If-None-Match value ("*", or a list of entity tags, weak or strong) matches `etag` (weak comparison).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// The policy HTML pages are served with.
inline constexpr std::string_view kHtmlContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

}  // namespace crossvoice::http
