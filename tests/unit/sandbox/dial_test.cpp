#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <regex>
#include <set>

#include "sandbox_fixture.hpp"
#include "telnyx/base64.hpp"
#include "telnyx/call_event_parser.hpp"

namespace crossvoice::sandbox::testing {
namespace {

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
const std::regex kMillisecondsUtc(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");

using DialTest = SandboxTest;

TEST_F(DialTest, AnswersTheDialWithTelnyxIds) {
    const auto reply = post("/v2/calls", dial_body("+15550100123"));
    ASSERT_EQ(reply.status, 200) << reply.raw.body;
    const auto& data = reply.json["data"];
    EXPECT_TRUE(data["call_control_id"].get<std::string>().starts_with("v3:"));
    EXPECT_GT(data["call_control_id"].get<std::string>().size(), 20U);
    EXPECT_TRUE(std::regex_match(data["call_leg_id"].get<std::string>(), kUuid));
    EXPECT_TRUE(std::regex_match(data["call_session_id"].get<std::string>(), kUuid));
    EXPECT_EQ(data["is_alive"], false);
    EXPECT_EQ(data["record_type"], "call");
}

TEST_F(DialTest, CallIsInitiatedAnsweredAndThenTheCalleeHangsUp) {
    options_.talk_time = std::chrono::milliseconds(40);
    const auto client_state = "eyJjYWxsIjoiY2FsbF8xIn0=";  // {"call":"call_1"}
    const auto id = dial("+15550100123", {{"client_state", client_state}, {"webhook_url", "http://hooks.test/own"}});
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());

    EXPECT_EQ(http_.event_types_for(id), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"}));
    EXPECT_EQ(hangup->payload()["hangup_cause"], "normal_clearing");
    EXPECT_EQ(hangup->payload()["hangup_source"], "callee");
    EXPECT_EQ(hangup->payload()["state"], "hangup");

    std::set<std::string> event_ids;
    for (const auto& delivery : http_.accepted_for(id)) {
        SCOPED_TRACE(delivery.event_type());
        EXPECT_EQ(delivery.url, "http://hooks.test/own");
        EXPECT_EQ(delivery.attempt(), 1);
        EXPECT_EQ(delivery.json["data"]["record_type"], "event");
        EXPECT_TRUE(std::regex_match(delivery.json["data"]["occurred_at"].get<std::string>(), kMillisecondsUtc));
        event_ids.insert(delivery.json["data"]["id"].get<std::string>());
        const auto& payload = delivery.payload();
        EXPECT_EQ(payload["client_state"], client_state);
        EXPECT_EQ(payload["direction"], "outgoing");
        EXPECT_EQ(payload["from"], "+15550109999");
        EXPECT_EQ(payload["to"], "+15550100123");
        EXPECT_EQ(payload["connection_id"], "conn-1");
        EXPECT_TRUE(std::regex_match(payload["call_leg_id"].get<std::string>(), kUuid));
    }
    EXPECT_EQ(event_ids.size(), 3U) << "every event has its own id";

    const auto initiated = http_.wait_for(id, "call.initiated");
    ASSERT_TRUE(initiated.has_value());
    EXPECT_EQ(initiated->payload()["state"], "bridging");
    EXPECT_TRUE(initiated->payload().contains("start_time"));
    const auto event = telnyx::parse_call_event(initiated->body);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->client_state, telnyx::decode_base64(client_state));
    expect_all_deliveries_verify_and_parse();
}

TEST_F(DialTest, WebhooksGoToTheDefaultUrlWhenTheDialNamesNone) {
    const auto id = dial();
    const auto initiated = http_.wait_for(id, "call.initiated");
    ASSERT_TRUE(initiated.has_value());
    EXPECT_EQ(initiated->url, kWebhook);
}

TEST_F(DialTest, WithoutAnyWebhookUrlTheDialIsRefused) {
    options_.default_webhook_url.reset();
    const auto reply = post("/v2/calls", dial_body("+15550100123"));
    EXPECT_EQ(reply.status, 422);
    EXPECT_EQ(reply.error_pointer(), "/webhook_url");
}

TEST_F(DialTest, TimeLimitEndsTheCall) {
    const auto started = std::chrono::steady_clock::now();
    const auto id = dial("+15550100123", {{"time_limit_secs", 1}});
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
    EXPECT_EQ(hangup->payload()["hangup_cause"], "time_limit");
    EXPECT_EQ(http_.event_types_for(id), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"}));
}

TEST_F(DialTest, ARepeatedDialCommandIdGetsTheSameCallAndDialsOnce) {
    const auto body = dial_body("+15550100123", {{"command_id", "dial-1"}});
    const auto first = post("/v2/calls", body);
    const auto second = post("/v2/calls", body);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(second.status, 200);
    EXPECT_EQ(first.json, second.json);

    const auto other = post("/v2/calls", dial_body("+15550100123", {{"command_id", "dial-2"}}));
    EXPECT_NE(other.json["data"]["call_control_id"], first.json["data"]["call_control_id"]);

    const auto calls = get("/sandbox/calls");
    ASSERT_EQ(calls.status, 200);
    EXPECT_EQ(calls.json["data"].size(), 2U);
    const auto id = first.json["data"]["call_control_id"].get<std::string>();
    const auto view = get("/sandbox/calls/" + id);
    ASSERT_EQ(view.json["data"]["commands"].size(), 2U);
    EXPECT_EQ(view.json["data"]["commands"][1]["repeat"], true);
}

TEST_F(DialTest, AnsweringMachineDetectionReportsAHuman) {
    const auto id = dial("+15550100123", {{"answering_machine_detection", "detect"}});
    const auto detection = http_.wait_for(id, "call.machine.detection.ended");
    ASSERT_TRUE(detection.has_value());
    EXPECT_EQ(detection->payload()["result"], "human");
}

// The number table: rows that place a call which never connects.
struct UnansweredRow {
    const char* suffix;
    const char* cause;
    const char* source;
};

class UnansweredNumberTest : public SandboxTest, public ::testing::WithParamInterface<UnansweredRow> {};

TEST_P(UnansweredNumberTest, IsInitiatedThenHungUpWithItsCause) {
    const auto& row = GetParam();
    const auto id = dial(std::string("+15550100") + row.suffix);
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(http_.event_types_for(id), (std::vector<std::string>{"call.initiated", "call.hangup"}));
    EXPECT_EQ(hangup->payload()["hangup_cause"], row.cause);
    EXPECT_EQ(hangup->payload()["hangup_source"], row.source);
    expect_all_deliveries_verify_and_parse();
}

INSTANTIATE_TEST_SUITE_P(
    NumberTable, UnansweredNumberTest,
    ::testing::Values(UnansweredRow{"486", "user_busy", "callee"}, UnansweredRow{"408", "timeout", "unknown"},
                      UnansweredRow{"404", "not_found", "unknown"}, UnansweredRow{"603", "call_rejected", "callee"}),
    [](const ::testing::TestParamInfo<UnansweredRow>& row) { return std::string("EndsIn") + row.param.suffix; });

TEST_F(DialTest, Number422IsRefusedWithATelnyxError) {
    const auto reply = post("/v2/calls", dial_body("+15550100422"));
    EXPECT_EQ(reply.status, 422);
    EXPECT_EQ(reply.error_code(), "10002");
    EXPECT_EQ(reply.error_pointer(), "/to");
    EXPECT_NE(reply.json["errors"][0]["detail"].get<std::string>().find("+15550100422"), std::string::npos);
    EXPECT_EQ(get("/sandbox/calls").json["data"].size(), 0U) << "no call exists";
}

TEST_F(DialTest, Number429IsRateLimitedWithHeaders) {
    const auto reply = post("/v2/calls", dial_body("+15550100429"));
    EXPECT_EQ(reply.status, 429);
    EXPECT_EQ(reply.error_code(), "90103");
    std::map<std::string, std::string> headers(reply.raw.headers.begin(), reply.raw.headers.end());
    EXPECT_EQ(headers["x-ratelimit-limit"], "30");
    EXPECT_EQ(headers["x-ratelimit-remaining"], "0");
    EXPECT_EQ(headers["x-ratelimit-reset"], "1");
    EXPECT_EQ(headers["retry-after"], "1");
}

TEST_F(DialTest, Number500FailsWithAnUnexpectedError) {
    const auto reply = post("/v2/calls", dial_body("+15550100500"));
    EXPECT_EQ(reply.status, 500);
    EXPECT_EQ(reply.error_code(), "10007");
}

TEST_F(DialTest, Number504HoldsTheRequestThenTimesOut) {
    options_.stall = std::chrono::milliseconds(150);
    const auto started = std::chrono::steady_clock::now();
    const auto reply = post("/v2/calls", dial_body("+15550100504"));
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(150));
    EXPECT_EQ(reply.status, 504);
    EXPECT_EQ(reply.error_code(), "10008");
}

TEST_F(DialTest, TheDialRouteRunsOnAWorkerBecauseItMayStall) {
    carrier();
    const auto dial_route = router_.match(http::Method::kPost, "/v2/calls");
    ASSERT_NE(dial_route.route, nullptr);
    EXPECT_EQ(dial_route.route->execution, http::Execution::kWorker);
    for (const auto& route : router_.routes()) {
        EXPECT_EQ(route.access, http::Access::kPublic) << route.pattern;
        // A simulated TeXML call waits on the TeXML application for its whole length, on a worker too.
        if (route.pattern != "/v2/calls" && route.pattern != "/sandbox/texml/calls") {
            EXPECT_EQ(route.execution, http::Execution::kInline) << route.pattern;
        }
    }
}

TEST_F(DialTest, ARetriedWebhookCarriesItsAttemptNumber) {
    http_.script({500});  // the receiver fails the first delivery, then accepts
    const auto id = dial();
    const auto initiated = http_.wait_for(id, "call.initiated");
    ASSERT_TRUE(initiated.has_value());
    EXPECT_EQ(initiated->attempt(), 2);
    const auto all = http_.deliveries();
    ASSERT_GE(all.size(), 2U);
    EXPECT_EQ(all[0].answered, 500);
    EXPECT_EQ(all[0].attempt(), 1);
    EXPECT_EQ(all[0].json["data"], all[1].json["data"]) << "the same event, attempted again";
    EXPECT_EQ(all[1].max_attempts, 1) << "the sandbox retries itself, not through the client";
    expect_all_deliveries_verify_and_parse();
}

}  // namespace
}  // namespace crossvoice::sandbox::testing
