#include "core/call_state_machine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/call.hpp"

namespace crossvoice::core {
namespace {

CallEvent event_of(CallEventType type, std::optional<std::string> cause = std::nullopt) {
    CallEvent event;
    event.id = "evt";
    event.type = type;
    event.hangup_cause = std::move(cause);
    return event;
}

CallEvent hangup(std::string cause) { return event_of(CallEventType::kHangup, std::move(cause)); }

// Applies the events in order from kInitiated and returns the final state.
CallState run(const std::vector<CallEvent>& events, CallState start = CallState::kInitiated) {
    CallState state = start;
    for (const auto& event : events) state = apply(state, event).next;
    return state;
}

TEST(CallState, NamesRoundTrip) {
    for (auto state : kAllCallStates) {
        EXPECT_EQ(parse_call_state(to_string(state)), state) << to_string(state);
    }
    EXPECT_EQ(to_string(CallState::kNoAnswer), "no_answer");
    EXPECT_EQ(to_string(CallState::kCanceled), "canceled");
    EXPECT_EQ(to_string(CallState::kRinging), "ringing");
    EXPECT_EQ(parse_call_state("NoAnswer"), std::nullopt);
    EXPECT_EQ(parse_call_state(""), std::nullopt);
}

TEST(CallState, EventTypeNamesRoundTrip) {
    for (auto type : kAllCallEventTypes) {
        EXPECT_EQ(parse_call_event_type(to_string(type)), type) << to_string(type);
    }
    EXPECT_EQ(to_string(CallEventType::kGatherEnded), "gather_ended");
    EXPECT_EQ(to_string(CallEventType::kMachineDetectionEnded), "machine_detection_ended");
    EXPECT_EQ(parse_call_event_type("call.hangup"), std::nullopt);
}

TEST(CallState, TerminalStates) {
    EXPECT_FALSE(is_terminal(CallState::kInitiated));
    EXPECT_FALSE(is_terminal(CallState::kRinging));
    EXPECT_FALSE(is_terminal(CallState::kAnswered));
    for (auto state :
         {CallState::kCompleted, CallState::kBusy, CallState::kNoAnswer, CallState::kFailed, CallState::kCanceled}) {
        EXPECT_TRUE(is_terminal(state)) << to_string(state);
    }
}

TEST(CallStateMachine, InitiatedAnsweredHangup) {
    auto step = apply(CallState::kInitiated, event_of(CallEventType::kInitiated));
    EXPECT_EQ(step.next, CallState::kRinging);
    EXPECT_TRUE(step.changed);
    step = apply(step.next, event_of(CallEventType::kAnswered));
    EXPECT_EQ(step.next, CallState::kAnswered);
    EXPECT_TRUE(step.changed);
    step = apply(step.next, hangup("normal_clearing"));
    EXPECT_EQ(step.next, CallState::kCompleted);
    EXPECT_TRUE(step.changed);
}

TEST(CallStateMachine, AnsweredWithoutInitiatedWebhook) {
    EXPECT_EQ(run({event_of(CallEventType::kAnswered)}), CallState::kAnswered);
}

TEST(CallStateMachine, InitiatedNeverMovesBackwards) {
    auto step = apply(CallState::kRinging, event_of(CallEventType::kInitiated));
    EXPECT_EQ(step.next, CallState::kRinging);
    EXPECT_FALSE(step.changed);
    step = apply(CallState::kAnswered, event_of(CallEventType::kInitiated));
    EXPECT_EQ(step.next, CallState::kAnswered);
    EXPECT_FALSE(step.changed);
}

TEST(CallStateMachine, HangupBeforeAnsweredEndsTheCallAndTheLateAnswerIsIgnored) {
    auto step = apply(CallState::kRinging, hangup("normal_clearing"));
    EXPECT_EQ(step.next, CallState::kCanceled);
    EXPECT_TRUE(step.changed);
    step = apply(step.next, event_of(CallEventType::kAnswered));
    EXPECT_EQ(step.next, CallState::kCanceled);
    EXPECT_FALSE(step.changed);
}

TEST(CallStateMachine, DuplicateAnsweredChangesNothing) {
    auto step = apply(CallState::kAnswered, event_of(CallEventType::kAnswered));
    EXPECT_EQ(step.next, CallState::kAnswered);
    EXPECT_FALSE(step.changed);
}

TEST(CallStateMachine, AnsweredAfterHangupNeverRevives) {
    for (auto ended :
         {CallState::kCompleted, CallState::kBusy, CallState::kNoAnswer, CallState::kFailed, CallState::kCanceled}) {
        const auto step = apply(ended, event_of(CallEventType::kAnswered));
        EXPECT_EQ(step.next, ended);
        EXPECT_FALSE(step.changed);
    }
}

TEST(CallStateMachine, FirstHangupWins) {
    EXPECT_EQ(run({event_of(CallEventType::kInitiated), hangup("user_busy"), hangup("normal_clearing")}),
              CallState::kBusy);
    EXPECT_EQ(run({event_of(CallEventType::kInitiated), hangup("timeout"), hangup("user_busy")}), CallState::kNoAnswer);
    EXPECT_EQ(run({event_of(CallEventType::kAnswered), hangup("time_limit"), hangup("not_found")}),
              CallState::kCompleted);
    const auto second = apply(CallState::kBusy, hangup("normal_clearing"));
    EXPECT_EQ(second.next, CallState::kBusy);
    EXPECT_FALSE(second.changed);
}

TEST(CallStateMachine, HangupWithoutCause) {
    EXPECT_EQ(apply(CallState::kRinging, event_of(CallEventType::kHangup)).next, CallState::kFailed);
    EXPECT_EQ(apply(CallState::kAnswered, event_of(CallEventType::kHangup)).next, CallState::kCompleted);
}

TEST(CallStateMachine, EveryOrderOfInitiatedAnsweredHangup) {
    // The three events of an answered call, delivered in all six orders: the call ends, completed when the
    // answer was seen before the hang-up, canceled otherwise; it is never left open.
    std::vector<CallEventType> order{CallEventType::kAnswered, CallEventType::kHangup, CallEventType::kInitiated};
    std::sort(order.begin(), order.end());
    int orders = 0;
    do {
        ++orders;
        CallState state = CallState::kInitiated;
        bool answered_first = false;
        bool ended = false;
        for (auto type : order) {
            const auto event = type == CallEventType::kHangup ? hangup("normal_clearing") : event_of(type);
            const auto step = apply(state, event);
            EXPECT_EQ(step.changed, step.next != state);
            if (type == CallEventType::kAnswered && !ended) answered_first = true;
            if (type == CallEventType::kHangup) ended = true;
            state = step.next;
        }
        EXPECT_EQ(state, answered_first ? CallState::kCompleted : CallState::kCanceled);
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(orders, 6);
}

TEST(CallStateMachine, OtherEventsNeverChangeState) {
    for (auto state : kAllCallStates) {
        for (auto type : kAllCallEventTypes) {
            if (type == CallEventType::kInitiated || type == CallEventType::kAnswered ||
                type == CallEventType::kHangup) {
                continue;
            }
            const auto step = apply(state, event_of(type, "user_busy"));
            EXPECT_EQ(step.next, state) << to_string(state) << " " << to_string(type);
            EXPECT_FALSE(step.changed);
        }
    }
}

TEST(CallStateMachine, TerminalStatesNeverChange) {
    for (auto state : kAllCallStates) {
        if (!is_terminal(state)) continue;
        for (auto type : kAllCallEventTypes) {
            for (const char* cause : {"normal_clearing", "user_busy", "no_answer", ""}) {
                const auto step = apply(state, event_of(type, std::string(cause)));
                EXPECT_EQ(step.next, state);
                EXPECT_FALSE(step.changed);
            }
        }
    }
}

struct CauseCase {
    const char* cause;
    CallState unanswered;
};

constexpr std::array<CauseCase, 12> kCauses{{
    {"normal_clearing", CallState::kCanceled},
    {"originator_cancel", CallState::kCanceled},
    {"user_busy", CallState::kBusy},
    {"call_rejected", CallState::kBusy},
    {"no_answer", CallState::kNoAnswer},
    {"timeout", CallState::kNoAnswer},
    {"time_limit", CallState::kNoAnswer},
    {"not_found", CallState::kFailed},
    {"unspecified", CallState::kFailed},
    {"", CallState::kFailed},
    {"some_future_cause", CallState::kFailed},
    {"USER_BUSY", CallState::kBusy},
}};

TEST(CallStateMachine, EveryHangupCauseUnanswered) {
    for (const auto& [cause, expected] : kCauses) {
        EXPECT_EQ(map_hangup_cause(cause, false), expected) << cause;
        EXPECT_EQ(apply(CallState::kInitiated, hangup(cause)).next, expected) << cause;
        EXPECT_EQ(apply(CallState::kRinging, hangup(cause)).next, expected) << cause;
    }
}

TEST(CallStateMachine, EveryHangupCauseAnsweredCompletes) {
    for (const auto& [cause, unanswered] : kCauses) {
        EXPECT_NE(unanswered, CallState::kCompleted) << "an unanswered call never counts as a conversation";
        EXPECT_EQ(map_hangup_cause(cause, true), CallState::kCompleted) << cause;
        const auto step = apply(CallState::kAnswered, hangup(cause));
        EXPECT_EQ(step.next, CallState::kCompleted) << cause;
        EXPECT_TRUE(step.changed);
    }
}

}  // namespace
}  // namespace crossvoice::core
