#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <latch>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/session.hpp"
#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::Call;
using core::CallEvent;
using core::CallEventType;
using core::CallState;
using core::Platform;
using core::ports::CallChange;
using core::ports::DecideChange;
using core::ports::IngestResult;
using core::ports::IngestStatus;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(kBaseMs + ms); }

std::string make_test_id(std::string_view prefix, int n) {
    core::IdEntropy entropy{};
    entropy[0] = static_cast<std::uint8_t>(n & 0xff);
    entropy[1] = static_cast<std::uint8_t>((n >> 8) & 0xff);
    return core::make_id(prefix, at(n), entropy);
}

std::string call_id(int n) { return make_test_id(core::kCallIdPrefix, n); }
std::string session_id(int n) { return make_test_id(core::kSessionIdPrefix, n); }

// A freshly created outbound call, not dialed yet, created `n` ms after kBaseMs.
Call make_call(int n, Platform platform = Platform::kTetrix, int session = 1) {
    Call call;
    call.id = call_id(n);
    call.platform = platform;
    call.session_id = session_id(session);
    call.from = "+15550000001";
    call.to = "+15550000002";
    call.created_at = at(n);
    call.updated_at = at(n);
    return call;
}

CallEvent make_event(const std::string& id, const std::string& call_control_id, std::int64_t occurred_ms,
                     CallEventType type = CallEventType::kUnknown) {
    CallEvent event;
    event.id = id;
    event.type = type;
    event.event_type = "call.test";
    event.occurred_at = at(occurred_ms);
    event.call_control_id = call_control_id;
    return event;
}

DecideChange to_state(CallState state) {
    return [state](const Call& current, const CallEvent&) {
        CallChange change;
        change.state = state;
        change.state_changed = current.state != state;
        return change;
    };
}

DecideChange unchanged() {
    return [](const Call& current, const CallEvent&) {
        CallChange change;
        change.state = current.state;
        return change;
    };
}

// Counts its calls; useful where decide must not run at all.
DecideChange counted(std::atomic<int>& calls, DecideChange inner) {
    return [&calls, inner = std::move(inner)](const Call& current, const CallEvent& event) {
        ++calls;
        return inner(current, event);
    };
}

void expect_same(const Call& actual, const Call& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.platform, expected.platform);
    EXPECT_EQ(actual.session_id, expected.session_id);
    EXPECT_EQ(actual.direction, expected.direction);
    EXPECT_EQ(actual.from, expected.from);
    EXPECT_EQ(actual.to, expected.to);
    EXPECT_EQ(actual.state, expected.state);
    EXPECT_EQ(actual.call_control_id, expected.call_control_id);
    EXPECT_EQ(actual.call_leg_id, expected.call_leg_id);
    EXPECT_EQ(actual.call_session_id, expected.call_session_id);
    EXPECT_EQ(actual.record, expected.record);
    EXPECT_EQ(actual.transcription_enabled, expected.transcription_enabled);
    EXPECT_EQ(actual.language, expected.language);
    EXPECT_EQ(actual.flow, expected.flow);
    EXPECT_EQ(actual.failure_reason, expected.failure_reason);
    EXPECT_EQ(actual.hangup_cause, expected.hangup_cause);
    EXPECT_EQ(actual.hangup_source, expected.hangup_source);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
    EXPECT_EQ(actual.answered_at, expected.answered_at);
    EXPECT_EQ(actual.ended_at, expected.ended_at);
    EXPECT_EQ(actual.has_recording, expected.has_recording);
}

std::vector<std::string> ids_of(const std::vector<Call>& calls) {
    std::vector<std::string> ids;
    for (const auto& call : calls) ids.push_back(call.id);
    return ids;
}

std::vector<std::string> ids_of(const std::vector<core::StoredCallEvent>& events) {
    std::vector<std::string> ids;
    for (const auto& event : events) ids.push_back(event.id);
    return ids;
}

class CallStoreContract : public StoreContractTest {
  protected:
    core::ports::CallStore& store() { return backend().calls(); }

