#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/job.hpp"
#include "core/ports/crypto.hpp"
#include "core/ports/job_queue.hpp"
#include "core/result.hpp"
#include "services/id_generator.hpp"
#include "services/voice_metrics.hpp"

namespace crossvoice::services {

// What a caller asks to have done later.
struct NewJob {
    std::string kind;
    std::string payload_json = "{}";
    std::optional<std::string> platform;
    std::optional<std::string> dedupe_key;
    std::optional<int> max_attempts;  // default: JobRunnerOptions::default_max_attempts
};

struct JobRunnerOptions {
    int workers = 2;
    int default_max_attempts = 5;
    std::chrono::milliseconds lease{5 * 60'000};  // a job running longer than this is presumed abandoned
    std::chrono::milliseconds base_backoff{1'000};
    std::chrono::milliseconds max_backoff{5 * 60'000};
    std::chrono::milliseconds idle_poll{2'000};  // upper bound on a worker's sleep when no job is due
};

// A job's work. A failed Status is retried with backoff until max_attempts, then the job is dead with this
// error; an error marked final (detail kFinalFailureDetail = "true": bad input no retry can cure) makes it dead
// at once. Handlers must be idempotent: a job whose worker died runs again once its lease passes.
inline constexpr const char* kFinalFailureDetail = "final";
bool is_final(const core::Error& error);

using JobHandler = std::function<core::Status(const core::Job& job)>;

// The bounded worker pool over the JobQueue port. Handlers are registered before start(); kinds without a
// handler stay queued (a later version, or another instance, may handle them).
class JobRunner {
  public:
    JobRunner(core::ports::JobQueue& queue, const core::Clock& clock, IdGenerator& ids, core::ports::Crypto& crypto,
              JobRunnerOptions options = {}, VoiceMetrics* metrics = nullptr);
    ~JobRunner();
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    void register_handler(const std::string& kind, JobHandler handler);
    // The kinds with a handler, in registration order (complete once every handler is registered).
    const std::vector<std::string>& kinds() const { return kinds_; }
    void start();
    // Lets running handlers finish, then joins the workers. Idempotent.
    void stop();

    // Stores the job and wakes a worker. Thread-safe.
    core::Result<core::Job> submit(NewJob job);
    core::Result<std::optional<core::Job>> find(const std::string& id) { return queue_.find(id); }
    core::Result<std::optional<core::Job>> find_by_dedupe_key(const std::string& key) {
        return queue_.find_by_dedupe_key(key);
    }

    // The delay before attempt `attempts + 1`: base * 2^(attempts-1), capped, with "equal jitter" (half fixed,
    // half random) so that jobs failing together do not retry together.
    std::chrono::milliseconds backoff(int attempts);

  private:
    void work();
    void run_one(const core::Job& job);

    core::ports::JobQueue& queue_;
    const core::Clock& clock_;
    IdGenerator& ids_;
    core::ports::Crypto& crypto_;
    JobRunnerOptions options_;
    VoiceMetrics* metrics_;                       // optional
    std::map<std::string, JobHandler> handlers_;  // fixed once started
    std::vector<std::string> kinds_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::uint64_t generation_ = 0;  // bumped by submit(), so a worker never sleeps through new work
    bool stopping_ = false;
    bool started_ = false;
};

}  // namespace crossvoice::services
