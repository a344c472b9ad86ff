#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace crossvoice::core {

inline constexpr std::string_view kJobIdPrefix = "job";

// kQueued: waiting for its run_at; kRunning: claimed by a worker until lease_until; kSucceeded: done;
// kDead: failed max_attempts times, kept with its last error for a person to look at.
enum class JobStatus { kQueued, kRunning, kSucceeded, kDead };
std::string_view to_string(JobStatus status);  // "queued", "running", "succeeded", "dead"
std::optional<JobStatus> parse_job_status(std::string_view text);

// A unit of slow work (fetching a recording, transcribing it, sending a message) done outside the request
// that caused it, retried with backoff, surviving restarts.
struct Job {
    std::string id;
    std::string kind;                       // "recording.fetch", ...; selects the handler
    std::string payload_json;               // the handler's input, a JSON object
    std::optional<std::string> platform;    // for scoping GET /api/jobs/{id}; nullopt = internal
    std::optional<std::string> dedupe_key;  // a second enqueue with the same key returns the first job
    JobStatus status = JobStatus::kQueued;
    int attempts = 0;  // started attempts
    int max_attempts = 5;
    std::optional<std::string> last_error;
    TimePoint run_at{};                    // not before
    std::optional<TimePoint> lease_until;  // while kRunning: after this, another worker may take it over
    TimePoint created_at{};
    TimePoint updated_at{};
    std::optional<TimePoint> finished_at;
};

}  // namespace crossvoice::core
