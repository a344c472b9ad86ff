#include "services/call_service.hpp"

#include <gtest/gtest.h>

#include "core/client_state.hpp"
#include "core/ids.hpp"
#include "infra/memory_rate_limiter.hpp"
#include "infra/sodium_crypto.hpp"
#include "language/phone_number_checker.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "support/fake_carrier.hpp"
#include "support/fake_clock.hpp"
#include "support/test_database.hpp"

namespace crossvoice::services {
namespace {

std::string detail(const core::Error& error, std::string_view key) {
    for (const auto& [name, value] : error.details) {
        if (name == key) return value;
    }
    return "<absent>";
}

class CallServiceTest : public ::testing::Test {
  protected:
    CallSettings settings() {
        CallSettings s;
        s.default_from = "+12025550100";
        s.connection_id = "conn-1";
        s.webhook_url = "https://hooks.example.com/api/voice/webhook";
        s.dial_limit = 3;
        s.dial_window = std::chrono::seconds{60};
        return s;
    }
    InitiateCall to(std::string number) {
        InitiateCall input;
        input.to = std::move(number);
        return input;
    }

    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore session_store_{*db_};
    storage::SqliteCallStore call_store_{*db_};
    infra::SodiumCrypto crypto_;
    testing::FakeClock clock_;
    IdGenerator ids_{clock_, crypto_};
    SessionService sessions_{session_store_, clock_, ids_};
    testing::FakeCarrier carrier_;
    infra::MemoryRateLimiter limiter_{clock_};
    language::PhoneNumberChecker numbers_;
    storage::SqliteJobQueue queue_{*db_};
    JobRunner jobs_{queue_, clock_, ids_, crypto_};
    VoiceMetrics metrics_;
    CallService calls_{settings(), call_store_, sessions_, carrier_, limiter_, numbers_, clock_, ids_, jobs_, metrics_};
    core::Principal tetrix_{core::Platform::kTetrix, "key_a"};
    core::Principal joromi_{core::Platform::kJoromi, "key_b"};
};

TEST_F(CallServiceTest, DialsWithTheOriginalDefaultsAndOpensAVoiceSession) {
    auto placed = calls_.initiate(tetrix_, to("+14155550123"));
    ASSERT_TRUE(placed.ok()) << placed.error().message;
    EXPECT_EQ(placed->call.state, core::CallState::kInitiated);
    EXPECT_EQ(placed->call.call_control_id, "v3:fake-1");
    EXPECT_EQ(placed->session.channel, core::Channel::kVoice);
    EXPECT_EQ(placed->session.phone_number, std::optional<std::string>("+14155550123"));
    EXPECT_TRUE(placed->call.transcription_enabled);

    const auto dials = carrier_.dials();
    ASSERT_EQ(dials.size(), 1U);
    const auto& dial = dials[0];
    EXPECT_EQ(dial.to, "+14155550123");
    EXPECT_EQ(dial.from, "+12025550100");
    EXPECT_EQ(dial.connection_id, "conn-1");
    EXPECT_EQ(dial.webhook_url, "https://hooks.example.com/api/voice/webhook");
    EXPECT_EQ(dial.timeout_secs, std::optional<int>(30));
    EXPECT_EQ(dial.time_limit_secs, std::optional<int>(300));
    EXPECT_TRUE(dial.record);
    EXPECT_EQ(dial.command_id, placed->call.id);
    const auto state = core::decode_client_state(dial.client_state);
    ASSERT_TRUE(state.has_value());
    EXPECT_EQ(state->call_id, placed->call.id);
    EXPECT_EQ(state->session_id, placed->session.id);
    EXPECT_EQ(state->platform, core::Platform::kTetrix);
}

TEST_F(CallServiceTest, JoinsAGivenSessionAndHonoursOverrides) {
    auto session = sessions_.open(tetrix_, {"chat", {}, {}, "{}"});
    ASSERT_TRUE(session.ok());
    auto input = to("+442071838750");
    input.session_id = session->id;
    input.from = "+13125550142";
    input.webhook_url = "https://other.example.com/hook";
    input.record = false;
    input.timeout_secs = 45;
    input.max_duration_secs = 900;
    auto placed = calls_.initiate(tetrix_, input);
    ASSERT_TRUE(placed.ok()) << placed.error().message;
    EXPECT_EQ(placed->call.session_id, session->id);
    EXPECT_FALSE(placed->call.transcription_enabled);  // nothing recorded, nothing to transcribe
    const auto dial = carrier_.dials().at(0);
    EXPECT_EQ(dial.from, "+13125550142");
    EXPECT_EQ(dial.webhook_url, "https://other.example.com/hook");
    EXPECT_FALSE(dial.record);
    EXPECT_EQ(dial.timeout_secs, std::optional<int>(45));
    EXPECT_EQ(dial.time_limit_secs, std::optional<int>(900));
    auto listed = calls_.list_for_session(tetrix_, session->id);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 1U);
}

TEST_F(CallServiceTest, BadInputNamesTheFieldAndChangesNothing) {
    auto field_of = [&](InitiateCall input) {
        auto result = calls_.initiate(tetrix_, std::move(input));
        EXPECT_FALSE(result.ok());
        if (result.ok()) return std::string("<accepted>");
        EXPECT_EQ(result.error().code, core::ErrorCode::kValidation) << result.error().message;
        return detail(result.error(), "field");
    };
    EXPECT_EQ(field_of(to("4155550123")), "to");
    EXPECT_EQ(field_of(to("+1415555012")), "to");  // too short for the North American plan
    EXPECT_EQ(field_of(to("+999123456")), "to");   // no such country code
    auto bad_from = to("+14155550123");
    bad_from.from = "+44";
    EXPECT_EQ(field_of(bad_from), "from");
    auto same = to("+12025550100");
    EXPECT_EQ(field_of(same), "to");
    auto hook = to("+14155550123");
    hook.webhook_url = "ftp://example.com";
    EXPECT_EQ(field_of(hook), "webhookUrl");
    auto language = to("+14155550123");
    language.language = "english please";
    EXPECT_EQ(field_of(language), "language");
    auto timeout = to("+14155550123");
    timeout.timeout_secs = 4;
    EXPECT_EQ(field_of(timeout), "timeout");
    auto duration = to("+14155550123");
    duration.max_duration_secs = 14'401;
    EXPECT_EQ(field_of(duration), "maxDuration");
    auto flow = to("+14155550123");
    flow.flow = "../etc";
    EXPECT_EQ(field_of(flow), "flow");
    auto transcribe = to("+14155550123");
    transcribe.record = false;
    transcribe.transcription = true;
    EXPECT_EQ(field_of(transcribe), "transcriptionEnabled");

    EXPECT_TRUE(carrier_.dials().empty());
    auto sessions = sessions_.list(tetrix_, {});
    ASSERT_TRUE(sessions.ok());
    EXPECT_TRUE(sessions->sessions.empty());
}

TEST_F(CallServiceTest, AnotherPlatformsOrAnEndedSessionIsRefused) {
    auto theirs = sessions_.open(joromi_, {"voice", {}, {}, "{}"});
    ASSERT_TRUE(theirs.ok());
    auto input = to("+14155550123");
    input.session_id = theirs->id;
    auto refused = calls_.initiate(tetrix_, input);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kNotFound);

