#include "services/integration_selftest.hpp"

#include <chrono>
#include <exception>

namespace crossvoice::services {
namespace {

double since(std::chrono::steady_clock::time_point started) {
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
    return static_cast<double>(static_cast<long long>(elapsed.count() * 1000.0 + 0.5)) / 1000.0;
}

}  // namespace

core::Result<SelfTestReport> IntegrationSelfTest::run(const core::Principal& caller) {
    std::unique_lock lock(running_, std::try_to_lock);
    if (!lock.owns_lock())
        return core::Error::conflict("a self-test is already running; try again when it has finished");
    SelfTestReport report;
    report.ok = true;
    const auto started = std::chrono::steady_clock::now();
    for (const auto& step : steps_) {
        SelfTestResult result;
        result.name = step.name;
        const auto step_started = std::chrono::steady_clock::now();
        try {
            auto outcome = step.run ? step.run(caller) : core::Result<std::string>(core::Error::internal("no step"));
            result.ok = outcome.ok();
            result.detail = outcome.ok() ? std::move(outcome).value() : outcome.error().message;
        } catch (const std::exception& error) {
            result.detail = std::string("the step threw: ") + error.what();
        } catch (...) {
            result.detail = "the step threw";
        }
        result.ms = since(step_started);
        report.ok = report.ok && result.ok;
        report.steps.push_back(std::move(result));
    }
    report.total_ms = since(started);
    return report;
}

}  // namespace crossvoice::services
