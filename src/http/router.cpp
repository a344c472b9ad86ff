#include "http/router.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <stdexcept>

namespace crossvoice::http {
namespace {

bool is_param(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::string_view RequestContext::param(std::string_view name) const {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return {};
}

const core::Principal& RequestContext::caller() const {
    assert(principal.has_value());
    return *principal;
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    if (path.empty() || path.front() != '/') return segments;
    path.remove_prefix(1);
    while (true) {
        const auto slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}

void Router::add(Route route) {
    if (split_path(route.pattern).size() > kMaxSegments) {
        throw std::invalid_argument("route pattern has more than " + std::to_string(kMaxSegments) +
                                    " segments: " + route.pattern);
    }
    if (route.pattern.empty() || route.pattern.front() != '/') {
        throw std::invalid_argument("route pattern must start with '/': " + route.pattern);
    }
    Compiled compiled;
    for (auto segment : split_path(route.pattern)) {
        if (segment.find_first_of("{}") != std::string_view::npos && !is_param(segment)) {
            throw std::invalid_argument("malformed parameter in route pattern: " + route.pattern);
        }
        compiled.segments.emplace_back(segment);
    }
    for (const auto& existing : routes_) {
        if (existing.method == route.method && existing.pattern == route.pattern) {
            throw std::invalid_argument("duplicate route: " + std::string(to_string(route.method)) + " " +
                                        route.pattern);
        }
    }
    routes_.push_back(std::move(route));
    compiled_.push_back(std::move(compiled));
}

std::size_t Router::body_limit(Method method, std::string_view path, std::size_t fallback) const {
    const auto found = match(method, path);
    if (!found.route || found.route->max_body_bytes == 0) return fallback;
    return found.route->max_body_bytes;
}

std::size_t Router::largest_body_limit(std::size_t fallback) const {
    std::size_t largest = fallback;
    for (const auto& route : routes_) largest = std::max(largest, route.max_body_bytes);
    return largest;
}

RouteMatch Router::match(Method method, std::string_view path) const {
    RouteMatch result;
    // Split once into a fixed array: matching allocates nothing unless a route with parameters matches.
    std::array<std::string_view, kMaxSegments> segments;
    std::size_t count = 0;
    if (path.empty() || path.front() != '/') return result;
    for (std::string_view rest = path.substr(1);;) {
        if (count == kMaxSegments) return result;  // deeper than any route
        const auto slash = rest.find('/');
        segments[count++] = rest.substr(0, slash);
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const auto& pattern = compiled_[i].segments;
        if (pattern.size() != count) continue;
        bool matches = true;
        for (std::size_t s = 0; s < count && matches; ++s) {
            matches = is_param(pattern[s]) ? !segments[s].empty() : pattern[s] == segments[s];
        }
        if (!matches) continue;
        if (routes_[i].method != method) {
            if (std::find(result.allowed.begin(), result.allowed.end(), routes_[i].method) == result.allowed.end()) {
                result.allowed.push_back(routes_[i].method);
            }
            continue;
        }
        PathParams params;
        for (std::size_t s = 0; s < count; ++s) {
            if (!is_param(pattern[s])) continue;
            auto decoded = percent_decode(segments[s], false);
            if (!decoded || decoded->empty()) return RouteMatch{};  // a badly encoded id names nothing
            params.emplace_back(pattern[s].substr(1, pattern[s].size() - 2), std::move(*decoded));
        }
        result.route = &routes_[i];
        result.index = i;
        result.params = std::move(params);
        result.allowed.clear();
        return result;
    }
    return result;
}

}  // namespace crossvoice::http