    void insert(const Call& call) {
        auto inserted = store().insert(call);
        ASSERT_TRUE(inserted) << inserted.error().message;
    }

    // The call as stored now; a failed or empty lookup fails the test and yields a default Call.
    Call stored(const std::string& id) {
        auto found = store().find_by_id_any_platform(id);
        EXPECT_TRUE(found) << found.error().message;
        if (!found) return {};
        EXPECT_TRUE(found.value().has_value()) << id;
        return found.value().value_or(Call{});
    }

    core::Result<IngestResult> ingest(const CallEvent& event, const DecideChange& decide,
                                      std::optional<std::string> hint = std::nullopt, std::int64_t received_ms = 0,
                                      core::ports::FollowUps follow_ups = core::ports::FollowUps::kPending) {
        return store().ingest_event(event, hint, R"({"data":{"id":")" + event.id + R"("}})", at(received_ms), decide,
                                    follow_ups);
    }

    std::vector<core::StoredCallEvent> events(const std::string& id) {
        auto listed = store().events_for_call(id);
        EXPECT_TRUE(listed) << listed.error().message;
        return listed ? listed.value() : std::vector<core::StoredCallEvent>{};
    }
};

// ---- insert, find, list

TEST_P(CallStoreContract, FindReturnsEveryFieldAsInserted) {
    Call call = make_call(1, Platform::kJoromi);
    call.direction = core::CallDirection::kInbound;
    call.state = CallState::kAnswered;
    call.call_control_id = "v3:control-1";
    call.call_leg_id = "leg-1";
    call.call_session_id = "session-1";
    call.record = false;
    call.transcription_enabled = false;
    call.language = "es-MX";
    call.flow = "support_menu";
    call.failure_reason = "none really";
    call.hangup_cause = "normal_clearing";
    call.hangup_source = "callee";
    call.updated_at = at(50);
    call.answered_at = at(20);
    call.ended_at = at(40);
    call.has_recording = true;
    insert(call);

    auto found = store().find(Platform::kJoromi, call.id);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value().has_value());
    expect_same(*found.value(), call);
}

TEST_P(CallStoreContract, FindKeepsAbsentOptionalFieldsAbsent) {
    const Call call = make_call(1);
    insert(call);

    const Call found = stored(call.id);
    expect_same(found, call);
    EXPECT_TRUE(found.call_control_id.empty());
    EXPECT_FALSE(found.call_leg_id.has_value());
    EXPECT_FALSE(found.flow.has_value());
    EXPECT_FALSE(found.answered_at.has_value());
    EXPECT_FALSE(found.ended_at.has_value());
}

TEST_P(CallStoreContract, ReadersAreScopedToThePlatformButWebhooksAreNot) {
    const Call call = make_call(1, Platform::kTetrix);
    insert(call);

    auto other = store().find(Platform::kJoromi, call.id);
    ASSERT_TRUE(other) << other.error().message;
    EXPECT_FALSE(other.value().has_value());

    auto listed = store().list_for_session(Platform::kJoromi, call.session_id);
    ASSERT_TRUE(listed) << listed.error().message;
    EXPECT_TRUE(listed.value().empty());

    auto any = store().find_by_id_any_platform(call.id);
    ASSERT_TRUE(any) << any.error().message;
    ASSERT_TRUE(any.value().has_value());
    EXPECT_EQ(any.value()->platform, Platform::kTetrix);

    auto unknown = store().find_by_id_any_platform(call_id(2));
    ASSERT_TRUE(unknown) << unknown.error().message;
    EXPECT_FALSE(unknown.value().has_value());
}

TEST_P(CallStoreContract, InsertingAnExistingIdIsAConflict) {
    insert(make_call(1));
    auto again = store().insert(make_call(1));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
}

TEST_P(CallStoreContract, ControlIdsAreUniqueOnceSetButManyCallsMayHaveNone) {
    insert(make_call(1));
    insert(make_call(2));  // both undialed: no control id yet
    Call dialed = make_call(3);
    dialed.call_control_id = "v3:control-3";
    insert(dialed);

    Call clash = make_call(4);
    clash.call_control_id = "v3:control-3";
    auto inserted = store().insert(clash);
    ASSERT_FALSE(inserted);
    EXPECT_EQ(inserted.error().code, core::ErrorCode::kConflict);
}

