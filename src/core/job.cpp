#include "core/job.hpp"

#include "core/enum_names.hpp"

namespace crossvoice::core {
namespace {

constexpr EnumNames<JobStatus, 4> kJobStatusNames{{
    {JobStatus::kQueued, "queued"},
    {JobStatus::kRunning, "running"},
    {JobStatus::kSucceeded, "succeeded"},
    {JobStatus::kDead, "dead"},
}};

}  // namespace

std::string_view to_string(JobStatus status) { return name_of(kJobStatusNames, status); }
std::optional<JobStatus> parse_job_status(std::string_view text) { return value_of(kJobStatusNames, text); }

}  // namespace crossvoice::core
