#pragma once

#include "http/router.hpp"
#include "services/job_runner.hpp"

namespace crossvoice::api {

// GET /api/jobs/{id}: a job's status, attempts and last error, visible to the platform it works for.
void add_job_routes(http::Router& router, services::JobRunner& jobs);

}  // namespace crossvoice::api