    auto mine = sessions_.open(tetrix_, {"voice", {}, {}, "{}"});
    ASSERT_TRUE(mine.ok());
    ASSERT_TRUE(sessions_.end(tetrix_, mine->id).ok());
    input.session_id = mine->id;
    auto ended = calls_.initiate(tetrix_, input);
    ASSERT_FALSE(ended.ok());
    EXPECT_EQ(ended.error().code, core::ErrorCode::kConflict);
    EXPECT_TRUE(carrier_.dials().empty());
}

TEST_F(CallServiceTest, TheDialRateLimitIsPerPlatformAndSaysWhenToRetry) {
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(calls_.initiate(tetrix_, to("+14155550123")).ok());
    auto refused = calls_.initiate(tetrix_, to("+14155550123"));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kRateLimited);
    EXPECT_EQ(detail(refused.error(), "retry_after_seconds"), "60");
    EXPECT_EQ(carrier_.dials().size(), 3U);
    EXPECT_EQ(metrics_.dials_placed.value(), 3U);
    EXPECT_EQ(metrics_.dials_rate_limited.value(), 1U);
    EXPECT_TRUE(calls_.initiate(joromi_, to("+14155550123")).ok()) << "the other platform has its own budget";
    clock_.advance_ms(60'001);
    EXPECT_TRUE(calls_.initiate(tetrix_, to("+14155550123")).ok());
}