TEST_P(CallStoreContract, FindByControlIdFindsOnlyADialedCall) {
    insert(make_call(1));
    Call dialed = make_call(2, Platform::kJoromi);
    dialed.call_control_id = "v3:control-2";
    insert(dialed);

    auto found = store().find_by_control_id("v3:control-2");
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value().has_value());
    EXPECT_EQ(found.value()->id, dialed.id);

    for (const char* missing : {"v3:unknown", ""}) {
        auto none = store().find_by_control_id(missing);
        ASSERT_TRUE(none) << none.error().message;
        EXPECT_FALSE(none.value().has_value()) << "control id '" << missing << "'";
    }
}

TEST_P(CallStoreContract, ListForSessionIsOldestFirstAndOnlyThatSession) {
    for (int n : {30, 10, 20}) insert(make_call(n, Platform::kTetrix, 1));
    insert(make_call(15, Platform::kTetrix, 2));
    insert(make_call(25, Platform::kJoromi, 3));

    auto listed = store().list_for_session(Platform::kTetrix, session_id(1));
    ASSERT_TRUE(listed) << listed.error().message;
    EXPECT_EQ(ids_of(listed.value()), (std::vector<std::string>{call_id(10), call_id(20), call_id(30)}));

    auto empty = store().list_for_session(Platform::kTetrix, session_id(9));
    ASSERT_TRUE(empty) << empty.error().message;
    EXPECT_TRUE(empty.value().empty());
}

// ---- record_dial_result

TEST_P(CallStoreContract, ASuccessfulDialFillsTheCarrierIds) {
    const Call call = make_call(1);
    insert(call);

    auto result = store().record_dial_result(call.id, core::ports::DialedIds{"v3:control-1", "leg-1", "session-1"},
                                             std::nullopt, at(100));
    ASSERT_TRUE(result) << result.error().message;
    Call expected = call;
    expected.call_control_id = "v3:control-1";
    expected.call_leg_id = "leg-1";
    expected.call_session_id = "session-1";
    expected.updated_at = at(100);
    expect_same(result.value(), expected);
    expect_same(stored(call.id), expected);

    auto by_control = store().find_by_control_id("v3:control-1");
    ASSERT_TRUE(by_control) << by_control.error().message;
    ASSERT_TRUE(by_control.value().has_value());
    EXPECT_EQ(by_control.value()->id, call.id);
}

TEST_P(CallStoreContract, ARefusedDialFailsTheCall) {
    const Call call = make_call(1);
    insert(call);

    auto result = store().record_dial_result(call.id, std::nullopt, std::string("invalid destination"), at(100));
    ASSERT_TRUE(result) << result.error().message;
    Call expected = call;
    expected.state = CallState::kFailed;
    expected.failure_reason = "invalid destination";
    expected.ended_at = at(100);
    expected.updated_at = at(100);
    expect_same(result.value(), expected);
    expect_same(stored(call.id), expected);
}

