#include "services/integration_selftest.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace crossvoice::services {
namespace {

using namespace std::chrono_literals;
using StepResult = core::Result<std::string>;

const core::Principal kTetrix{core::Platform::kTetrix, "key_t"};

TEST(IntegrationSelfTest, RunsEveryStepInOrderEvenAfterAFailureAndTimesEach) {
    std::vector<std::string> order;
    IntegrationSelfTest test({{"first",
                               [&](const core::Principal& caller) -> StepResult {
                                   order.push_back("first");
                                   return "for " + caller.key_id;
                               }},
                              {"second",
                               [&](const core::Principal&) -> StepResult {
                                   order.push_back("second");
                                   std::this_thread::sleep_for(30ms);
                                   return core::Error::unavailable("engine down");
                               }},
                              {"third", [&](const core::Principal&) -> StepResult {
                                   order.push_back("third");
                                   throw std::runtime_error("boom");
                               }}});
    auto report = test.run(kTetrix);
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(order, (std::vector<std::string>{"first", "second", "third"}));
    EXPECT_FALSE(report->ok);
    ASSERT_EQ(report->steps.size(), 3u);
    EXPECT_TRUE(report->steps[0].ok);
    EXPECT_EQ(report->steps[0].detail, "for key_t");
    EXPECT_FALSE(report->steps[1].ok);
    EXPECT_EQ(report->steps[1].detail, "engine down");
    EXPECT_GE(report->steps[1].ms, 29);
    EXPECT_FALSE(report->steps[2].ok);
    EXPECT_NE(report->steps[2].detail.find("boom"), std::string::npos);
    EXPECT_GE(report->total_ms, report->steps[1].ms);
}

TEST(IntegrationSelfTest, AllStepsPassingIsOk) {
    IntegrationSelfTest test({{"only", [](const core::Principal&) -> StepResult { return std::string("fine"); }}});
    auto report = test.run(kTetrix);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok);
}

TEST(IntegrationSelfTest, OneRunAtATime) {
    std::atomic<bool> entered{false};
    std::atomic<bool> release{false};
    IntegrationSelfTest test({{"slow", [&](const core::Principal&) -> StepResult {
                                   entered = true;
                                   while (!release) std::this_thread::sleep_for(1ms);
                                   return std::string("done");
                               }}});
    std::thread first([&] { EXPECT_TRUE(test.run(kTetrix).ok()); });
    while (!entered) std::this_thread::sleep_for(1ms);
    auto second = test.run(kTetrix);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, core::ErrorCode::kConflict);
    release = true;
    first.join();
    EXPECT_TRUE(test.run(kTetrix).ok());  // and again once it has finished
}

}  // namespace
}  // namespace crossvoice::services
