#include "services/integration_status.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "storage/sqlite/sqlite_readiness.hpp"
#include "support/fake_clock.hpp"
#include "support/scripted_http_client.hpp"
#include "support/test_database.hpp"

namespace crossvoice::services {
namespace {

using namespace std::chrono_literals;

DependencyCheck check(std::string name, std::function<core::Status()> probe, bool critical = false,
                      DependencyMode mode = DependencyMode::kEmbedded) {
    return {std::move(name), mode, "test", critical, std::move(probe)};
}

core::Status ok() { return {}; }

TEST(IntegrationStatus, EveryDependencyReachableIsOkInTheGivenOrder) {
    testing::FakeClock clock;
    IntegrationStatusService service({check("carrier", ok, false, DependencyMode::kSandbox),
                                      check("speech", ok, false, DependencyMode::kLocal), check("database", ok, true)},
                                     clock);
    const auto report = service.check();
    EXPECT_EQ(report.status, OverallStatus::kOk);
    EXPECT_EQ(report.checked_at, clock.now());
    ASSERT_EQ(report.dependencies.size(), 3u);
    EXPECT_EQ(report.dependencies[0].name, "carrier");
    EXPECT_EQ(to_string(report.dependencies[0].mode), "sandbox");
    EXPECT_EQ(report.dependencies[1].name, "speech");
    EXPECT_EQ(to_string(report.dependencies[1].mode), "local");
    EXPECT_EQ(report.dependencies[2].name, "database");
    for (const auto& item : report.dependencies) {
        EXPECT_TRUE(item.reachable) << item.name;
        EXPECT_GE(item.latency_ms, 0) << item.name;
        EXPECT_FALSE(item.last_error) << item.name;
    }
}

TEST(IntegrationStatus, AFailingDependencyIsDegradedAndItsErrorIsRememberedAfterItRecovers) {
    testing::FakeClock clock;
    std::atomic<bool> failing{true};
    IntegrationStatusService service(
        {check("translation",
               [&]() -> core::Status {
                   if (failing) return core::Error::unavailable("apertium: no language pairs are installed");
                   return {};
               }),
         check("database", ok, true)},
        clock);
    auto first = service.check();
    EXPECT_EQ(first.status, OverallStatus::kDegraded);
    EXPECT_FALSE(first.dependencies[0].reachable);
    ASSERT_TRUE(first.dependencies[0].last_error);
    EXPECT_EQ(*first.dependencies[0].last_error, "apertium: no language pairs are installed");
    EXPECT_EQ(first.dependencies[0].last_error_at, clock.now());
    EXPECT_TRUE(first.dependencies[1].reachable);

    const auto failed_at = clock.now();
    clock.advance_ms(5 * 60 * 1000);
    failing = false;
    auto second = service.check();
    EXPECT_EQ(second.status, OverallStatus::kOk);
    EXPECT_TRUE(second.dependencies[0].reachable);
    ASSERT_TRUE(second.dependencies[0].last_error);  // what went wrong last, and when
    EXPECT_EQ(second.dependencies[0].last_error_at, failed_at);
}

TEST(IntegrationStatus, ACriticalDependencyDownIsDown) {
    testing::FakeClock clock;
    IntegrationStatusService service(
        {check("cache", ok), check(
                                 "database", [] { return core::Status(core::Error::unavailable("locked")); }, true)},
        clock);
    const auto report = service.check();
    EXPECT_EQ(report.status, OverallStatus::kDown);
    EXPECT_FALSE(report.dependencies[1].reachable);
}

TEST(IntegrationStatus, ProbesRunAtTheSameTimeAndEachLatencyIsMeasured) {
    testing::FakeClock clock;
    auto slow = [] {
        std::this_thread::sleep_for(200ms);
        return core::Status{};
    };
    IntegrationStatusService service({check("a", slow), check("b", slow), check("c", slow)}, clock);
    const auto report = service.check();
    EXPECT_EQ(report.status, OverallStatus::kOk);
    for (const auto& item : report.dependencies) EXPECT_GE(item.latency_ms, 190) << item.name;
    EXPECT_LT(report.total_ms, 500);  // not 600: the three waited together
}

TEST(IntegrationStatus, AProbeThatThrowsOrIsMissingIsUnreachable) {
    testing::FakeClock clock;
    IntegrationStatusService service(
        {check("assistant", []() -> core::Status { throw std::runtime_error("index gone"); }), check("queue", nullptr)},
        clock);
    const auto report = service.check();
    EXPECT_EQ(report.status, OverallStatus::kDegraded);
    EXPECT_FALSE(report.dependencies[0].reachable);
    EXPECT_NE(report.dependencies[0].last_error->find("index gone"), std::string::npos);
    EXPECT_FALSE(report.dependencies[1].reachable);
}

TEST(IntegrationStatus, TheDatabaseProbeAsksTheRealDatabase) {
    testing::TempDir dir;
    auto db = testing::open_test_database(dir);
    storage::SqliteReadiness probe(*db);
    testing::FakeClock clock;
    IntegrationStatusService service({check(
                                         "database", [&] { return probe.check(); }, true)},
                                     clock);
    const auto report = service.check();
    EXPECT_EQ(report.status, OverallStatus::kOk);
    EXPECT_TRUE(report.dependencies[0].reachable);
}

core::ports::HttpResponse answer(int status) {
    core::ports::HttpResponse response;
    response.status = status;
    return response;
}

core::ports::HttpRequest get(std::string url) {
    core::ports::HttpRequest request;
    request.url = std::move(url);
    request.headers = {{"Authorization", "Bearer k"}};
    return request;
}

TEST(HttpProbe, AnyAnswerBelow500IsReachableAndIsAskedOnceWithTheDeadline) {
    testing::ScriptedHttpClient client;
    client.replies.push_back(answer(200));
    client.replies.push_back(answer(404));
    auto probe = http_probe(client, get("https://api.example.test/v2/balance"), true, 1500ms);
    EXPECT_TRUE(probe().ok());
    EXPECT_TRUE(probe().ok());
    ASSERT_EQ(client.requests.size(), 2u);
    const auto& sent = client.requests[0];
    EXPECT_EQ(sent.method, "GET");
    EXPECT_EQ(sent.url, "https://api.example.test/v2/balance");
    EXPECT_EQ(sent.retry.max_attempts, 1);
    EXPECT_EQ(sent.deadline, 1500ms);
    EXPECT_EQ(sent.attempt_timeout, 1500ms);
    ASSERT_EQ(sent.headers.size(), 1u);
}

TEST(HttpProbe, ServerErrorsTransportErrorsAndRefusedCredentialsAreUnreachable) {
    testing::ScriptedHttpClient client;
    client.replies.push_back(answer(503));
    client.replies.push_back(core::Error::unavailable("connection refused"));
    client.replies.push_back(answer(401));
    auto probe = http_probe(client, get("https://api.example.test/v1/projects?key=secret"));
    auto server_error = probe();
    ASSERT_FALSE(server_error.ok());
    EXPECT_NE(server_error.error().message.find("HTTP 503"), std::string::npos);
    EXPECT_EQ(server_error.error().message.find("secret"), std::string::npos);  // no query strings in messages
    auto refused = probe();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message, "connection refused");
    auto credentials = probe();
    ASSERT_FALSE(credentials.ok());
    EXPECT_NE(credentials.error().message.find("refused our credentials"), std::string::npos);
}

TEST(HttpProbe, WithoutCredentialsA401IsTheHostAnswering) {
    testing::ScriptedHttpClient client;
    client.replies.push_back(answer(401));
    EXPECT_TRUE(http_probe(client, get("https://sinch.example.test/v1/projects/p/apps"), false)().ok());
}

}  // namespace
}  // namespace crossvoice::services
