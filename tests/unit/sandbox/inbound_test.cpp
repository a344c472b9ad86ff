#include <gtest/gtest.h>

#include "sandbox_fixture.hpp"

namespace crossvoice::sandbox::testing {
namespace {

using InboundTest = SandboxTest;

// The call_control_id of the call POST /sandbox/inbound created.
std::string arrived(const Reply& reply) {
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
    if (reply.status != 200) return "";
    return reply.json["data"]["call_control_id"].get<std::string>();
}

TEST_F(InboundTest, AnInboundCallIsParkedUntilAnswered) {
    options_.talk_time = std::chrono::milliseconds(40);
    const auto id = arrived(post("/sandbox/inbound", {{"from", "+15550107777"}, {"to", "+15550100001"}}));
    const auto initiated = http_.wait_for(id, "call.initiated");
    ASSERT_TRUE(initiated.has_value());
    EXPECT_EQ(initiated->payload()["direction"], "incoming");
    EXPECT_EQ(initiated->payload()["state"], "parked");
    EXPECT_EQ(initiated->payload()["from"], "+15550107777");
    EXPECT_EQ(initiated->url, kWebhook);

    ASSERT_EQ(command(id, "answer", {{"client_state", "aW4="}}).status, 200);
    const auto answered = http_.wait_for(id, "call.answered");
    ASSERT_TRUE(answered.has_value());
    EXPECT_EQ(answered->payload()["state"], "answered");
    EXPECT_EQ(answered->payload()["client_state"], "aW4=");
    // After talk_time the caller hangs up.
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->payload()["hangup_cause"], "normal_clearing");
    EXPECT_EQ(hangup->payload()["hangup_source"], "caller");
    EXPECT_EQ(command(id, "answer").error_code(), "90018");
    expect_all_deliveries_verify_and_parse();
}

TEST_F(InboundTest, AnUnansweredInboundCallIsCancelledByTheCaller) {
    const auto id = arrived(post("/sandbox/inbound", {{"from", "+15550107777"}, {"to", "+15550100001"}}));
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->payload()["hangup_cause"], "originator_cancel");
    EXPECT_EQ(hangup->payload()["hangup_source"], "caller");
}

TEST_F(InboundTest, RejectingAsBusyEndsTheCall) {
    const auto id =
        arrived(post("/sandbox/inbound",
                     {{"from", "+15550107777"}, {"to", "+15550100001"}, {"webhook_url", "http://hooks.test/inbound"}}));
    ASSERT_EQ(command(id, "reject", {{"cause", "USER_BUSY"}}).status, 200);
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->url, "http://hooks.test/inbound");
    EXPECT_EQ(hangup->payload()["hangup_cause"], "user_busy");
    EXPECT_EQ(hangup->payload()["hangup_source"], "callee");
}

TEST_F(InboundTest, OurHangupOfAnAnsweredInboundCallComesFromTheCallee) {
    const auto id = arrived(post("/sandbox/inbound", {{"from", "+15550107777"}, {"to", "+15550100001"}}));
    ASSERT_EQ(command(id, "answer").status, 200);
    ASSERT_EQ(command(id, "hangup").status, 200);
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->payload()["hangup_source"], "callee");
}

TEST_F(InboundTest, ATransferredParkedCallIsNotCancelledWhileBridged) {
    options_.no_answer_after = std::chrono::milliseconds(100);
    options_.talk_time = std::chrono::milliseconds(300);  // the transfer target hangs up well after that
    const auto id = arrived(post("/sandbox/inbound", {{"from", "+15550107777"}, {"to", "+15550100001"}}));
    ASSERT_EQ(command(id, "transfer", {{"to", "+15550100777"}}).status, 200);
    ASSERT_TRUE(http_.wait_for(id, "call.bridged").has_value());
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->payload()["hangup_cause"], "normal_clearing") << "ended by the bridge, not by the ring timer";
}

TEST_F(InboundTest, OnlyIncomingRingingCallsCanBeAnsweredOrRejected) {
    const auto outgoing = answered_call();
    EXPECT_EQ(command(outgoing, "answer").error_code(), "90045");
    EXPECT_EQ(command(outgoing, "reject", {{"cause", "CALL_REJECTED"}}).error_code(), "90045");
    const auto incoming = arrived(post("/sandbox/inbound", {{"from", "+15550107777"}, {"to", "+15550100001"}}));
    ASSERT_EQ(command(incoming, "answer").status, 200);
    EXPECT_EQ(command(incoming, "answer").error_code(), "90045");
}

TEST_F(InboundTest, TheInboundRouteChecksItsFields) {
    EXPECT_EQ(post("/sandbox/inbound", {{"to", "+15550100001"}}).error_pointer(), "/from");
    EXPECT_EQ(post("/sandbox/inbound", {{"from", "+15550107777"}, {"to", "12"}}).error_pointer(), "/to");
}

TEST_F(InboundTest, WithoutAWebhookUrlAnInboundCallCannotArrive) {
    options_.default_webhook_url.reset();
    EXPECT_EQ(post("/sandbox/inbound", {{"from", "+15550107777"}, {"to", "+15550100001"}}).error_pointer(),
              "/webhook_url");
}

TEST_F(InboundTest, ControlRoutesAnswerForUnknownAndEndedCalls) {
    EXPECT_EQ(post("/sandbox/calls/v3:nope/dtmf", {{"digits", "1"}}).status, 404);
    EXPECT_EQ(post("/sandbox/calls/v3:nope/hangup", nlohmann::json::object()).status, 404);
    const auto id = answered_call();
    EXPECT_EQ(post("/sandbox/calls/" + id + "/dtmf", {{"digits", "x"}}).error_pointer(), "/digits");
    ASSERT_EQ(post("/sandbox/calls/" + id + "/hangup", nlohmann::json::object()).status, 200);
    EXPECT_EQ(post("/sandbox/calls/" + id + "/hangup", nlohmann::json::object()).error_code(), "90018");
    EXPECT_EQ(post("/sandbox/calls/" + id + "/dtmf", {{"digits", "1"}}).error_code(), "90018");
}

}  // namespace
}  // namespace crossvoice::sandbox::testing