TEST_F(CallServiceTest, ACarrierRefusalKeepsTheVendorDetailAndStoresAFailedCall) {
    carrier_.dial_error = core::Error{core::ErrorCode::kVendor,
                                      "Telnyx 422: Invalid value for to",
                                      {{"vendor_status", "422"}, {"vendor_code", "10015"}}};
    auto refused = calls_.initiate(tetrix_, to("+14155550123"));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kVendor);
    EXPECT_EQ(detail(refused.error(), "vendor_code"), "10015");
    const auto call_id = detail(refused.error(), "callId");
    ASSERT_TRUE(core::is_valid_id(core::kCallIdPrefix, call_id));
    auto stored = calls_.get(tetrix_, call_id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->call.state, core::CallState::kFailed);
    EXPECT_EQ(stored->call.failure_reason, std::optional<std::string>("Telnyx 422: Invalid value for to"));
    EXPECT_TRUE(stored->call.ended_at.has_value());
}

TEST_F(CallServiceTest, CallsArePlatformScoped) {
    auto placed = calls_.initiate(tetrix_, to("+14155550123"));
    ASSERT_TRUE(placed.ok());
    EXPECT_TRUE(calls_.get(tetrix_, placed->call.id).ok());
    auto hidden = calls_.get(joromi_, placed->call.id);
    ASSERT_FALSE(hidden.ok());
    EXPECT_EQ(hidden.error().code, core::ErrorCode::kNotFound);
    auto not_theirs = calls_.hangup(joromi_, placed->call.id);
    ASSERT_FALSE(not_theirs.ok());
    EXPECT_EQ(not_theirs.error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(carrier_.commands().empty());
    EXPECT_EQ(calls_.get(tetrix_, "call_nonsense").error().code, core::ErrorCode::kNotFound);
}

TEST_F(CallServiceTest, HangupAsksTheCarrierOnceTheCallExists) {
    auto placed = calls_.initiate(tetrix_, to("+14155550123"));
    ASSERT_TRUE(placed.ok());
    auto hung = calls_.hangup(tetrix_, placed->call.id);
    ASSERT_TRUE(hung.ok()) << hung.error().message;
    const auto commands = carrier_.commands();
    ASSERT_EQ(commands.size(), 1U);
    EXPECT_EQ(commands[0], std::make_pair(std::string("v3:fake-1"), std::string("hangup")));

    carrier_.dial_error = core::Error{core::ErrorCode::kVendor, "refused", {}};
    auto failed = calls_.initiate(tetrix_, to("+14155550123"));
    ASSERT_FALSE(failed.ok());
    auto ended = calls_.hangup(tetrix_, detail(failed.error(), "callId"));
    ASSERT_TRUE(ended.ok()) << "an ended call is returned as it is";
    EXPECT_EQ(ended->state, core::CallState::kFailed);
    EXPECT_EQ(carrier_.commands().size(), 1U);
}

}  // namespace
}  // namespace crossvoice::services
