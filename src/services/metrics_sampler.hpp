#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/ports/call_statistics.hpp"
#include "core/ports/job_statistics.hpp"
#include "services/integration_status.hpp"
#include "services/sampled_metrics.hpp"

namespace crossvoice::services {

struct MetricsSamplerOptions {
    std::chrono::milliseconds store_every{5'000};  // job and call counts: one query each
    // Every dependency probe, run together: each does real work (vendor requests, a local transcription of
    // silence), so twice a minute bounds its cost while the dependency-down alert still fires within minutes.
    std::chrono::milliseconds dependencies_every{30'000};
};

// Takes the gauges that cost a query or a request (SampledMetrics) on a thread of its own, so /metrics, which
// runs on an I/O thread, only copies the latest sample. The store is read at once and then every store_every;
// the dependencies first after one dependencies_every, since their probes do real work (the local speech model
// loads on the first one) that a process which lives a few seconds (a test, a failed start) should not pay.
class MetricsSampler {
  public:
    struct Sources {
        core::ports::JobStatistics* jobs = nullptr;       // null: no job gauges (a store that cannot count them)
        core::ports::CallStatistics* calls = nullptr;     // null: no active-call gauge
        std::function<IntegrationReport()> dependencies;  // empty: no dependency gauge
        std::vector<std::string> job_types;               // shown at 0 before any job of theirs exists
    };

    MetricsSampler(Sources sources, const core::Clock& clock, std::shared_ptr<SampledMetrics> metrics,
                   MetricsSamplerOptions options = {});
    ~MetricsSampler();
    MetricsSampler(const MetricsSampler&) = delete;
    MetricsSampler& operator=(const MetricsSampler&) = delete;

    void start();
    // Waits for a sample under way (a probe is bounded by its own deadline). Idempotent.
    void stop();

    // One reading of each kind, on the caller's thread: what the thread does on its schedule, for tests.
    void sample_store();
    void sample_dependencies();

  private:
    void run();

    Sources sources_;
    const core::Clock& clock_;
    std::shared_ptr<SampledMetrics> metrics_;
    MetricsSamplerOptions options_;
    bool store_failing_ = false;  // logged once per outage, not every few seconds (sampler thread only)

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace crossvoice::services
