#include "services/call_event_service.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/client_state.hpp"
#include "infra/sodium_crypto.hpp"
#include "services/session_service.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "support/fake_clock.hpp"
#include "support/test_database.hpp"

namespace crossvoice::services {
namespace {

using core::CallEvent;
using core::CallEventType;
using core::CallState;

// Hands the service a prepared event, or refuses like a bad signature would.
class ScriptedWebhooks final : public core::ports::CarrierWebhooks {
  public:
    std::optional<CallEvent> next;
    core::Result<CallEvent> read(const core::ports::SignedDelivery&) const override {
        if (!next) return core::Error::unauthorized("signature does not verify");
        return *next;
    }
    core::Status verify(const core::ports::SignedDelivery&) const override {
        if (!next) return core::Error::unauthorized("signature does not verify");
        return {};
    }
};

class CallEventServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto session = sessions_.open({core::Platform::kTetrix, "key"}, {"voice", {}, {}, "{}"});
        ASSERT_TRUE(session.ok());
        call_.id = ids_.next(core::kCallIdPrefix);
        call_.platform = core::Platform::kTetrix;
        call_.session_id = session->id;
        call_.from = "+12025550100";
        call_.to = "+14155550123";
        call_.created_at = call_.updated_at = clock_.now();
        ASSERT_TRUE(calls_.insert(call_).ok());
    }

    CallEvent event(std::string id, CallEventType type, std::int64_t at_ms) {
        CallEvent e;
        e.id = std::move(id);
        e.type = type;
        e.event_type = "call." + std::string(core::to_string(type));
        e.occurred_at = core::from_unix_ms(at_ms);
        e.call_control_id = "v3:ctl";
        e.call_leg_id = "leg";
        e.call_session_id = "cs";
        e.client_state = core::encode_client_state({call_.platform, call_.session_id, call_.id});
        return e;
    }

    core::Result<WebhookOutcome> deliver(CallEvent e) {
        webhooks_.next = std::move(e);
        return service_.receive({"sig", "ts", "{}"});
    }

    CallState state_now() {
        auto found = calls_.find(core::Platform::kTetrix, call_.id);
        EXPECT_TRUE(found.ok() && found.value());
        return found.value()->state;
    }

    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore session_store_{*db_};
    storage::SqliteCallStore calls_{*db_};
    storage::SqliteJobQueue queue_{*db_};
    infra::SodiumCrypto crypto_;
    testing::FakeClock clock_;
    IdGenerator ids_{clock_, crypto_};
    SessionService sessions_{session_store_, clock_, ids_};
    JobRunner jobs_{queue_, clock_, ids_, crypto_};
    ScriptedWebhooks webhooks_;
    VoiceMetrics metrics_;
    CallEventService service_{webhooks_, calls_, jobs_, clock_, metrics_};
    core::Call call_;
};

TEST_F(CallEventServiceTest, ARefusedSignatureStoresNothing) {
    auto refused = service_.receive({std::nullopt, std::nullopt, "{}"});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kUnauthorized);
    EXPECT_EQ(metrics_.webhooks_unauthorized.value(), 1U);
    auto events = calls_.events_for_call(call_.id);
    ASSERT_TRUE(events.ok());
    EXPECT_TRUE(events->empty());
}

TEST_F(CallEventServiceTest, EventsAdvanceTheCallAndTheFirstOneTeachesItsIds) {
    auto ringing = deliver(event("e1", CallEventType::kInitiated, 1000));
    ASSERT_TRUE(ringing.ok()) << ringing.error().message;
    EXPECT_EQ(ringing->call_id, std::optional<std::string>(call_.id));
    EXPECT_EQ(ringing->state, std::optional<CallState>(CallState::kRinging));
    auto found = calls_.find(core::Platform::kTetrix, call_.id);
    ASSERT_TRUE(found.ok() && found.value());
    EXPECT_EQ(found.value()->call_control_id, "v3:ctl");

    ASSERT_TRUE(deliver(event("e2", CallEventType::kAnswered, 2000)).ok());
    auto hangup = event("e3", CallEventType::kHangup, 9000);
    hangup.hangup_cause = "normal_clearing";
    hangup.hangup_source = "callee";
    ASSERT_TRUE(deliver(hangup).ok());
    found = calls_.find(core::Platform::kTetrix, call_.id);
    ASSERT_TRUE(found.ok() && found.value());
    EXPECT_EQ(found.value()->state, CallState::kCompleted);
    EXPECT_EQ(found.value()->answered_at, std::optional<core::TimePoint>(core::from_unix_ms(2000)));
    EXPECT_EQ(found.value()->ended_at, std::optional<core::TimePoint>(core::from_unix_ms(9000)));
    EXPECT_EQ(found.value()->hangup_source, std::optional<std::string>("callee"));
}

TEST_F(CallEventServiceTest, DuplicatesAreAcknowledgedAndNotReapplied) {
    ASSERT_TRUE(deliver(event("e1", CallEventType::kInitiated, 1000)).ok());
    auto again = deliver(event("e1", CallEventType::kInitiated, 1000));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->duplicate);
    EXPECT_EQ(metrics_.webhooks_new.value(), 1U);
    EXPECT_EQ(metrics_.webhooks_duplicate.value(), 1U);
    EXPECT_EQ(metrics_.calls_reaching[static_cast<std::size_t>(CallState::kRinging)].value(), 1U) << "counted once";
    auto events = calls_.events_for_call(call_.id);
    ASSERT_TRUE(events.ok());
    EXPECT_EQ(events->size(), 1U);
}

