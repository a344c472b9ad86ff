#include "api/integration_handlers.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/pipeline.hpp"
#include "infra/sodium_crypto.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "storage/sqlite/sqlite_transcript_store.hpp"
#include "support/fake_clock.hpp"
#include "support/test_database.hpp"

namespace crossvoice::api {
namespace {

using nlohmann::json;

// The handlers through the real pipeline (authentication, error mapping, audit) over the real SQLite stores.
class IntegrationHandlers : public ::testing::Test {
  protected:
    IntegrationHandlers() { add_integration_routes(router_, integration_, status_, selftest_); }

    http::Response send(http::Method method, const std::string& target, const std::string& key, std::string body = "") {
        http::Request request;
        request.method = method;
        request.target = target;
        const auto question = target.find('?');
        request.path = target.substr(0, question);
        request.query = question == std::string::npos ? "" : target.substr(question + 1);
        request.headers = {{"authorization", "Bearer " + key}};
        if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
        request.body = std::move(body);
        return pipeline_.handle(request, router_.match(method, request.path), "req_1").response;
    }

    std::string open(const core::Principal& who, std::string channel) {
        auto session = sessions_.open(who, {std::move(channel), "+14155550123", std::nullopt, R"({"crm":"42"})"});
        EXPECT_TRUE(session.ok());
        clock_.advance_ms(10);
        return session.ok() ? session->id : std::string();
    }