TEST_P(CallStoreContract, ADialResultDoesNotMoveACallAWebhookAlreadyMoved) {
    // The webhook that raced the dial response already taught the call its control id.
    Call learnt = make_call(1);
    insert(learnt);
    CallEvent initiated = make_event("ev-1", "v3:from-webhook", 10, CallEventType::kInitiated);
    auto ingested = ingest(
        initiated,
        [](const Call&, const CallEvent& event) {
            CallChange change;
            change.state = CallState::kRinging;
            change.state_changed = true;
            change.call_control_id = event.call_control_id;
            return change;
        },
        learnt.id, 20);
    ASSERT_TRUE(ingested) << ingested.error().message;
    const Call before = stored(learnt.id);
    ASSERT_EQ(before.state, CallState::kRinging);

    for (const auto& dialed : {std::optional<core::ports::DialedIds>(core::ports::DialedIds{"v3:from-dial", "l", "s"}),
                               std::optional<core::ports::DialedIds>()}) {
        auto result = store().record_dial_result(learnt.id, dialed, std::string("refused"), at(500));
        ASSERT_TRUE(result) << result.error().message;
        expect_same(result.value(), before);
    }
    expect_same(stored(learnt.id), before);

    // Still kInitiated, but a control id already set (the dial result arriving twice).
    Call twice = make_call(2);
    insert(twice);
    ASSERT_TRUE(
        store().record_dial_result(twice.id, core::ports::DialedIds{"v3:first", "l1", "s1"}, std::nullopt, at(100)));
    auto second =
        store().record_dial_result(twice.id, core::ports::DialedIds{"v3:second", "l2", "s2"}, std::nullopt, at(200));
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second.value().call_control_id, "v3:first");
    EXPECT_EQ(second.value().call_leg_id, std::optional<std::string>("l1"));
    EXPECT_EQ(second.value().updated_at, at(100));
}

TEST_P(CallStoreContract, ADialResultForAnUnknownCallIsNotFound) {
    auto result = store().record_dial_result(call_id(1), std::nullopt, std::string("x"), at(1));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, core::ErrorCode::kNotFound);
}

// ---- ingest_event

TEST_P(CallStoreContract, ANewEventAppliesTheDecisionAndIsStoredWithTheStateAfter) {
    Call call = make_call(1);
    call.call_control_id = "v3:control-1";
    insert(call);

    std::optional<Call> seen;
    const CallEvent event = make_event("ev-1", "v3:control-1", 100, CallEventType::kAnswered);
    auto result = ingest(
        event,
        [&](const Call& current, const CallEvent& received) {
            seen = current;
            EXPECT_EQ(received.id, "ev-1");
            CallChange change;
            change.state = CallState::kAnswered;
            change.state_changed = true;
            change.answered_at = received.occurred_at;
            return change;
        },
        std::nullopt, 150);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result.value().status, IngestStatus::kNew);
    EXPECT_TRUE(result.value().state_changed);
    ASSERT_TRUE(seen.has_value());
    expect_same(*seen, call);

    Call expected = call;
    expected.state = CallState::kAnswered;
    expected.answered_at = at(100);
    expected.updated_at = at(150);
    ASSERT_TRUE(result.value().call.has_value());
    expect_same(*result.value().call, expected);
    expect_same(stored(call.id), expected);

    const auto timeline = events(call.id);
    ASSERT_EQ(timeline.size(), 1u);
    EXPECT_EQ(timeline[0].id, "ev-1");
    EXPECT_EQ(timeline[0].call_id, std::optional<std::string>(call.id));
    EXPECT_EQ(timeline[0].event_type, "call.test");
    EXPECT_EQ(timeline[0].occurred_at, at(100));
    EXPECT_EQ(timeline[0].received_at, at(150));
    EXPECT_EQ(timeline[0].state_after, std::optional<CallState>(CallState::kAnswered));
    EXPECT_TRUE(timeline[0].changed_state);
    EXPECT_EQ(timeline[0].payload_json, R"({"data":{"id":"ev-1"}})");
}

TEST_P(CallStoreContract, AnEventThatChangesNothingIsStoredAsSuch) {
    Call call = make_call(1);
    call.call_control_id = "v3:control-1";
    call.state = CallState::kRinging;
    insert(call);

    auto result = ingest(make_event("ev-1", "v3:control-1", 100), unchanged(), std::nullopt, 150);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result.value().status, IngestStatus::kNew);
    EXPECT_FALSE(result.value().state_changed);
    const auto timeline = events(call.id);
    ASSERT_EQ(timeline.size(), 1u);
    EXPECT_EQ(timeline[0].state_after, std::optional<CallState>(CallState::kRinging));
    EXPECT_FALSE(timeline[0].changed_state);
    EXPECT_EQ(stored(call.id).state, CallState::kRinging);
}

