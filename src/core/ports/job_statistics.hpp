#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// How many jobs of one kind are in each unfinished (or dead) state right now.
struct JobKindCounts {
    std::string kind;
    std::int64_t queued = 0;   // waiting: due, or in back-off until a later run_at
    std::int64_t running = 0;  // claimed by a worker (its lease may have run out: then it is due again)
    std::int64_t dead = 0;     // used all their attempts, kept for a person to look at
};

struct JobCounts {
    std::vector<JobKindCounts> kinds;  // by kind name; kinds with no queued, running or dead job are left out
    // How long the oldest queued job that is due (run_at <= now) has been due; zero when none is.
    std::chrono::milliseconds oldest_due_age{0};
};

// The job records as an operator sees them (the /metrics gauges). A separate port from JobQueue: only the
// stores that keep the records answer it, whatever delivers the jobs (the table, or a broker in front of it).
class JobStatistics {
  public:
    virtual ~JobStatistics() = default;

    // One consistent reading of the whole table at `now`.
    virtual Result<JobCounts> job_counts(TimePoint now) = 0;
};

}  // namespace crossvoice::core::ports
