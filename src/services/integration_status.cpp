#include "services/integration_status.hpp"

#include <exception>
#include <future>

#include <fmt/format.h>

namespace crossvoice::services {
namespace {

struct Outcome {
    core::Status status;
    double latency_ms = 0;
};

Outcome run_probe(const DependencyCheck& check) {
    const auto started = std::chrono::steady_clock::now();
    core::Status status;
    if (!check.probe) {
        status = core::Error::internal(check.name + ": no probe is configured");
    } else {
        try {
            status = check.probe();
        } catch (const std::exception& error) {
            status = core::Error::internal(fmt::format("{}: the check threw: {}", check.name, error.what()));
        } catch (...) {
            status = core::Error::internal(check.name + ": the check threw");
        }
    }
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
    return {std::move(status), elapsed.count()};
}

// Three decimals are plenty for a latency and keep the JSON readable.
double rounded(double ms) { return static_cast<double>(static_cast<long long>(ms * 1000.0 + 0.5)) / 1000.0; }

std::string url_without_query(const std::string& url) { return url.substr(0, url.find('?')); }

}  // namespace

std::string_view to_string(DependencyMode mode) {
    switch (mode) {
        case DependencyMode::kLive: return "live";
        case DependencyMode::kSandbox: return "sandbox";
        case DependencyMode::kLocal: return "local";
        case DependencyMode::kEmbedded: return "embedded";
    }
    return "embedded";
}

std::string_view to_string(OverallStatus status) {
    switch (status) {
        case OverallStatus::kOk: return "ok";
        case OverallStatus::kDegraded: return "degraded";
        case OverallStatus::kDown: return "down";
    }
    return "down";
}

IntegrationReport IntegrationStatusService::check() {
    IntegrationReport report;
    report.checked_at = clock_.now();
    const auto started = std::chrono::steady_clock::now();

    // One thread per probe: a vendor that takes its whole deadline must not delay the others' answers.
    std::vector<std::future<Outcome>> pending;
    pending.reserve(checks_.size());
    for (const auto& check : checks_) {
        pending.push_back(std::async(std::launch::async, [&check] { return run_probe(check); }));
    }

    bool any_down = false;
    bool critical_down = false;
    for (std::size_t i = 0; i < checks_.size(); ++i) {
        const auto& check = checks_[i];
        auto outcome = pending[i].get();
        DependencyReport item;
        item.name = check.name;
        item.mode = check.mode;
        item.provider = check.provider;
        item.reachable = outcome.status.ok();
        item.latency_ms = rounded(outcome.latency_ms);
        {
            std::lock_guard lock(mutex_);
            if (!item.reachable) {
                last_errors_[check.name] = {outcome.status.error().message, report.checked_at};
            }
            if (auto found = last_errors_.find(check.name); found != last_errors_.end()) {
                item.last_error = found->second.first;
                item.last_error_at = found->second.second;
            }
        }
        if (!item.reachable) {
            any_down = true;
            critical_down = critical_down || check.critical;
        }
        report.dependencies.push_back(std::move(item));
    }
    const std::chrono::duration<double, std::milli> total = std::chrono::steady_clock::now() - started;
    report.total_ms = rounded(total.count());
    report.status = critical_down ? OverallStatus::kDown : any_down ? OverallStatus::kDegraded : OverallStatus::kOk;
    return report;
}

std::function<core::Status()> http_probe(core::ports::HttpClient& client, core::ports::HttpRequest request,
                                         bool with_credentials, std::chrono::milliseconds timeout) {
    request.connect_timeout = timeout;
    request.attempt_timeout = timeout;
    request.deadline = timeout;
    request.retry.max_attempts = 1;  // the report is about now, not about eventually
    request.max_response_bytes = 256 * 1024;
    return [&client, request = std::move(request), with_credentials]() -> core::Status {
        const auto& url = request.url;
        auto response = client.send(request);
        if (!response) return std::move(response).error();
        const int status = response->status;
        if (with_credentials && (status == 401 || status == 403)) {
            return core::Error::unavailable(
                fmt::format("{} refused our credentials (HTTP {})", url_without_query(url), status));
        }
        if (status >= 500) {
            return core::Error::unavailable(fmt::format("{} answered HTTP {}", url_without_query(url), status));
        }
        return {};
    };
}

}  // namespace crossvoice::services
