#include <gtest/gtest.h>

#include <algorithm>

#include "sandbox_fixture.hpp"
#include "telnyx/call_event_parser.hpp"

namespace crossvoice::sandbox::testing {
namespace {

using CommandTest = SandboxTest;

long count(const std::vector<std::string>& events, const std::string& type) {
    return std::count(events.begin(), events.end(), type);
}

TEST_F(CommandTest, HangupEndsTheCallWithTheCallerAsSource) {
    const auto id = answered_call();
    const auto reply = command(id, "hangup", {{"command_id", "c-1"}});
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.json, nlohmann::json::parse(R"({"data":{"result":"ok"}})"));
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->payload()["hangup_cause"], "normal_clearing");
    EXPECT_EQ(hangup->payload()["hangup_source"], "caller");
    EXPECT_EQ(http_.event_types_for(id), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"}));
    expect_all_deliveries_verify_and_parse();
}

TEST_F(CommandTest, HangingUpARingingCallCancelsIt) {
    options_.answer_delay = std::chrono::seconds(30);
    const auto id = dial();
    ASSERT_TRUE(http_.wait_for(id, "call.initiated").has_value());
    EXPECT_EQ(command(id, "hangup").status, 200);
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->payload()["hangup_cause"], "originator_cancel");
}

TEST_F(CommandTest, CommandsOnAnEndedCallAreRefusedWith90018) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "hangup").status, 200);
    for (const auto* action : {"hangup", "speak", "gather"}) {
        SCOPED_TRACE(action);
        const auto reply = command(id, action, {{"payload", "Hi"}, {"voice", "female"}});
        EXPECT_EQ(reply.status, 422);
        EXPECT_EQ(reply.error_code(), "90018");
        EXPECT_EQ(reply.json["errors"][0]["title"], "Call has already ended");
    }
}

TEST_F(CommandTest, ARepeatedCommandIdIsAnsweredAgainButDoesNothing) {
    const auto id = answered_call();
    const nlohmann::json speak{{"payload", "Hi"}, {"voice", "female"}, {"command_id", "speak-1"}};
    const auto first = command(id, "speak", speak);
    const auto second = command(id, "speak", speak);
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(second.status, 200);
    EXPECT_EQ(first.raw.body, second.raw.body);
    ASSERT_TRUE(http_.wait_for(id, "call.speak.ended").has_value());
    ASSERT_EQ(command(id, "hangup", {{"command_id", "hangup-1"}}).status, 200);
    ASSERT_TRUE(http_.wait_for(id, "call.hangup").has_value());
    // The repeat of the hangup, after the call ended, still gets the first answer, not 90018.
    EXPECT_EQ(command(id, "hangup", {{"command_id", "hangup-1"}}).status, 200);

    const auto events = http_.event_types_for(id);
    EXPECT_EQ(count(events, "call.speak.started"), 1);
    EXPECT_EQ(count(events, "call.hangup"), 1);
    const auto view = get("/sandbox/calls/" + id);
    const auto& commands = view.json["data"]["commands"];
    ASSERT_EQ(commands.size(), 5U);
    EXPECT_EQ(commands[1]["action"], "speak");
    EXPECT_EQ(commands[1]["repeat"], false);
    EXPECT_EQ(commands[2]["repeat"], true);
    EXPECT_EQ(commands[4]["repeat"], true);
}

TEST_F(CommandTest, TheSameCommandIdOnAnotherCallIsANewCommand) {
    const auto a = answered_call();
    const auto b = answered_call();
    const nlohmann::json speak{{"payload", "Hi"}, {"voice", "female"}, {"command_id", "shared"}};
    EXPECT_EQ(command(a, "speak", speak).status, 200);
    EXPECT_EQ(command(b, "speak", speak).status, 200);
    EXPECT_TRUE(http_.wait_for(a, "call.speak.started").has_value());
    EXPECT_TRUE(http_.wait_for(b, "call.speak.started").has_value());
}

TEST_F(CommandTest, SpeakStartsThenEndsCompleted) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "speak", {{"payload", "Welcome"}, {"voice", "female"}, {"client_state", "c3BlYWs="}}).status,
              200);
    const auto ended = http_.wait_for(id, "call.speak.ended");
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->payload()["status"], "completed");
    EXPECT_EQ(ended->payload()["client_state"], "c3BlYWs=") << "a command's client_state rides on later webhooks";
    const auto events = http_.event_types_for(id);
    EXPECT_EQ(events,
              (std::vector<std::string>{"call.initiated", "call.answered", "call.speak.started", "call.speak.ended"}));
    expect_all_deliveries_verify_and_parse();
}

TEST_F(CommandTest, SpeechIsQueuedOneAfterAnother) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "speak", {{"payload", "One"}, {"voice", "female"}}).status, 200);
    ASSERT_EQ(command(id, "speak", {{"payload", "Two"}, {"voice", "female"}}).status, 200);
    // The predicate runs under the fake's lock: it reads the deliveries it is given, never the fake.
    ASSERT_TRUE(http_.wait_until([&](const std::vector<Delivery>& all) {
        return std::count_if(all.begin(), all.end(), [&](const Delivery& delivery) {
                   return delivery.call_control_id() == id && delivery.event_type() == "call.speak.ended";
               }) == 2;
    }));
    EXPECT_EQ(http_.event_types_for(id),
              (std::vector<std::string>{"call.initiated", "call.answered", "call.speak.started", "call.speak.ended",
                                        "call.speak.started", "call.speak.ended"}));
}