    static std::string field(const http::Response& response) {
        return json::parse(response.body)["details"].value("field", "<absent>");
    }

    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore session_store_{*db_};
    storage::SqliteCallStore call_store_{*db_};
    storage::SqliteTranscriptStore timeline_{*db_};
    infra::SodiumCrypto crypto_;
    testing::FakeClock clock_;
    services::IdGenerator ids_{clock_, crypto_};
    services::SessionService sessions_{session_store_, clock_, ids_};
    services::IntegrationService integration_{{sessions_, call_store_, timeline_, nullptr, nullptr}};
    bool database_up_ = true;
    services::IntegrationStatusService status_{
        {{"carrier", services::DependencyMode::kSandbox, "sandbox", false,
          [] { return core::Status(core::Error::unavailable("sandbox carrier: connection refused")); }},
         {"database", services::DependencyMode::kEmbedded, "sqlite", true,
          [this] { return database_up_ ? core::Status() : core::Status(core::Error::unavailable("locked")); }}},
        clock_};
    services::IntegrationSelfTest selftest_{
        {{"database",
          [](const core::Principal&) -> core::Result<std::string> { return std::string("SELECT 1 answered"); }},
         {"messaging", [](const core::Principal& caller) -> core::Result<std::string> {
              return core::Error::unavailable("sandbox for " + std::string(core::to_string(caller.platform)) +
                                              " did not report delivery");
          }}}};
    http::Router router_;
    std::vector<core::AuditEntry> audit_;
    http::Pipeline pipeline_{[](std::string_view key) -> core::Result<core::Principal> {
                                 if (key == "tetrix") return core::Principal{core::Platform::kTetrix, "key_t"};
                                 if (key == "joromi") return core::Principal{core::Platform::kJoromi, "key_j"};
                                 return core::Error::unauthorized("unknown key");
                             },
                             [this](core::AuditEntry entry) { audit_.push_back(std::move(entry)); }};
    core::Principal tetrix_{core::Platform::kTetrix, "key_t"};
    core::Principal joromi_{core::Platform::kJoromi, "key_j"};
};

TEST_F(IntegrationHandlers, ListsTheKeysPlatformWithPaging) {
    const auto older = open(tetrix_, "sms");
    const auto newer = open(tetrix_, "whatsapp");
    open(joromi_, "sms");
    auto first = send(http::Method::kGet, "/api/voice/integration/sessions?limit=1", "tetrix");
    ASSERT_EQ(first.status, 200) << first.body;
    auto body = json::parse(first.body);
    ASSERT_EQ(body["sessions"].size(), 1u);
    EXPECT_EQ(body["sessions"][0]["sessionId"], newer);
    EXPECT_FALSE(body["sessions"][0].contains("metadata"));
    EXPECT_EQ(body["count"], 1);
    const std::string cursor = body["nextCursor"];
    auto second = json::parse(
        send(http::Method::kGet, "/api/voice/integration/sessions?limit=1&cursor=" + cursor, "tetrix").body);
    ASSERT_EQ(second["sessions"].size(), 1u);
    EXPECT_EQ(second["sessions"][0]["sessionId"], older);
    EXPECT_TRUE(second["nextCursor"].is_null());
    auto filtered =
        json::parse(send(http::Method::kGet, "/api/voice/integration/sessions?channel=whatsapp", "tetrix").body);
    ASSERT_EQ(filtered["sessions"].size(), 1u);
    EXPECT_EQ(filtered["sessions"][0]["sessionId"], newer);
}

TEST_F(IntegrationHandlers, BadListParametersAre400NamingThem) {
    for (const auto& [query, name] : std::vector<std::pair<std::string, std::string>>{{"limit=0", "limit"},
                                                                                      {"limit=101", "limit"},
                                                                                      {"limit=ten", "limit"},
                                                                                      {"status=paused", "status"},
                                                                                      {"channel=fax", "channel"},
                                                                                      {"cursor=nope", "cursor"}}) {
        auto response = send(http::Method::kGet, "/api/voice/integration/sessions?" + query, "tetrix");
        EXPECT_EQ(response.status, 400) << query;
        EXPECT_EQ(field(response), name) << query << ": " << response.body;
    }
}

TEST_F(IntegrationHandlers, DetailRendersTheSessionWithCallsAndMessagesAndHidesOtherPlatforms) {
    const auto id = open(tetrix_, "sms");
    auto response = send(http::Method::kGet, "/api/voice/integration/sessions/" + id, "tetrix");
    ASSERT_EQ(response.status, 200) << response.body;
    auto body = json::parse(response.body);
    EXPECT_EQ(body["sessionId"], id);
    EXPECT_EQ(body["session"]["metadata"]["crm"], "42");
    EXPECT_TRUE(body["session"]["calls"].is_array());
    EXPECT_TRUE(body["session"]["messages"].is_array());
    EXPECT_EQ(send(http::Method::kGet, "/api/voice/integration/sessions/" + id, "joromi").status, 404);
    EXPECT_EQ(send(http::Method::kGet, "/api/voice/integration/sessions/ses_missing", "tetrix").status, 404);
    auto bad = send(http::Method::kGet, "/api/voice/integration/sessions/" + id + "?messages=500", "tetrix");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(field(bad), "messages");
}

TEST_F(IntegrationHandlers, StatusChangesAreAuditedIdempotentAndRefuseReopening) {
    const auto id = open(tetrix_, "chat");
    const auto path = "/api/voice/integration/sessions/" + id + "/status";
    auto ended = send(http::Method::kPut, path, "tetrix", R"({"status":"ended"})");
    ASSERT_EQ(ended.status, 200) << ended.body;
    auto body = json::parse(ended.body);
    EXPECT_EQ(body["status"], "ended");
    EXPECT_EQ(body["changed"], true);
    EXPECT_FALSE(body["session"]["endTime"].is_null());
    auto again = json::parse(send(http::Method::kPut, path, "tetrix", R"({"status":"ended"})").body);
    EXPECT_EQ(again["changed"], false);
    EXPECT_EQ(send(http::Method::kPut, path, "tetrix", R"({"status":"active"})").status, 409);
    auto unknown = send(http::Method::kPut, path, "tetrix", R"({"status":"archived"})");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(field(unknown), "status");
    auto missing = send(http::Method::kPut, path, "tetrix", R"({})");
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(field(missing), "status");
    EXPECT_EQ(send(http::Method::kPut, path, "joromi", R"({"status":"ended"})").status, 404);

    ASSERT_FALSE(audit_.empty());
    EXPECT_EQ(audit_.front().action, "session.status");
    EXPECT_EQ(audit_.front().target, "session:" + id);
    EXPECT_EQ(audit_.front().outcome, "success");
}

TEST_F(IntegrationHandlers, InitiateValidatesNamingTheFieldAndScopesThePlatform) {
    auto response = send(http::Method::kPost, "/api/voice/integration/initiate", "tetrix", R"({"channel":"voice"})");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(field(response), "to");
    response = send(http::Method::kPost, "/api/voice/integration/initiate", "tetrix",
                    R"({"to":"+14155550123","channel":"pigeon"})");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(field(response), "channel");
    response = send(http::Method::kPost, "/api/voice/integration/initiate", "tetrix",
                    R"({"to":"+14155550123","channel":"voice","enableTranslation":"yes"})");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(field(response), "enableTranslation");
    response = send(http::Method::kPost, "/api/voice/integration/initiate", "tetrix",
                    R"({"to":"+14155550123","channel":"sms"})");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(field(response), "message");
    response = send(http::Method::kPost, "/api/voice/integration/initiate", "tetrix",
                    R"({"to":"+14155550123","channel":"voice","platform":"joromi"})");
    EXPECT_EQ(response.status, 403) << response.body;
    ASSERT_FALSE(audit_.empty());
    EXPECT_EQ(audit_.back().action, "integration.initiate");
}

TEST_F(IntegrationHandlers, StatusReportsEachDependencyAsAskedNow) {
    auto response = send(http::Method::kGet, "/api/voice/integration/status", "tetrix");
    ASSERT_EQ(response.status, 200) << response.body;
    auto body = json::parse(response.body);
    EXPECT_EQ(body["status"], "degraded");
    ASSERT_EQ(body["dependencies"].size(), 2u);
    const auto& carrier = body["dependencies"][0];
    EXPECT_EQ(carrier["name"], "carrier");
    EXPECT_EQ(carrier["mode"], "sandbox");
    EXPECT_EQ(carrier["reachable"], false);
    EXPECT_EQ(carrier["lastError"], "sandbox carrier: connection refused");
    EXPECT_TRUE(carrier["latencyMs"].is_number());
    const auto& database = body["dependencies"][1];
    EXPECT_EQ(database["reachable"], true);
    EXPECT_FALSE(database.contains("lastError"));

    database_up_ = false;
    auto down = send(http::Method::kGet, "/api/voice/integration/status", "tetrix");
    EXPECT_EQ(down.status, 503);
    EXPECT_EQ(json::parse(down.body)["status"], "down");
    EXPECT_EQ(send(http::Method::kGet, "/api/voice/integration/status", "nobody").status, 401);
}

TEST_F(IntegrationHandlers, SelfTestReportsEveryStepWithItsVerdictAndIsAudited) {
    auto response = send(http::Method::kPost, "/api/voice/integration/test", "joromi");
    ASSERT_EQ(response.status, 200) << response.body;
    auto body = json::parse(response.body);
    EXPECT_EQ(body["ok"], false);
    ASSERT_EQ(body["steps"].size(), 2u);
    EXPECT_EQ(body["steps"][0]["name"], "database");
    EXPECT_EQ(body["steps"][0]["ok"], true);
    EXPECT_EQ(body["steps"][0]["detail"], "SELECT 1 answered");
    EXPECT_TRUE(body["steps"][0]["ms"].is_number());
    EXPECT_EQ(body["steps"][1]["ok"], false);
    EXPECT_EQ(body["steps"][1]["detail"], "sandbox for joromi did not report delivery");
    ASSERT_FALSE(audit_.empty());
    EXPECT_EQ(audit_.back().action, "integration.test");
    EXPECT_EQ(audit_.back().target, "platform:joromi");
}

}  // namespace
}  // namespace crossvoice::api