TEST_P(CallStoreContract, AProcessedEventDeliveredAgainIsADuplicateAndNotDecidedAgain) {
    Call call = make_call(1);
    call.call_control_id = "v3:control-1";
    insert(call);
    std::atomic<int> decisions{0};
    const CallEvent event = make_event("ev-1", "v3:control-1", 100);

    auto first = ingest(event, counted(decisions, to_state(CallState::kRinging)), std::nullopt, 150);
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_EQ(first.value().status, IngestStatus::kNew);
    auto marked = store().mark_processed("ev-1", at(160));
    ASSERT_TRUE(marked) << marked.error().message;
    const Call before = stored(call.id);

    // Even a decision that would change the call again must not run.
    auto again = ingest(event, counted(decisions, to_state(CallState::kCompleted)), std::nullopt, 300);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again.value().status, IngestStatus::kDuplicate);
    EXPECT_FALSE(again.value().state_changed);
    ASSERT_TRUE(again.value().call.has_value());
    expect_same(*again.value().call, before);
    EXPECT_EQ(decisions.load(), 1);
    expect_same(stored(call.id), before);
    EXPECT_EQ(events(call.id).size(), 1u);
}

TEST_P(CallStoreContract, AnEventWithNoFollowUpsIsStoredProcessedInOneGo) {
    Call call = make_call(1);
    call.call_control_id = "v3:control-1";
    insert(call);
    std::atomic<int> decisions{0};
    const CallEvent event = make_event("ev-1", "v3:control-1", 100);
    auto first = ingest(event, counted(decisions, to_state(CallState::kRinging)), std::nullopt, 150,
                        core::ports::FollowUps::kNone);
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_EQ(first.value().status, IngestStatus::kNew);
    auto again = ingest(event, counted(decisions, to_state(CallState::kCompleted)), std::nullopt, 300);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again.value().status, IngestStatus::kDuplicate) << "no mark_processed was needed";
    EXPECT_EQ(decisions.load(), 1);
}

TEST_P(CallStoreContract, AnUnprocessedEventDeliveredAgainIsUnfinished) {
    Call call = make_call(1);
    call.call_control_id = "v3:control-1";
    insert(call);
    std::atomic<int> decisions{0};
    const CallEvent event = make_event("ev-1", "v3:control-1", 100);

    auto first = ingest(event, counted(decisions, to_state(CallState::kRinging)), std::nullopt, 150);
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_EQ(first.value().status, IngestStatus::kNew);
    const Call before = stored(call.id);

    auto again = ingest(event, counted(decisions, to_state(CallState::kCompleted)), std::nullopt, 300);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again.value().status, IngestStatus::kUnfinished);
    // What the first delivery did, so that the caller can redo the follow-ups that depended on it.
    EXPECT_TRUE(again.value().state_changed);
    ASSERT_TRUE(again.value().call.has_value());
    expect_same(*again.value().call, before);
    EXPECT_EQ(decisions.load(), 1);
    expect_same(stored(call.id), before);
    EXPECT_EQ(events(call.id).size(), 1u);

    // Once confirmed, the next delivery is a plain duplicate.
    ASSERT_TRUE(store().mark_processed("ev-1", at(400)));
    auto third = ingest(event, counted(decisions, unchanged()), std::nullopt, 500);
    ASSERT_TRUE(third) << third.error().message;
    EXPECT_EQ(third.value().status, IngestStatus::kDuplicate);
    EXPECT_EQ(decisions.load(), 1);
}

TEST_P(CallStoreContract, ADecisionThatThrowsLeavesNothingBehind) {
    Call call = make_call(1);
    call.call_control_id = "v3:control-1";
    insert(call);
    const CallEvent event = make_event("ev-1", "v3:control-1", 100);

    auto thrown = ingest(event, [](const Call&, const CallEvent&) -> CallChange { throw std::runtime_error("bug"); });
    ASSERT_FALSE(thrown);
    EXPECT_EQ(thrown.error().code, core::ErrorCode::kInternal);
    EXPECT_TRUE(events(call.id).empty());

    // Not half-stored: the next delivery is new and applied.
    auto retried = ingest(event, to_state(CallState::kRinging));
    ASSERT_TRUE(retried) << retried.error().message;
    EXPECT_EQ(retried.value().status, IngestStatus::kNew);
    EXPECT_EQ(stored(call.id).state, CallState::kRinging);
}

