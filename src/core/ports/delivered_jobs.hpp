#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/job.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// The job records' side of a message broker (RabbitMQ): the broker says which job to run, the records say
// whether it still should. Implemented by the stores that keep the jobs table.
class DeliveredJobs {
  public:
    virtual ~DeliveredJobs() = default;

    // Takes job `id` because the broker delivered it. A kQueued job becomes kRunning with attempts + 1 and
    // lease_until = now + lease, whatever its run_at (the broker held it back until due). A kRunning job is taken
    // over only on a `redelivery` (the broker gave it back because the worker holding it lost its connection: it
    // died); one that died during its last attempt is buried (kDead, "abandoned") instead. nullopt when there is
    // nothing to run: finished, unknown, or a duplicate delivery of a job another worker holds.
    virtual Result<std::optional<Job>> claim_delivered(const std::string& id, TimePoint now,
                                                       std::chrono::milliseconds lease, bool redelivery) = 0;
};

}  // namespace crossvoice::core::ports
