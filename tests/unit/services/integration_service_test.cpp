#include "services/integration_service.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/ids.hpp"
#include "infra/memory_rate_limiter.hpp"
#include "infra/sodium_crypto.hpp"
#include "language/phone_number_checker.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "storage/sqlite/sqlite_transcript_store.hpp"
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

// The integration use-case over the real SQLite stores and the real call use-case (with a fake carrier); the
// messaging channels are covered end to end in tests/integration/integration_endpoints_test.cpp.
class IntegrationServiceTest : public ::testing::Test {
  protected:
    CallSettings settings() {
        CallSettings s;
        s.default_from = "+12025550100";
        s.connection_id = "conn-1";
        s.webhook_url = "https://hooks.example.com/api/voice/webhook";
        return s;
    }

    core::Session open(const core::Principal& who, std::string channel = "sms") {
        auto session = sessions_.open(who, {std::move(channel), "+14155550123", std::nullopt, "{}"});
        EXPECT_TRUE(session.ok());
        clock_.advance_ms(10);
        return session.ok() ? *session : core::Session{};
    }

    core::TimelineMessage event(const std::string& session, std::string text) {
        core::TimelineMessage message;
        message.id = ids_.next(core::kMessageIdPrefix);
        message.session_id = session;
        message.platform = core::Platform::kTetrix;
        message.channel = core::Channel::kChat;
        message.author = core::MessageAuthor::kSystem;
        message.type = core::MessageType::kEvent;
        message.content = std::move(text);
        message.created_at = clock_.now();
        clock_.advance_ms(10);
        return message;
    }

    IntegrationInitiate voice(std::string to) {
        IntegrationInitiate input;
        input.to = std::move(to);
        input.channel = "voice";
        return input;
    }

    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore session_store_{*db_};
    storage::SqliteCallStore call_store_{*db_};
    storage::SqliteTranscriptStore timeline_{*db_};
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
    IntegrationService integration_{{sessions_, call_store_, timeline_, &calls_, nullptr}};
    core::Principal tetrix_{core::Platform::kTetrix, "key_a"};
    core::Principal joromi_{core::Platform::kJoromi, "key_b"};
};

TEST_F(IntegrationServiceTest, ListsOnlyThePlatformsSessionsNewestFirstWithFiltersAndCursor) {
    const auto first = open(tetrix_, "sms");
    const auto second = open(tetrix_, "voice");
    const auto third = open(tetrix_, "sms");
    open(joromi_, "sms");
    ASSERT_TRUE(sessions_.end(tetrix_, third.id).ok());

    SessionFilter filter;
    filter.limit = 2;
    auto page = integration_.list(tetrix_, filter);
    ASSERT_TRUE(page.ok()) << page.error().message;
    ASSERT_EQ(page->sessions.size(), 2u);
    EXPECT_EQ(page->sessions[0].id, third.id);
    EXPECT_EQ(page->sessions[1].id, second.id);
    ASSERT_TRUE(page->next_cursor);
    filter.cursor = page->next_cursor;
    auto next = integration_.list(tetrix_, filter);
    ASSERT_TRUE(next.ok());
    ASSERT_EQ(next->sessions.size(), 1u);
    EXPECT_EQ(next->sessions[0].id, first.id);
    EXPECT_FALSE(next->next_cursor);

    SessionFilter active_sms;
    active_sms.limit = 20;
    active_sms.status = "active";
    active_sms.channel = "sms";
    auto filtered = integration_.list(tetrix_, active_sms);
    ASSERT_TRUE(filtered.ok());
    ASSERT_EQ(filtered->sessions.size(), 1u);
    EXPECT_EQ(filtered->sessions[0].id, first.id);
}

TEST_F(IntegrationServiceTest, ListValidationNamesTheParameter) {
    auto field_of = [&](SessionFilter filter) {
        auto page = integration_.list(tetrix_, filter);
        EXPECT_FALSE(page.ok());
        return page.ok() ? std::string() : detail(page.error(), "field");
    };
    SessionFilter filter;
    filter.limit = 0;
    EXPECT_EQ(field_of(filter), "limit");
    filter.limit = 101;
    EXPECT_EQ(field_of(filter), "limit");
    filter.limit = 20;
    filter.status = "paused";
    EXPECT_EQ(field_of(filter), "status");
    filter.status.reset();
    filter.channel = "fax";
    EXPECT_EQ(field_of(filter), "channel");
    filter.channel.reset();
    filter.cursor = "not-a-cursor";
    EXPECT_EQ(field_of(filter), "cursor");
}