TEST_F(CommandTest, SpeakBeforeTheAnswerIsRefused) {
    options_.answer_delay = std::chrono::seconds(30);
    const auto id = dial();
    const auto reply = command(id, "speak", {{"payload", "Hi"}, {"voice", "female"}});
    EXPECT_EQ(reply.status, 422);
    EXPECT_EQ(reply.error_code(), "90045");
}

TEST_F(CommandTest, PlaybackStartsAndEnds) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "playback_start", {{"audio_url", "https://example.com/a.mp3"}}).status, 200);
    const auto ended = http_.wait_for(id, "call.playback.ended");
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->payload()["media_url"], "https://example.com/a.mp3");
    EXPECT_EQ(ended->payload()["status"], "completed");
    const auto started = http_.wait_for(id, "call.playback.started");
    ASSERT_TRUE(started.has_value());
    EXPECT_EQ(started->payload()["media_url"], "https://example.com/a.mp3");
}

TEST_F(CommandTest, PlaybackStopCancelsThePlayback) {
    options_.playback_time = std::chrono::seconds(30);
    const auto id = answered_call();
    ASSERT_EQ(command(id, "playback_start", {{"media_name", "hold-music"}}).status, 200);
    ASSERT_TRUE(http_.wait_for(id, "call.playback.started").has_value());
    ASSERT_EQ(command(id, "playback_stop").status, 200);
    const auto ended = http_.wait_for(id, "call.playback.ended");
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->payload()["status"], "cancelled");
}

TEST_F(CommandTest, GatherCollectsInjectedDigits) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "gather", {{"maximum_digits", 4}, {"terminating_digit", "#"}}).status, 200);
    const auto pressed = post("/sandbox/calls/" + id + "/dtmf", {{"digits", "12#"}});
    EXPECT_EQ(pressed.status, 200) << pressed.raw.body;
    const auto ended = http_.wait_for(id, "call.gather.ended");
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->payload()["digits"], "12");
    EXPECT_EQ(ended->payload()["status"], "valid");
    EXPECT_EQ(http_.event_types_for(id),
              (std::vector<std::string>{"call.initiated", "call.answered", "call.dtmf.received", "call.dtmf.received",
                                        "call.dtmf.received", "call.gather.ended"}));
    const auto dtmf = http_.wait_for(id, "call.dtmf.received");
    ASSERT_TRUE(dtmf.has_value());
    EXPECT_EQ(dtmf->payload()["digit"], "1");

    const auto event = telnyx::parse_call_event(ended->body);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->digits, "12");
    EXPECT_EQ(event->status, "valid");
    expect_all_deliveries_verify_and_parse();
}

TEST_F(CommandTest, GatherEndsWhenMaximumDigitsArrive) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "gather", {{"maximum_digits", 2}}).status, 200);
    ASSERT_EQ(post("/sandbox/calls/" + id + "/dtmf", {{"digits", "987"}}).status, 200);
    const auto ended = http_.wait_for(id, "call.gather.ended");
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->payload()["digits"], "98");
}

TEST_F(CommandTest, GatherTimesOutWithoutDigits) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "gather", {{"timeout_millis", 30}}).status, 200);
    const auto ended = http_.wait_for(id, "call.gather.ended");
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->payload()["status"], "timeout");
    EXPECT_EQ(ended->payload()["digits"], "");
}

TEST_F(CommandTest, GatherUsingSpeakPlaysThePromptThenGathers) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "gather_using_speak",
                      {{"payload", "Press 1 for sales"}, {"voice", "female"}, {"valid_digits", "12"}})
                  .status,
              200);
    ASSERT_TRUE(http_.wait_for(id, "call.speak.ended").has_value());
    ASSERT_EQ(post("/sandbox/calls/" + id + "/dtmf", {{"digits", "1#"}}).status, 200);
    const auto ended = http_.wait_for(id, "call.gather.ended");
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->payload()["digits"], "1");
    EXPECT_EQ(ended->payload()["status"], "valid");
}

TEST_F(CommandTest, HangingUpEndsAGatherFirst) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "gather").status, 200);
    ASSERT_EQ(post("/sandbox/calls/" + id + "/hangup", nlohmann::json::object()).status, 200);
    const auto hangup = http_.wait_for(id, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->payload()["hangup_source"], "callee");
    const auto events = http_.event_types_for(id);
    ASSERT_GE(events.size(), 2U);
    EXPECT_EQ(events[events.size() - 2], "call.gather.ended");
    EXPECT_EQ(http_.wait_for(id, "call.gather.ended")->payload()["status"], "call_hangup");
}