TEST_F(CallEventServiceTest, ALateAnswerNeverRevivesAHungUpCall) {
    auto hangup = event("e3", CallEventType::kHangup, 9000);
    hangup.hangup_cause = "originator_cancel";
    ASSERT_TRUE(deliver(hangup).ok());
    ASSERT_TRUE(deliver(event("e2", CallEventType::kAnswered, 2000)).ok());
    ASSERT_TRUE(deliver(event("e1", CallEventType::kInitiated, 1000)).ok());
    EXPECT_EQ(state_now(), CallState::kCanceled);
    // Only the change the hang-up made is counted: the late events changed nothing.
    EXPECT_EQ(metrics_.calls_reaching[static_cast<std::size_t>(CallState::kCanceled)].value(), 1U);
    EXPECT_EQ(metrics_.calls_reaching[static_cast<std::size_t>(CallState::kAnswered)].value(), 0U);
    EXPECT_EQ(metrics_.calls_reaching[static_cast<std::size_t>(CallState::kRinging)].value(), 0U);
    auto events = calls_.events_for_call(call_.id);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 3U);
    EXPECT_EQ(events->front().id, "e1") << "the timeline is in the order things happened";
}

TEST_F(CallEventServiceTest, AnotherLegCarryingOurStateDoesNotMoveThisCall) {
    ASSERT_TRUE(deliver(event("e1", CallEventType::kInitiated, 1000)).ok());
    ASSERT_TRUE(deliver(event("e2", CallEventType::kAnswered, 2000)).ok());
    auto other = event("e3", CallEventType::kHangup, 3000);
    other.call_control_id = "v3:transfer-target";
    other.hangup_cause = "user_busy";
    ASSERT_TRUE(deliver(other).ok());
    EXPECT_EQ(state_now(), CallState::kAnswered);
}

TEST_F(CallEventServiceTest, ASavedRecordingQueuesOneFetchJob) {
    ASSERT_TRUE(deliver(event("e1", CallEventType::kInitiated, 1000)).ok());
    auto saved = event("rec1", CallEventType::kRecordingSaved, 5000);
    saved.recording = core::CallRecording{std::nullopt, "http://127.0.0.1:9/r.wav", std::nullopt, std::nullopt, "dual"};
    ASSERT_TRUE(deliver(saved).ok());
    ASSERT_TRUE(deliver(saved).ok());  // redelivered: still one job
    auto claimed = queue_.claim({std::string(kRecordingFetchJob)}, clock_.now(), std::chrono::seconds{10});
    ASSERT_TRUE(claimed.ok() && claimed.value());
    const auto payload = nlohmann::json::parse(claimed.value()->payload_json);
    EXPECT_EQ(payload["callId"], call_.id);
    EXPECT_EQ(payload["wavUrl"], "http://127.0.0.1:9/r.wav");
    EXPECT_EQ(payload["transcribe"], true);
    auto second = queue_.claim({std::string(kRecordingFetchJob)}, clock_.now(), std::chrono::seconds{10});
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(second.value().has_value());
    auto found = calls_.find(core::Platform::kTetrix, call_.id);
    ASSERT_TRUE(found.ok() && found.value());
    EXPECT_TRUE(found.value()->has_recording);
    auto session = session_store_.find(core::Platform::kTetrix, call_.session_id);
    ASSERT_TRUE(session.ok() && session.value());
    EXPECT_TRUE(session.value()->has_recording);
}

TEST_F(CallEventServiceTest, AnEventLeftUnfinishedByACrashGetsItsFollowUpsOnRedelivery) {
    auto saved = event("rec2", CallEventType::kRecordingSaved, 5000);
    saved.recording = core::CallRecording{std::nullopt, "http://127.0.0.1:9/r.wav", std::nullopt, std::nullopt, "dual"};
    // The first delivery stored and applied the event, then the process died before queueing its job.
    auto stored =
        calls_.ingest_event(saved, call_.id, "{}", clock_.now(), decide_call_change, core::ports::FollowUps::kPending);
    ASSERT_TRUE(stored.ok());
    auto redelivered = deliver(saved);
    ASSERT_TRUE(redelivered.ok()) << redelivered.error().message;
    EXPECT_TRUE(redelivered->duplicate) << "the event was applied once, by the first delivery";
    auto claimed = queue_.claim({std::string(kRecordingFetchJob)}, clock_.now(), std::chrono::seconds{10});
    ASSERT_TRUE(claimed.ok() && claimed.value()) << "the missing follow-up was done";
    auto third = deliver(saved);
    ASSERT_TRUE(third.ok());
    EXPECT_TRUE(third->duplicate);
}

TEST_F(CallEventServiceTest, EventsOfNoKnownCallAreStoredAndAcknowledged) {
    auto message = event("m1", CallEventType::kMessage, 1000);
    message.event_type = "message.received";
    message.call_control_id.clear();
    message.client_state.reset();
    auto outcome = deliver(message);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_FALSE(outcome->duplicate);
    EXPECT_FALSE(outcome->call_id.has_value());
    auto again = deliver(message);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->duplicate);
}

TEST(DecideCallChangeTest, OnlyATransitionSetsTimes) {
    core::Call call;
    call.state = CallState::kAnswered;
    call.call_control_id = "v3:a";
    CallEvent answered;
    answered.type = CallEventType::kAnswered;
    answered.call_control_id = "v3:a";
    auto change = decide_call_change(call, answered);
    EXPECT_FALSE(change.state_changed);
    EXPECT_FALSE(change.answered_at.has_value());
    EXPECT_FALSE(change.call_control_id.has_value());
}

}  // namespace
}  // namespace crossvoice::services
