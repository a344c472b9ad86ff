#include "services/metrics_sampler.hpp"

#include <algorithm>
#include <utility>

#include "observability/logging.hpp"

namespace crossvoice::services {

MetricsSampler::MetricsSampler(Sources sources, const core::Clock& clock, std::shared_ptr<SampledMetrics> metrics,
                               MetricsSamplerOptions options)
    : sources_(std::move(sources)), clock_(clock), metrics_(std::move(metrics)), options_(options) {
    metrics_->add_job_types(sources_.job_types);
}

MetricsSampler::~MetricsSampler() { stop(); }

void MetricsSampler::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void MetricsSampler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void MetricsSampler::sample_store() {
    bool failed = false;
    std::string error;
    if (sources_.jobs != nullptr) {
        if (auto counts = sources_.jobs->job_counts(clock_.now())) {
            metrics_->set_jobs(*counts);
        } else {
            metrics_->clear_jobs();
            failed = true;
            error = counts.error().message;
        }
    }
    if (sources_.calls != nullptr) {
        if (auto active = sources_.calls->active_calls()) {
            metrics_->set_active_calls(*active);
        } else {
            metrics_->clear_active_calls();
            failed = true;
            error = active.error().message;
        }
    }
    if (failed && !store_failing_) {
        observability::logger("app")->warn("metrics: the job and call gauges cannot be read: {}", error);
    } else if (!failed && store_failing_) {
        observability::logger("app")->info("metrics: the job and call gauges can be read again");
    }
    store_failing_ = failed;
}

void MetricsSampler::sample_dependencies() {
    if (!sources_.dependencies) return;
    const auto report = sources_.dependencies();
    std::vector<DependencyUp> ups;
    ups.reserve(report.dependencies.size());
    for (const auto& dependency : report.dependencies) ups.push_back({dependency.name, dependency.reachable});
    metrics_->set_dependencies(std::move(ups));
}

void MetricsSampler::run() {
    using Clock = std::chrono::steady_clock;
    auto next_store = Clock::now();
    auto next_dependencies = Clock::now() + options_.dependencies_every;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const auto now = Clock::now();
        lock.unlock();
        if (now >= next_store) {
            sample_store();
            next_store = now + options_.store_every;
        }
        if (now >= next_dependencies) {
            sample_dependencies();
            next_dependencies = Clock::now() + options_.dependencies_every;
        }
        lock.lock();
        wake_.wait_until(lock, std::min(next_store, next_dependencies), [this] { return stopping_; });
    }
}

}  // namespace crossvoice::services
