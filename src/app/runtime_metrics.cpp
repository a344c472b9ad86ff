// The /metrics wiring beyond what the use-cases are constructed with: the counters handed to the use-cases that
// count into them, and the background sampler of the store and dependency gauges.
#include "app/runtime.hpp"
#include "core/ports/call_statistics.hpp"
#include "core/ports/job_statistics.hpp"

namespace crossvoice::app {

core::Status Runtime::open_metrics() {
    if (ivr_) ivr_->set_metrics(voice_metrics_.get());
    if (ivr_call_control_) ivr_call_control_->set_metrics(voice_metrics_.get());
    if (messaging_) messaging_->set_metrics(messaging_metrics_.get());
    live_hub_.set_metrics(live_metrics_.get());

    services::MetricsSampler::Sources sources;
    // Only the job records' store can count them (whatever delivers the jobs); a store without these ports
    // leaves its gauges out rather than showing zeros.
    sources.jobs = dynamic_cast<core::ports::JobStatistics*>(stores_->jobs.get());
    sources.calls = dynamic_cast<core::ports::CallStatistics*>(stores_->calls.get());
    // As GET /api/voice/integration/status reports them, probed in the background rather than at scrape time.
    sources.dependencies = [this] { return integration_status_->check(); };
    sources.job_types = jobs_.kinds();
    metrics_sampler_ = std::make_unique<services::MetricsSampler>(std::move(sources), clock_, sampled_metrics_);
    return {};
}

}  // namespace crossvoice::app