TEST_F(IntegrationServiceTest, DetailHasTheCallsAndTheNewestMessagesOldestFirst) {
    InitiateCall dial;
    dial.to = "+14155550123";
    auto placed = calls_.initiate(tetrix_, dial);
    ASSERT_TRUE(placed.ok()) << placed.error().message;
    const auto& session = placed->session;
    // Timeline entries through the store's own writer: a hand-off link event each.
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(session_store_
                        .link(core::Platform::kTetrix, session.id, event(session.id, "event " + std::to_string(i)),
                              clock_.now())
                        .ok());
    }
    auto found = integration_.detail(tetrix_, session.id, 3);
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_EQ(found->session.id, session.id);
    ASSERT_EQ(found->calls.size(), 1u);
    EXPECT_EQ(found->calls[0].id, placed->call.id);
    ASSERT_EQ(found->recent_messages.size(), 3u);
    EXPECT_EQ(found->recent_messages[0].content, "event 2");
    EXPECT_EQ(found->recent_messages[2].content, "event 4");

    auto none = integration_.detail(tetrix_, session.id, 0);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->recent_messages.empty());
    auto too_many = integration_.detail(tetrix_, session.id, 201);
    ASSERT_FALSE(too_many.ok());
    EXPECT_EQ(detail(too_many.error(), "field"), "messages");
}

TEST_F(IntegrationServiceTest, AnotherPlatformsSessionIsNotFoundUntilItIsLinked) {
    const auto session = open(tetrix_);
    auto hidden = integration_.detail(joromi_, session.id);
    ASSERT_FALSE(hidden.ok());
    EXPECT_EQ(hidden.error().code, core::ErrorCode::kNotFound);
    auto unknown = integration_.detail(joromi_, "ses_unknown");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
    SessionFilter filter;
    filter.limit = 20;
    EXPECT_TRUE(integration_.list(joromi_, filter)->sessions.empty());

    ASSERT_TRUE(
        session_store_.link(core::Platform::kJoromi, session.id, event(session.id, "continued on joromi"), clock_.now())
            .ok());
    auto visible = integration_.detail(joromi_, session.id);
    ASSERT_TRUE(visible.ok()) << visible.error().message;
    EXPECT_EQ(visible->session.platform, core::Platform::kTetrix);
    ASSERT_EQ(visible->recent_messages.size(), 1u);  // the timeline is the session's own, shared
    EXPECT_EQ(visible->recent_messages[0].content, "continued on joromi");
    auto listed = integration_.list(joromi_, filter);
    ASSERT_EQ(listed->sessions.size(), 1u);
    EXPECT_EQ(listed->sessions[0].id, session.id);
    EXPECT_TRUE(integration_.detail(tetrix_, session.id).ok());  // and still its own platform's
}

TEST_F(IntegrationServiceTest, StatusEndsOnceRefusesReopeningAndUnknownValues) {
    const auto session = open(tetrix_);
    auto same = integration_.set_status(tetrix_, session.id, "active");
    ASSERT_TRUE(same.ok());
    EXPECT_FALSE(same->changed);

    auto ended = integration_.set_status(tetrix_, session.id, "ended");
    ASSERT_TRUE(ended.ok()) << ended.error().message;
    EXPECT_TRUE(ended->changed);
    EXPECT_EQ(ended->session.status, core::SessionStatus::kEnded);
    const auto end_time = ended->session.end_time;
    ASSERT_TRUE(end_time);

    clock_.advance_ms(1000);
    auto again = integration_.set_status(tetrix_, session.id, "ended");
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->changed);
    EXPECT_EQ(again->session.end_time, end_time);  // idempotent: the first end's time stays

    auto reopen = integration_.set_status(tetrix_, session.id, "active");
    ASSERT_FALSE(reopen.ok());
    EXPECT_EQ(reopen.error().code, core::ErrorCode::kConflict);

    auto unknown = integration_.set_status(tetrix_, session.id, "paused");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(detail(unknown.error(), "field"), "status");

    auto elsewhere = integration_.set_status(joromi_, session.id, "ended");
    ASSERT_FALSE(elsewhere.ok());
    EXPECT_EQ(elsewhere.error().code, core::ErrorCode::kNotFound);
}

