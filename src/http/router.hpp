#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/api_key.hpp"
#include "core/result.hpp"
#include "http/message.hpp"

namespace crossvoice::http {

using PathParams = std::vector<std::pair<std::string, std::string>>;

// What a mutating handler did, for the audit row the pipeline writes after it.
struct AuditNote {
    std::string action;  // e.g. "session.create"; defaults to "<METHOD> <pattern>"
    std::string target;  // e.g. "session:ses_…"
    // Set by handlers whose requests are their own record (signed carrier webhooks are kept, raw, in
    // call_events): one audit row per delivery would bury the changes people make with keys.
    bool recorded_elsewhere = false;
};

struct RequestContext {
    const Request& request;
    std::string request_id;
    PathParams params;
    std::optional<core::Principal> principal;  // set for routes that require a key
    AuditNote audit;

    // The value of a path parameter declared as {name} in the route pattern ("" if absent).
    std::string_view param(std::string_view name) const;
    // The principal of an authenticated route; calling it on an open route is a bug.
    const core::Principal& caller() const;
};

using HandlerResult = core::Result<Response>;
using Handler = std::function<HandlerResult(RequestContext&)>;

enum class Access {
    kPublic,  // no key: health, metrics, webhooks that carry their own signatures
    kApiKey,  // Authorization: Bearer <key>
};

enum class Execution {
    kWorker,  // may block (database, vendor calls): runs on the worker pool
    kInline,  // never blocks and is cheap: runs on the I/O thread
};

struct Route {
    Method method = Method::kGet;
    std::string pattern;  // "/api/voice/sessions/{id}"
    std::string summary;  // one line, also used by tests that compare with the OpenAPI document
    Access access = Access::kApiKey;
    Execution execution = Execution::kWorker;
    Handler handler;
    // A larger request body than the server's default (uploads); 0 = the default.
    std::size_t max_body_bytes = 0;
};

struct RouteMatch {
    const Route* route = nullptr;  // null when nothing matched
    std::size_t index = 0;         // position in Router::routes(), for per-route metrics
    PathParams params;
    std::vector<Method> allowed;  // when the path matched but the method did not
};

// Literal segments and {param} segments; a pattern matches a path with the same number of segments.
// Routes are added at start-up and only read afterwards, so matching needs no lock.
class Router {
  public:
    // Refuses (throws std::invalid_argument) a malformed pattern or a duplicate method+pattern: both are bugs.
    void add(Route route);
    RouteMatch match(Method method, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }
    // The body limit of the route `method path` would reach, or `fallback` (no match, or no limit of its own).
    std::size_t body_limit(Method method, std::string_view path, std::size_t fallback) const;
    // The largest body any route accepts: what the parser must let through before the route is known.
    std::size_t largest_body_limit(std::size_t fallback) const;

    static constexpr std::size_t kMaxSegments = 16;

  private:
    struct Compiled {
        std::vector<std::string> segments;  // "{name}" marks a parameter
    };
    std::vector<Route> routes_;
    std::vector<Compiled> compiled_;
};

// "/a/b/" → {"a","b",""}; "/" → {""}. Paths must start with '/'.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace crossvoice::http
