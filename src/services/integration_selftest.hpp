#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/result.hpp"

namespace crossvoice::services {

// One step of the self-test: real work through the configured adapters, answering what it saw (the detail) or why
// it failed.
struct SelfTestStep {
    std::string name;
    std::function<core::Result<std::string>(const core::Principal&)> run;
};

struct SelfTestResult {
    std::string name;
    bool ok = false;
    double ms = 0;
    std::string detail;  // what the step saw, or its error
};

struct SelfTestReport {
    bool ok = false;  // every step passed
    double total_ms = 0;
    std::vector<SelfTestResult> steps;
};

// POST /api/voice/integration/test: the steps in order, each timed; a failing step does not stop the others (the
// report should say everything that is wrong at once). One run at a time: a second concurrent request is kConflict,
// so the endpoint cannot be used to multiply the load it generates.
class IntegrationSelfTest {
  public:
    explicit IntegrationSelfTest(std::vector<SelfTestStep> steps) : steps_(std::move(steps)) {}

    core::Result<SelfTestReport> run(const core::Principal& caller);

  private:
    std::vector<SelfTestStep> steps_;
    std::mutex running_;
};

}  // namespace crossvoice::services