TEST_F(IntegrationServiceTest, VoiceGoesThroughTheCallUseCaseInASessionCarryingTheSettings) {
    auto input = voice("+14155550123");
    input.user_id = "crm-42";
    input.enable_transcription = false;
    input.enable_translation = true;
    input.target_language = "es";
    auto started = integration_.initiate(tetrix_, input);
    ASSERT_TRUE(started.ok()) << started.error().message;
    EXPECT_TRUE(started->opened_session);
    EXPECT_EQ(started->channel, core::Channel::kVoice);
    ASSERT_TRUE(started->call);
    EXPECT_EQ(started->call->session_id, started->session.id);
    EXPECT_FALSE(started->call->transcription_enabled);
    EXPECT_EQ(started->session.user_id, std::optional<std::string>("crm-42"));
    const auto metadata = nlohmann::json::parse(started->session.metadata_json);
    EXPECT_EQ(metadata["integration"]["targetLanguage"], "es");
    EXPECT_EQ(metadata["integration"]["enableTranslation"], true);
    ASSERT_EQ(carrier_.dials().size(), 1u);
    EXPECT_EQ(carrier_.dials()[0].to, "+14155550123");
}

TEST_F(IntegrationServiceTest, VoiceContinuesAConversation) {
    const auto session = open(tetrix_, "chat");
    auto input = voice("+14155550123");
    input.conversation_id = session.id;
    auto started = integration_.initiate(tetrix_, input);
    ASSERT_TRUE(started.ok()) << started.error().message;
    EXPECT_FALSE(started->opened_session);
    EXPECT_EQ(started->session.id, session.id);
    EXPECT_EQ(started->call->session_id, session.id);

    input.conversation_id = "ses_unknown";
    auto unknown = integration_.initiate(tetrix_, input);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
}

TEST_F(IntegrationServiceTest, ARefusedCallLeavesNoActiveSessionBehind) {
    carrier_.dial_error = core::Error{core::ErrorCode::kVendor, "D11: number not routable", {}};
    auto started = integration_.initiate(tetrix_, voice("+14155550123"));
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.error().code, core::ErrorCode::kVendor);
    SessionFilter filter;
    filter.limit = 20;
    filter.status = "active";
    EXPECT_TRUE(integration_.list(tetrix_, filter)->sessions.empty());
}

TEST_F(IntegrationServiceTest, ValidationNamesTheFieldAndAnotherPlatformIsForbidden) {
    auto refused = [&](IntegrationInitiate input) {
        auto started = integration_.initiate(tetrix_, std::move(input));
        EXPECT_FALSE(started.ok());
        return started.ok() ? core::Error{} : started.error();
    };
    auto input = voice("+14155550123");
    input.channel = "fax";
    EXPECT_EQ(detail(refused(input), "field"), "channel");
    EXPECT_EQ(detail(refused(voice("5550123")), "field"), "to");
    input = voice("+14155550123");
    input.enable_translation = true;
    EXPECT_EQ(detail(refused(input), "field"), "targetLanguage");
    input.target_language = "not a language";
    EXPECT_EQ(detail(refused(input), "field"), "targetLanguage");
    input = voice("+14155550123");
    input.message = "hello";
    EXPECT_EQ(detail(refused(input), "field"), "message");
    input = voice("+14155550123");
    input.channel = "sms";
    EXPECT_EQ(detail(refused(input), "field"), "message");  // required for sms
    input.message = "hello";
    input.from = "+12025550100";
    EXPECT_EQ(detail(refused(input), "field"), "from");  // messages go out from the channel's sender
    input = voice("+14155550123");
    input.platform = "myspace";
    EXPECT_EQ(detail(refused(input), "field"), "platform");
    input.platform = "joromi";
    const auto forbidden = refused(input);
    EXPECT_EQ(forbidden.code, core::ErrorCode::kForbidden);
    EXPECT_EQ(detail(forbidden, "field"), "platform");
    input.platform = "tetrix";  // its own platform is fine
    EXPECT_TRUE(integration_.initiate(tetrix_, input).ok());
    EXPECT_EQ(carrier_.dials().size(), 1u);  // nothing was dialled for the refused ones
}

TEST_F(IntegrationServiceTest, AChannelWithoutItsUseCaseIsUnavailable) {
    IntegrationInitiate input;
    input.to = "+14155550123";
    input.channel = "whatsapp";
    input.message = "Your order shipped";
    auto started = integration_.initiate(tetrix_, input);  // this fixture has no messaging use-case
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.error().code, core::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace crossvoice::services
