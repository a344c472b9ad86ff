#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/call_statistics.hpp"
#include "core/ports/job_statistics.hpp"
#include "observability/metrics.hpp"

namespace crossvoice::services {

struct DependencyUp {
    std::string name;  // database, cache, queue, carrier, speech, translation, assistant, messaging
    bool up = false;
};

// Gauges read from the shared store and the dependency probes, which cost a query or a request each: the
// MetricsSampler takes them in the background and keeps the latest here; /metrics renders the copy, so a scrape
// never waits for the database or a vendor.
//   crossvoice_jobs_queued{type}, crossvoice_jobs_running{type}, crossvoice_jobs_dead{type}
//   crossvoice_jobs_oldest_queued_age_seconds
//   crossvoice_calls_active{status="initiated|ringing|answered"}
//   crossvoice_dependency_up{dependency}
// A family with no sample yet (or whose last sample failed) is left out: no value is better than a stale or
// invented one. Thread-safe.
class SampledMetrics final : public observability::MetricSource {
  public:
    // A job type seen once keeps its series, at 0, when its jobs are gone: a gauge that vanished would leave
    // Prometheus showing its last value for minutes. `known` adds types before any job of theirs exists.
    void set_jobs(const core::ports::JobCounts& counts);
    void add_job_types(const std::vector<std::string>& known);
    void clear_jobs();
    void set_active_calls(const core::ports::ActiveCalls& calls);
    void clear_active_calls();
    void set_dependencies(std::vector<DependencyUp> dependencies);

    void render(std::string& out) const override;

  private:
    struct Counts {
        std::int64_t queued = 0, running = 0, dead = 0;
    };

    mutable std::mutex mutex_;
    std::map<std::string, Counts> job_types_;  // every type seen, sorted by name
    bool jobs_sampled_ = false;
    std::chrono::milliseconds oldest_due_age_{0};
    std::optional<core::ports::ActiveCalls> active_calls_;
    std::optional<std::vector<DependencyUp>> dependencies_;
};

}  // namespace crossvoice::services
