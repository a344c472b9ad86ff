#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace crossvoice::services {

// How a dependency is provided: a vendor over the network (live), our stand-in for the vendor (sandbox), a
// program or model on this machine (local), or part of this process (embedded).
enum class DependencyMode { kLive, kSandbox, kLocal, kEmbedded };
std::string_view to_string(DependencyMode mode);

// One dependency and how to ask it, right now, whether it answers. The probe does real work (a query, a
// request, a translation); it should be cheap and bounded by its own deadline.
struct DependencyCheck {
    std::string name;  // carrier, speech, translation, assistant, messaging, database, cache, queue
    DependencyMode mode = DependencyMode::kEmbedded;
    std::string provider;   // telnyx, sandbox, deepgram, pocketsphinx, apertium, sqlite, …
    bool critical = false;  // when it is unreachable the service as a whole is down, not degraded
    std::function<core::Status()> probe;
};

struct DependencyReport {
    std::string name;
    DependencyMode mode = DependencyMode::kEmbedded;
    std::string provider;
    bool reachable = false;
    double latency_ms = 0;
    // The error of this check when it failed; otherwise the last error seen by an earlier check, with its time.
    std::optional<std::string> last_error;
    std::optional<core::TimePoint> last_error_at;
};

enum class OverallStatus { kOk, kDegraded, kDown };
std::string_view to_string(OverallStatus status);

struct IntegrationReport {
    OverallStatus status = OverallStatus::kOk;
    core::TimePoint checked_at{};
    double total_ms = 0;
    std::vector<DependencyReport> dependencies;  // in the order the checks were given
};

// GET /api/voice/integration/status: every dependency asked at request time, all at once (the slowest probe
// bounds the answer, not their sum), each with its latency. Nothing is cached: a report is only as old as the
// request. Thread-safe.
class IntegrationStatusService {
  public:
    IntegrationStatusService(std::vector<DependencyCheck> checks, const core::Clock& clock)
        : checks_(std::move(checks)), clock_(clock) {}

    IntegrationReport check();

  private:
    std::vector<DependencyCheck> checks_;
    const core::Clock& clock_;
    std::mutex mutex_;  // guards last_errors_
    std::map<std::string, std::pair<std::string, core::TimePoint>> last_errors_;
};

// A probe for a service over HTTP: reachable when it gives any answer below 500 within `timeout` (one attempt,
// no retries: the report is about now). 401/403 mean the service is there but refuses our credentials, which is
// reported as a failure naming it, since nothing can be done with it.
// `request` gives the method, URL, headers and body; its timeouts and retries are replaced. A probe sent without
// credentials (`with_credentials` false) takes 401/403 as the host answering.
std::function<core::Status()> http_probe(core::ports::HttpClient& client, core::ports::HttpRequest request,
                                         bool with_credentials = true,
                                         std::chrono::milliseconds timeout = std::chrono::milliseconds(2'000));

}  // namespace crossvoice::services