TEST_P(CallStoreContract, MarkProcessedNeedsAStoredEventAndMayBeRepeated) {
    auto unknown = store().mark_processed("ev-missing", at(1));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);

    ASSERT_TRUE(ingest(make_event("ev-1", "", 10), unchanged()));
    auto first = store().mark_processed("ev-1", at(20));
    ASSERT_TRUE(first) << first.error().message;
    auto second = store().mark_processed("ev-1", at(30));
    ASSERT_TRUE(second) << second.error().message;
}

TEST_P(CallStoreContract, AnEventOfNoKnownCallIsStoredWithoutOne) {
    insert(make_call(1));  // undialed: its empty control id must not match an event without one
    std::atomic<int> decisions{0};

    for (const auto& [id, control_id] :
         std::vector<std::pair<std::string, std::string>>{{"ev-unknown", "v3:nobody"}, {"ev-message", ""}}) {
        auto result = ingest(make_event(id, control_id, 10), counted(decisions, unchanged()), call_id(99), 20);
        ASSERT_TRUE(result) << result.error().message;
        EXPECT_EQ(result.value().status, IngestStatus::kNew) << id;
        EXPECT_FALSE(result.value().call.has_value()) << id;
        EXPECT_FALSE(result.value().state_changed) << id;

        // Stored: a second delivery is recognised.
        auto again = ingest(make_event(id, control_id, 10), counted(decisions, unchanged()), std::nullopt, 30);
        ASSERT_TRUE(again) << again.error().message;
        EXPECT_EQ(again.value().status, IngestStatus::kUnfinished) << id;
        EXPECT_FALSE(again.value().call.has_value()) << id;
    }
    EXPECT_EQ(decisions.load(), 0);
    EXPECT_TRUE(events(call_id(1)).empty());
}

TEST_P(CallStoreContract, TheHintBeatsTheControlIdAndAnUnknownHintFallsBackToIt) {
    Call by_control = make_call(1);
    by_control.call_control_id = "v3:control-1";
    insert(by_control);
    const Call by_hint = make_call(2, Platform::kJoromi);
    insert(by_hint);

    std::string decided_for;
    auto record_target = [&](const Call& current, const CallEvent&) {
        decided_for = current.id;
        CallChange change;
        change.state = current.state;
        return change;
    };

    auto hinted = ingest(make_event("ev-1", "v3:control-1", 10), record_target, by_hint.id);
    ASSERT_TRUE(hinted) << hinted.error().message;
    EXPECT_EQ(decided_for, by_hint.id);
    ASSERT_TRUE(hinted.value().call.has_value());
    EXPECT_EQ(hinted.value().call->id, by_hint.id);
    EXPECT_EQ(ids_of(events(by_hint.id)), std::vector<std::string>{"ev-1"});
    EXPECT_TRUE(events(by_control.id).empty());

    auto fallback = ingest(make_event("ev-2", "v3:control-1", 20), record_target, call_id(99));
    ASSERT_TRUE(fallback) << fallback.error().message;
    EXPECT_EQ(decided_for, by_control.id);
    EXPECT_EQ(ids_of(events(by_control.id)), std::vector<std::string>{"ev-2"});
}

