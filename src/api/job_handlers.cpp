#include "api/job_handlers.hpp"

#include "api/call_json.hpp"
#include "api/json_body.hpp"
#include "core/ids.hpp"

namespace crossvoice::api {
namespace {

http::HandlerResult get_job(http::RequestContext& context, services::JobRunner& jobs) {
    const std::string id(context.param("id"));
    if (!core::is_valid_id(core::kJobIdPrefix, id)) return core::Error::not_found("job", id);
    auto job = jobs.find(id);
    if (!job) return std::move(job).error();
    // Another platform's job, or an internal one, is as absent as a job that does not exist.
    const auto platform = core::to_string(context.caller().platform);
    if (!job.value() || job.value()->platform != std::optional<std::string>(platform)) {
        return core::Error::not_found("job", id);
    }
    return success(200, {{"jobId", id}, {"job", job_json(*job.value())}});
}

}  // namespace

void add_job_routes(http::Router& router, services::JobRunner& jobs) {
    router.add({http::Method::kGet, "/api/jobs/{id}", "Get a background job's status, attempts and last error",
                http::Access::kApiKey, http::Execution::kWorker,
                [&jobs](http::RequestContext& context) { return get_job(context, jobs); }});
}

}  // namespace crossvoice::api
