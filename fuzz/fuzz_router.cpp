// Route matching, path splitting and percent-decoding on arbitrary request paths.
// Properties: split_path inverts joining with '/'; a match has as many pattern segments as the path, equal
// literal segments and one non-empty, decoded parameter per {name}; a method mismatch lists only other
// methods; percent_decode never grows its input and inverts percent-encoding; a pattern accepted by
// Router::add matches itself as a path.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace {

using crossvoice::http::Method;
using crossvoice::http::percent_decode;
using crossvoice::http::Route;
using crossvoice::http::Router;
using crossvoice::http::split_path;

constexpr Method kMethods[] = {Method::kGet,   Method::kHead,   Method::kPost,    Method::kPut,
                               Method::kPatch, Method::kDelete, Method::kOptions, Method::kOther};

bool is_param(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

Route route(Method method, std::string pattern) {
    Route r;
    r.method = method;
    r.pattern = std::move(pattern);
    r.handler = [](crossvoice::http::RequestContext&) -> crossvoice::http::HandlerResult {
        return crossvoice::http::Response::json(200, "{}");
    };
    return r;
}

const Router& service_router() {
    static const Router router = [] {
        Router r;
        r.add(route(Method::kGet, "/"));
        r.add(route(Method::kGet, "/health"));
        r.add(route(Method::kGet, "/metrics"));
        r.add(route(Method::kGet, "/api/voice/sessions"));
        r.add(route(Method::kPost, "/api/voice/sessions"));
        r.add(route(Method::kGet, "/api/voice/sessions/{id}"));
        r.add(route(Method::kDelete, "/api/voice/sessions/{id}"));
        r.add(route(Method::kPost, "/api/voice/sessions/{id}/end"));
        r.add(route(Method::kPost, "/api/voice/sessions/{sessionId}/messages/{messageId}"));
        r.add(route(Method::kGet, "/api/keys/{keyId}"));
        r.add(route(Method::kGet, "/api/keys/current"));
        r.add(route(Method::kPatch, "/api/{platform}/settings/"));
        return r;
    }();
    return router;
}

std::string percent_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        out += '%';
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
    }
    return out;
}

void check_split(std::string_view path) {
    const auto segments = split_path(path);
    if (path.empty() || path.front() != '/') {
        FUZZ_CHECK(segments.empty());
        return;
    }
    std::string joined;
    for (const auto segment : segments) {
        FUZZ_CHECK(segment.find('/') == std::string_view::npos);
        joined += '/';
        joined += segment;
    }
    FUZZ_CHECK(joined == path);
}

void check_match(const Router& router, Method method, std::string_view path) {
    const auto match = router.match(method, path);
    const auto segments = split_path(path);
    if (match.route == nullptr) {
        for (const Method allowed : match.allowed) FUZZ_CHECK(allowed != method);
        return;
    }
    FUZZ_CHECK(match.route->method == method);
    FUZZ_CHECK(match.allowed.empty());
    FUZZ_CHECK(match.index < router.routes().size() && &router.routes()[match.index] == match.route);

    const auto pattern = split_path(match.route->pattern);
    FUZZ_CHECK(pattern.size() == segments.size());
    std::size_t param = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (!is_param(pattern[i])) {
            FUZZ_CHECK(pattern[i] == segments[i]);
            continue;
        }
        FUZZ_CHECK(param < match.params.size());
        const auto& [name, value] = match.params[param++];
        FUZZ_CHECK(name == pattern[i].substr(1, pattern[i].size() - 2));
        FUZZ_CHECK(!value.empty());
        FUZZ_CHECK(percent_decode(segments[i], false) == value);
    }
    FUZZ_CHECK(param == match.params.size());
}

void check_percent_decode(std::string_view text) {
    for (const bool plus_is_space : {false, true}) {
        const auto decoded = percent_decode(text, plus_is_space);
        if (!decoded) {
            FUZZ_CHECK(text.find('%') != std::string_view::npos);
            continue;
        }
        FUZZ_CHECK(decoded->size() <= text.size());
        if (text.find('%') == std::string_view::npos && (!plus_is_space || text.find('+') == std::string_view::npos)) {
            FUZZ_CHECK(*decoded == text);
        }
        FUZZ_CHECK(percent_decode(percent_encode(*decoded), plus_is_space) == decoded);
    }
}

// The input as a route pattern: refused with invalid_argument, or matched by the same text as a path
// (literal segments compare as-is; a "{name}" segment decodes to itself unless its name is badly encoded).
void check_pattern(std::string_view text) {
    Router router;
    try {
        router.add(route(Method::kPut, std::string(text)));
    } catch (const std::invalid_argument&) {
        return;
    }
    bool decodable = true;
    for (const auto segment : split_path(text)) {
        if (is_param(segment)) decodable = decodable && percent_decode(segment, false).has_value();
    }
    const auto match = router.match(Method::kPut, text);
    FUZZ_CHECK((match.route != nullptr) == decodable);
    if (match.route) check_match(router, Method::kPut, text);
    const auto other = router.match(Method::kGet, text);
    FUZZ_CHECK(other.route == nullptr);
    if (decodable) FUZZ_CHECK(other.allowed == std::vector<Method>{Method::kPut});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view path(reinterpret_cast<const char*>(data), size);
    check_split(path);
    for (const Method method : kMethods) check_match(service_router(), method, path);
    check_percent_decode(path);
    check_pattern(path);
    return 0;
}
