#include "services/ivr_call_control.hpp"

#include <gtest/gtest.h>

#include "core/client_state.hpp"
#include "ivr_test_base.hpp"
#include "support/fake_carrier.hpp"

namespace crossvoice::services {
namespace {

using core::CallEvent;
using core::CallEventType;
using Commands = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kFlow = R"(name: desk-line
platform: joromi
numbers: ["+12025550177"]
start: hello
nodes:
  hello: {type: say, text: "Hello.", next: ask}
  ask:
    type: menu
    prompt: Press 1 for the desk.
    retries: 0
    fallback: bye
    options:
      - {digit: "1", next: desk}
  desk: {type: transfer, targets: ["+12025550120"], no_answer: bye}
  bye: {type: hangup, text: Goodbye.}
)";

// The Call Control IVR against the real stores, parser, markup and engine; only the carrier is a recording fake.
class IvrCallControlTest : public IvrTestBase {
  protected:
    void SetUp() override {
        ASSERT_TRUE(catalog_.put(core::Platform::kJoromi, "desk-line", kFlow).ok());
        events_.set_observer(&driver_);
    }

    CallEvent event(std::string id, CallEventType type, std::string control_id = "v3:in") {
        CallEvent e;
        e.id = std::move(id);
        e.type = type;
        e.event_type = "call." + std::string(core::to_string(type));
        e.occurred_at = clock_.now();
        e.call_control_id = std::move(control_id);
        if (call_) e.client_state = core::encode_client_state({call_->platform, call_->session_id, call_->id});
        return e;
    }

    void deliver(CallEvent e) {
        auto applied = events_.apply(e, "{}");
        ASSERT_TRUE(applied.ok()) << applied.error().message;
    }

    void ring_in(const std::string& to = "+12025550177") {
        auto initiated = event("ev-init", CallEventType::kInitiated);
        initiated.direction = "incoming";
        initiated.from = "+12025550199";
        initiated.to = to;
        deliver(initiated);
        auto found = calls_.find_by_control_id("v3:in");
        ASSERT_TRUE(found.ok());
        if (*found) call_ = **found;
    }

    // The commands sent since the last call of this function.
    Commands sent() {
        auto all = carrier_.commands();
        Commands out(all.begin() + static_cast<std::ptrdiff_t>(seen_), all.end());
        seen_ = all.size();
        return out;
    }

    core::ports::IvrCallRecord record() {
        auto found = ivr_calls_.find(call_->id);
        EXPECT_TRUE(found.ok() && found->has_value());
        return **found;
    }

    testing::FakeCarrier carrier_;
    IvrCallControl driver_{catalog_, ivr_calls_, calls_, sessions_, carrier_, markup_, zones_, clock_, ids_};
    std::optional<core::Call> call_;
    std::size_t seen_ = 0;
};

TEST_F(IvrCallControlTest, AnIncomingCallOnARoutedNumberIsOpenedAndAnswered) {
    ring_in();
    ASSERT_TRUE(call_.has_value());
    EXPECT_EQ(call_->platform, core::Platform::kJoromi);
    EXPECT_EQ(call_->direction, core::CallDirection::kInbound);
    EXPECT_EQ(call_->flow, "desk-line");
    EXPECT_EQ(sent(), (Commands{{"v3:in", "answer"}}));
    auto session = sessions_.get({core::Platform::kJoromi, "test"}, call_->session_id);
    ASSERT_TRUE(session.ok());
    EXPECT_EQ(session->phone_number, "+12025550199");
}

TEST_F(IvrCallControlTest, TheFlowRunsOneCommandAtATimeAndAnUnansweredTransferGoesOn) {
    ring_in();
    sent();
    deliver(event("ev-answered", CallEventType::kAnswered));
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // "Hello.", then wait for it to finish
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    EXPECT_EQ(sent(), (Commands{{"v3:in", "gather_using_speak"}}));
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kMenu);

    auto pressed = event("ev-gathered", CallEventType::kGatherEnded);
    pressed.digits = "1";
    deliver(pressed);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "transfer"}}));
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kDial);

    // The far leg (its own call_control_id, our client_state) hangs up unanswered.
    auto unanswered = event("ev-far-hangup", CallEventType::kHangup, "v3:far");
    unanswered.hangup_cause = "no_answer";
    deliver(unanswered);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // "Goodbye."
    deliver(event("ev-spoke-2", CallEventType::kSpeakEnded));
    EXPECT_EQ(sent(), (Commands{{"v3:in", "hangup"}}));
    EXPECT_EQ(record().state.outcome, "hangup");
    // The caller's own leg is untouched by the far leg's hang-up.
    auto call = calls_.find_by_control_id("v3:in");
    ASSERT_TRUE(call.ok() && call->has_value());
    EXPECT_EQ((*call)->state, core::CallState::kAnswered);
}

TEST_F(IvrCallControlTest, ABridgedTransferEndsTheFlowWithoutCuttingTheCaller) {
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    auto pressed = event("ev-gathered", CallEventType::kGatherEnded);
    pressed.digits = "1";
    deliver(pressed);
    sent();
    deliver(event("ev-bridged", CallEventType::kBridged));
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(record().state.outcome, "transferred");
}

TEST_F(IvrCallControlTest, ARepeatedDeliveryChangesNothing) {
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    auto pressed = event("ev-gathered", CallEventType::kGatherEnded);
    pressed.digits = "1";
    deliver(pressed);
    sent();
    const auto before = record();
    deliver(pressed);
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(record().version, before.version);
}

TEST_F(IvrCallControlTest, SilenceAtTheMenuFallsBackAfterItsRetries) {
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    sent();
    auto timeout = event("ev-timeout", CallEventType::kGatherEnded);
    timeout.status = "timeout";
    deliver(timeout);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // retries: 0, so straight to "Goodbye."
    EXPECT_EQ(record().state.node, "bye");
}

TEST_F(IvrCallControlTest, AtShangosNodeAKeyGoesOnAndSilenceAsksAgain) {
    constexpr const char* kShangoLine = R"(name: desk-line
platform: joromi
numbers: ["+12025550177"]
start: shango
nodes:
  shango: {type: assistant, prompt: "Ask me anything, or press any key.", next: bye, retries: 1}
  bye: {type: hangup, text: Goodbye.}
)";
    ASSERT_TRUE(catalog_.put(core::Platform::kJoromi, "desk-line", kShangoLine).ok());
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kAssistant);
    sent();
    auto silence = event("ev-silence", CallEventType::kGatherEnded);
    silence.status = "timeout";
    deliver(silence);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "gather_using_speak"}}));  // "Are you still there?"
    auto pressed = event("ev-pressed", CallEventType::kGatherEnded);
    pressed.digits = "5";
    deliver(pressed);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // "Goodbye."
    EXPECT_EQ(record().state.node, "bye");
}

TEST_F(IvrCallControlTest, ACallToANumberNoFlowOwnsIsLeftAlone) {
    ring_in("+12025550999");
    EXPECT_FALSE(call_.has_value());
    EXPECT_TRUE(sent().empty());
}

}  // namespace
}  // namespace crossvoice::services