TEST_P(CallStoreContract, LearntFactsAreKeptFromTheirFirstEvent) {
    const Call call = make_call(1);
    insert(call);

    // Each event claims to answer and end the call at its own time, and brings its own carrier ids.
    auto claim_everything = [](const Call& current, const CallEvent& event) {
        CallChange change;
        change.state = current.state;
        change.answered_at = event.occurred_at;
        change.ended_at = event.occurred_at;
        change.hangup_cause = "cause-" + event.id;
        change.call_control_id = event.call_control_id;
        change.call_leg_id = "leg-" + event.id;
        change.call_session_id = "session-" + event.id;
        return change;
    };
    ASSERT_TRUE(ingest(make_event("a", "v3:control-a", 100), claim_everything, call.id, 110));
    ASSERT_TRUE(ingest(make_event("b", "v3:control-b", 200), claim_everything, call.id, 210));

    const Call after = stored(call.id);
    EXPECT_EQ(after.answered_at, at(100));
    EXPECT_EQ(after.ended_at, at(100));
    EXPECT_EQ(after.call_control_id, "v3:control-a");
    EXPECT_EQ(after.call_leg_id, std::optional<std::string>("leg-a"));
    EXPECT_EQ(after.call_session_id, std::optional<std::string>("session-a"));
    // The hang-up details are the decision's to make: the last one it gave is stored.
    EXPECT_EQ(after.hangup_cause, std::optional<std::string>("cause-b"));
    EXPECT_EQ(after.updated_at, at(210));
}

TEST_P(CallStoreContract, ARecordingIsStoredAndMarksTheCallAndItsSession) {
    core::Session session;
    session.id = session_id(1);
    session.platform = Platform::kTetrix;
    session.start_time = at(0);
    session.created_by_key = "key_01JTESTKEY0000000000000000";
    ASSERT_TRUE(backend().sessions().insert(session));
    core::Session other = session;
    other.id = session_id(2);
    ASSERT_TRUE(backend().sessions().insert(other));

    Call call = make_call(1, Platform::kTetrix, 1);
    call.call_control_id = "v3:control-1";
    insert(call);

    CallEvent event = make_event("ev-rec", "v3:control-1", 300, CallEventType::kRecordingSaved);
    event.recording =
        core::CallRecording{"https://example.test/r.mp3", "https://example.test/r.wav", at(100), at(290), "dual"};
    auto result = ingest(event, unchanged(), std::nullopt, 310);
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_TRUE(result.value().call.has_value());
    EXPECT_TRUE(result.value().call->has_recording);
    EXPECT_TRUE(stored(call.id).has_recording);

    auto recordings = store().recordings_for_call(call.id);
    ASSERT_TRUE(recordings) << recordings.error().message;
    ASSERT_EQ(recordings.value().size(), 1u);
    const auto& saved = recordings.value()[0];
    EXPECT_EQ(saved.event_id, "ev-rec");
    EXPECT_EQ(saved.call_id, call.id);
    EXPECT_EQ(saved.recording.mp3_url, std::optional<std::string>("https://example.test/r.mp3"));
    EXPECT_EQ(saved.recording.wav_url, std::optional<std::string>("https://example.test/r.wav"));
    EXPECT_EQ(saved.recording.started_at, at(100));
    EXPECT_EQ(saved.recording.ended_at, at(290));
    EXPECT_EQ(saved.recording.channels, std::optional<std::string>("dual"));
    EXPECT_EQ(saved.created_at, at(310));
    EXPECT_FALSE(saved.archived_as.has_value());

    auto found = store().find_recording("ev-rec");
    ASSERT_TRUE(found && found.value());
    EXPECT_EQ(found.value()->call_id, call.id);
    EXPECT_EQ(found.value()->recording.channels, std::optional<std::string>("dual"));
    ASSERT_TRUE(store().mark_recording_archived("ev-rec", "recordings/c/ev-rec.wav"));
    found = store().find_recording("ev-rec");
    ASSERT_TRUE(found && found.value());
    EXPECT_EQ(found.value()->archived_as, std::optional<std::string>("recordings/c/ev-rec.wav"));
    auto missing = store().find_recording("ev-none");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing.value().has_value());

    auto marked = backend().sessions().find(Platform::kTetrix, session.id);
    ASSERT_TRUE(marked && marked.value());
    EXPECT_TRUE(marked.value()->has_recording);
    auto untouched = backend().sessions().find(Platform::kTetrix, other.id);
    ASSERT_TRUE(untouched && untouched.value());
    EXPECT_FALSE(untouched.value()->has_recording);
}

