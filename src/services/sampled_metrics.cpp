#include "services/sampled_metrics.hpp"

#include <fmt/format.h>

#include <iterator>

namespace crossvoice::services {
namespace {

void header(std::string& out, std::string_view name, std::string_view help) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
}

}  // namespace

void SampledMetrics::set_jobs(const core::ports::JobCounts& counts) {
    std::lock_guard lock(mutex_);
    for (auto& [type, kept] : job_types_) kept = Counts{};
    for (const auto& kind : counts.kinds) job_types_[kind.kind] = Counts{kind.queued, kind.running, kind.dead};
    oldest_due_age_ = counts.oldest_due_age;
    jobs_sampled_ = true;
}

void SampledMetrics::add_job_types(const std::vector<std::string>& known) {
    std::lock_guard lock(mutex_);
    for (const auto& type : known) job_types_.try_emplace(type);
}

void SampledMetrics::clear_jobs() {
    std::lock_guard lock(mutex_);
    jobs_sampled_ = false;
}

void SampledMetrics::set_active_calls(const core::ports::ActiveCalls& calls) {
    std::lock_guard lock(mutex_);
    active_calls_ = calls;
}

void SampledMetrics::clear_active_calls() {
    std::lock_guard lock(mutex_);
    active_calls_.reset();
}

void SampledMetrics::set_dependencies(std::vector<DependencyUp> dependencies) {
    std::lock_guard lock(mutex_);
    dependencies_ = std::move(dependencies);
}

void SampledMetrics::render(std::string& out) const {
    std::lock_guard lock(mutex_);
    auto inserter = std::back_inserter(out);
    if (jobs_sampled_) {
        const auto family = [&](std::string_view name, std::string_view help, std::int64_t Counts::*field) {
            header(out, name, help);
            for (const auto& [type, counts] : job_types_) {
                fmt::format_to(inserter, "{}{{type=\"{}\"}} {}\n", name, observability::escape_label_value(type),
                               counts.*field);
            }
        };
        family("crossvoice_jobs_queued", "Jobs waiting in the shared queue (due or in back-off), by type.",
               &Counts::queued);
        family("crossvoice_jobs_running", "Jobs taken by a worker and not finished, by type.", &Counts::running);
        family("crossvoice_jobs_dead", "Jobs that used all their attempts, by type.", &Counts::dead);
        header(out, "crossvoice_jobs_oldest_queued_age_seconds",
               "How long the oldest due job has waited to start (0 when none is due).");
        fmt::format_to(inserter, "crossvoice_jobs_oldest_queued_age_seconds {}\n",
                       static_cast<double>(oldest_due_age_.count()) / 1000.0);
    }
    if (active_calls_) {
        header(out, "crossvoice_calls_active", "Calls not ended, by state.");
        fmt::format_to(inserter,
                       "crossvoice_calls_active{{status=\"initiated\"}} {}\n"
                       "crossvoice_calls_active{{status=\"ringing\"}} {}\n"
                       "crossvoice_calls_active{{status=\"answered\"}} {}\n",
                       active_calls_->initiated, active_calls_->ringing, active_calls_->answered);
    }
    if (dependencies_) {
        header(out, "crossvoice_dependency_up", "Whether this instance reaches each dependency (1) or not (0).");
        for (const auto& dependency : *dependencies_) {
            fmt::format_to(inserter, "crossvoice_dependency_up{{dependency=\"{}\"}} {}\n",
                           observability::escape_label_value(dependency.name), dependency.up ? 1 : 0);
        }
    }
}

}  // namespace crossvoice::services
