#include "services/job_runner.hpp"

#include <algorithm>
#include <exception>

#include "observability/logging.hpp"

namespace crossvoice::services {

JobRunner::JobRunner(core::ports::JobQueue& queue, const core::Clock& clock, IdGenerator& ids,
                     core::ports::Crypto& crypto, JobRunnerOptions options, VoiceMetrics* metrics)
    : queue_(queue), clock_(clock), ids_(ids), crypto_(crypto), options_(options), metrics_(metrics) {}

JobRunner::~JobRunner() { stop(); }

void JobRunner::register_handler(const std::string& kind, JobHandler handler) {
    std::lock_guard lock(mutex_);
    if (started_) return;  // handlers are read without a lock once workers run
    handlers_[kind] = std::move(handler);
    kinds_.push_back(kind);
}

void JobRunner::start() {
    std::lock_guard lock(mutex_);
    if (started_) return;
    started_ = true;
    for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { work(); });
}

void JobRunner::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
}

core::Result<core::Job> JobRunner::submit(NewJob input) {
    const auto now = clock_.now();
    core::Job job;
    job.id = ids_.next(core::kJobIdPrefix);
    job.kind = std::move(input.kind);
    job.payload_json = std::move(input.payload_json);
    job.platform = std::move(input.platform);
    job.dedupe_key = std::move(input.dedupe_key);
    job.max_attempts = input.max_attempts.value_or(options_.default_max_attempts);
    job.run_at = now;
    job.created_at = now;
    job.updated_at = now;
    auto stored = queue_.enqueue(job);
    if (stored) {
        {
            std::lock_guard lock(mutex_);
            ++generation_;
        }
        wake_.notify_one();
    }
    return stored;
}

std::chrono::milliseconds JobRunner::backoff(int attempts) {
    const int exponent = std::clamp(attempts - 1, 0, 30);
    const auto uncapped = options_.base_backoff.count() * (std::int64_t{1} << std::min(exponent, 20));
    const auto capped = std::min<std::int64_t>(uncapped, options_.max_backoff.count());
    std::uint64_t random = 0;
    crypto_.random_bytes(reinterpret_cast<std::uint8_t*>(&random), sizeof random);
    const auto half = capped / 2;
    const auto jitter = half > 0 ? static_cast<std::int64_t>(random % static_cast<std::uint64_t>(half + 1)) : 0;
    return std::chrono::milliseconds{capped - half + jitter};
}

bool is_final(const core::Error& error) {
    for (const auto& [key, value] : error.details) {
        if (key == kFinalFailureDetail && value == "true") return true;
    }
    return false;
}

void JobRunner::run_one(const core::Job& job) {
    static const auto log = observability::logger("jobs");
    const auto handler = handlers_.find(job.kind);
    core::Status outcome = core::Error::internal("no handler for job kind " + job.kind);
    if (handler != handlers_.end()) {
        try {
            outcome = handler->second(job);
        } catch (const std::exception& error) {
            outcome = core::Error::internal(std::string("handler threw: ") + error.what());
        } catch (...) {
            outcome = core::Error::internal("handler threw a non-standard exception");
        }
    }
    const auto now = clock_.now();
    if (outcome) {
        if (metrics_ != nullptr) metrics_->jobs_succeeded.add();
        if (auto done = queue_.complete(job.id, now); !done) {
            log->error("job {} ({}) finished but could not be marked done: {}", job.id, job.kind, done.error().message);
        }
        return;
    }
    std::optional<core::TimePoint> retry_at;
    if (!is_final(outcome.error())) retry_at = now + backoff(job.attempts);
    auto failed = queue_.fail(job.id, outcome.error().message, now, retry_at);
    if (!failed) {
        log->error("job {} ({}) failed and could not be rescheduled: {}", job.id, job.kind, failed.error().message);
    } else if (failed->status == core::JobStatus::kDead) {
        if (metrics_ != nullptr) metrics_->jobs_dead.add();
        log->error("job {} ({}) is dead after {} attempts: {}", job.id, job.kind, failed->attempts,
                   outcome.error().message);
    } else {
        if (metrics_ != nullptr) metrics_->jobs_retried.add();
        log->warn("job {} ({}) attempt {} failed, retrying: {}", job.id, job.kind, failed->attempts,
                  outcome.error().message);
    }
}

void JobRunner::work() {
    static const auto log = observability::logger("jobs");
    while (true) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            seen = generation_;
        }
        auto claimed = queue_.claim(kinds_, clock_.now(), options_.lease);
        if (claimed && claimed.value()) {
            run_one(*claimed.value());
            continue;
        }
        if (!claimed) log->error("cannot claim jobs: {}", claimed.error().message);

        // Nothing due: sleep until the next job is due, new work is submitted, or idle_poll passes (another
        // instance or a restart may have queued work this process was not told about).
        auto wait = options_.idle_poll;
        if (claimed) {
            if (auto next = queue_.next_due(kinds_); next && next.value()) {
                const auto until = *next.value() - clock_.now();
                wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(until),
                                  std::chrono::milliseconds{0}, options_.idle_poll);
            }
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, wait, [&] { return stopping_ || generation_ != seen; });
    }
}

}  // namespace crossvoice::services