TEST_F(CommandTest, TransferDialsANewLegAndBridgesBoth) {
    const auto id = answered_call();
    const auto original = http_.wait_for(id, "call.answered");
    ASSERT_TRUE(original.has_value());
    ASSERT_EQ(command(id, "transfer", {{"to", "+15550100777"}, {"target_leg_client_state", "bGVnMg=="}}).status, 200);
    ASSERT_TRUE(http_.wait_for(id, "call.bridged").has_value());

    const auto calls = get("/sandbox/calls").json["data"];
    ASSERT_EQ(calls.size(), 2U);
    const auto target = calls[1]["call_control_id"].get<std::string>();
    EXPECT_EQ(calls[1]["to"], "+15550100777");
    EXPECT_EQ(calls[1]["bridged_with"], id);
    const auto target_bridged = http_.wait_for(target, "call.bridged");
    ASSERT_TRUE(target_bridged.has_value());
    EXPECT_EQ(http_.event_types_for(target),
              (std::vector<std::string>{"call.initiated", "call.answered", "call.bridged"}));
    EXPECT_EQ(target_bridged->payload()["call_session_id"], original->payload()["call_session_id"]);
    EXPECT_EQ(target_bridged->payload()["client_state"], "bGVnMg==");
    EXPECT_EQ(target_bridged->payload()["direction"], "outgoing");

    // When one side hangs up, the bridge falls apart and the other side ends too.
    ASSERT_EQ(command(id, "hangup").status, 200);
    EXPECT_TRUE(http_.wait_for(target, "call.hangup").has_value());
    expect_all_deliveries_verify_and_parse();
}

TEST_F(CommandTest, TransferToABusyNumberLeavesTheOriginalCallUp) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "transfer", {{"to", "+15550100486"}}).status, 200);
    const auto calls = get("/sandbox/calls").json["data"];
    ASSERT_EQ(calls.size(), 2U);
    const auto target = calls[1]["call_control_id"].get<std::string>();
    const auto hangup = http_.wait_for(target, "call.hangup");
    ASSERT_TRUE(hangup.has_value());
    EXPECT_EQ(hangup->payload()["hangup_cause"], "user_busy");
    EXPECT_EQ(get("/sandbox/calls/" + id).json["data"]["state"], "answered");
}

TEST_F(CommandTest, BridgeJoinsTwoCalls) {
    const auto a = answered_call();
    const auto b = answered_call();
    ASSERT_EQ(command(a, "bridge", {{"call_control_id", b}}).status, 200);
    EXPECT_TRUE(http_.wait_for(a, "call.bridged").has_value());
    EXPECT_TRUE(http_.wait_for(b, "call.bridged").has_value());
    EXPECT_EQ(command(a, "bridge", {{"call_control_id", "v3:nope"}}).error_pointer(), "/call_control_id");
}

TEST_F(CommandTest, StreamingStartsAndStopsWithoutMedia) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "streaming_start", {{"stream_url", "wss://media.test/stream"}}).status, 200);
    ASSERT_EQ(command(id, "streaming_stop").status, 200);
    const auto stopped = http_.wait_for(id, "streaming.stopped");
    ASSERT_TRUE(stopped.has_value());
    EXPECT_EQ(stopped->payload()["stream_url"], "wss://media.test/stream");
    EXPECT_TRUE(http_.wait_for(id, "streaming.started").has_value());
    expect_all_deliveries_verify_and_parse();
}

TEST_F(CommandTest, SendDtmfAndTranscriptionAreAcceptedWithoutEvents) {
    const auto id = answered_call();
    EXPECT_EQ(command(id, "send_dtmf", {{"digits", "1234#"}}).status, 200);
    EXPECT_EQ(command(id, "transcription_start").status, 200);
    EXPECT_EQ(command(id, "transcription_stop").status, 200);
    ASSERT_EQ(command(id, "hangup").status, 200);
    ASSERT_TRUE(http_.wait_for(id, "call.hangup").has_value());
    EXPECT_EQ(http_.event_types_for(id), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"}));
}

TEST_F(CommandTest, TheCallViewListsCommandsInOrder) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "speak", {{"payload", "Hi"}, {"voice", "male"}}).status, 200);
    EXPECT_EQ(command(id, "record_start", {{"channels", "mono"}, {"format", "wav"}}).status, 422);
    ASSERT_EQ(command(id, "hangup").status, 200);
    const auto view = get("/sandbox/calls/" + id);
    ASSERT_EQ(view.status, 200);
    const auto& data = view.json["data"];
    EXPECT_EQ(data["state"], "ended");
    EXPECT_EQ(data["hangup_cause"], "normal_clearing");
    const auto& commands = data["commands"];
    ASSERT_EQ(commands.size(), 4U);
    EXPECT_EQ(commands[0]["action"], "dial");
    EXPECT_EQ(commands[0]["body"]["to"], "+15550100123");
    EXPECT_EQ(commands[1]["action"], "speak");
    EXPECT_EQ(commands[1]["body"]["voice"], "male");
    EXPECT_EQ(commands[2]["action"], "record_start");
    EXPECT_EQ(commands[2]["status"], 422);
    EXPECT_EQ(commands[3]["action"], "hangup");
}

}  // namespace
}  // namespace crossvoice::sandbox::testing