TEST_P(CallStoreContract, ACallWithoutRecordingsHasNone) {
    const Call call = make_call(1);
    insert(call);
    ASSERT_TRUE(ingest(make_event("ev-1", "", 10), unchanged(), call.id));
    auto recordings = store().recordings_for_call(call.id);
    ASSERT_TRUE(recordings) << recordings.error().message;
    EXPECT_TRUE(recordings.value().empty());
    EXPECT_FALSE(stored(call.id).has_recording);
}

TEST_P(CallStoreContract, EventsAreListedInTheOrderTheyHappenedThenArrived) {
    const Call call = make_call(1);
    insert(call);
    const Call other = make_call(2);
    insert(other);

    // Arrival order (received_at): e1, e2, e3, e4, e5; occurred_at out of order; e4 and e5 tie on both times.
    ASSERT_TRUE(ingest(make_event("e1", "", 300), unchanged(), call.id, 10));
    ASSERT_TRUE(ingest(make_event("e2", "", 100), unchanged(), call.id, 20));
    ASSERT_TRUE(ingest(make_event("e3", "", 200), unchanged(), call.id, 30));
    ASSERT_TRUE(ingest(make_event("e4", "", 100), unchanged(), call.id, 15));
    ASSERT_TRUE(ingest(make_event("e5", "", 100), unchanged(), call.id, 15));
    ASSERT_TRUE(ingest(make_event("x1", "", 150), unchanged(), other.id, 40));

    EXPECT_EQ(ids_of(events(call.id)), (std::vector<std::string>{"e4", "e5", "e2", "e3", "e1"}));
    EXPECT_EQ(ids_of(events(other.id)), std::vector<std::string>{"x1"});
    EXPECT_TRUE(events(call_id(99)).empty());
}

// ---- concurrency

TEST_P(CallStoreContract, ConcurrentEventsOfOneCallNeverLoseAnUpdate) {
    Call call = make_call(1);
    call.call_control_id = "v3:control-1";
    call.hangup_cause = "0";
    insert(call);

    // A read-modify-write decision: it counts the events applied so far in hangup_cause. Two decisions that saw
    // the same count would leave the total short.
    auto count = [](const Call& current, const CallEvent&) {
        CallChange change;
        change.state = current.state;
        change.hangup_cause = std::to_string(std::stoi(current.hangup_cause.value_or("0")) + 1);
        return change;
    };

    constexpr int kThreads = 6;
    constexpr int kPerThread = 10;
    std::atomic<int> failures{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            for (int i = 0; i < kPerThread; ++i) {
                const std::string id = "ev-" + std::to_string(t) + "-" + std::to_string(i);
                auto result = ingest(make_event(id, "v3:control-1", t * 100 + i), count, std::nullopt, i);
                if (!result || result.value().status != IngestStatus::kNew) ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(stored(call.id).hangup_cause, std::optional<std::string>(std::to_string(kThreads * kPerThread)));
    EXPECT_EQ(events(call.id).size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST_P(CallStoreContract, ConcurrentDeliveriesOfOneEventApplyItOnce) {
    Call call = make_call(1);
    call.call_control_id = "v3:control-1";
    insert(call);

    constexpr int kThreads = 8;
    std::atomic<int> decisions{0};
    std::atomic<int> fresh{0};
    std::atomic<int> unfinished{0};
    std::atomic<int> failures{0};
    const DecideChange decide = counted(decisions, to_state(CallState::kRinging));
    const CallEvent event = make_event("ev-once", "v3:control-1", 100);
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            auto result = ingest(event, decide, std::nullopt, t);
            if (!result) {
                ++failures;
                return;
            }
            if (result.value().status == IngestStatus::kNew) ++fresh;
            if (result.value().status == IngestStatus::kUnfinished) ++unfinished;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(decisions.load(), 1);
    EXPECT_EQ(fresh.load(), 1);
    EXPECT_EQ(unfinished.load(), kThreads - 1);
    EXPECT_EQ(events(call.id).size(), 1u);
    EXPECT_EQ(stored(call.id).state, CallState::kRinging);
}

INSTANTIATE_TEST_SUITE_P(Adapters, CallStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
