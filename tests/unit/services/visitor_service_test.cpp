#include "services/visitor_service.hpp"

#include <gtest/gtest.h>

#include "assistant_fixture.hpp"
#include "infra/memory_rate_limiter.hpp"
#include "infra/sodium_handoff_sealer.hpp"
#include "infra/sodium_visitor_sealer.hpp"
#include "language/phone_number_checker.hpp"
#include "services/callback_service.hpp"
#include "services/handoff_service.hpp"
#include "services/job_runner.hpp"
#include "services/voice_metrics.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_message_store.hpp"
#include "storage/sqlite/sqlite_replay_guard.hpp"
#include "support/error_detail.hpp"
#include "support/fake_carrier.hpp"

namespace crossvoice::services::testing_assistant {
namespace {

using core::ErrorCode;
using core::Platform;
using testing::detail;

constexpr std::string_view kSecret = "visitor-service-test-secret-0123456789abcdef";

std::unique_ptr<core::ports::HandoffSealer> handoff_sealer() {
    auto made = infra::SodiumHandoffSealer::create(kSecret);
    EXPECT_TRUE(made.ok());
    return std::move(made).value();
}

std::unique_ptr<infra::SodiumVisitorSealer> visitor_sealer() {
    auto made = infra::SodiumVisitorSealer::create(kSecret);
    EXPECT_TRUE(made.ok());
    return std::move(made).value();
}

// The visitor use-case over the real SQLite stores, SHANGO, hand-off (real sealer) and call back (the real call
// use-case with a fake carrier).
class VisitorServiceTest : public AssistantFixture {
  protected:
    VisitorServiceTest() { rebuild(VisitorSettings{}); }

    void rebuild(VisitorSettings settings) {
        visitors_ = std::make_unique<VisitorService>(
            VisitorService::Ports{*shango_, handoffs_, callbacks_, sessions_, transcripts_, assistant_store_, limiter_,
                                  numbers_, *tokens_, clock_},
            settings);
    }

    static CallSettings call_settings() {
        CallSettings s;
        s.default_from = "+12025550100";
        s.connection_id = "conn-1";
        s.webhook_url = "https://hooks.example.com/api/voice/webhook";
        return s;
    }

    VisitorConversation start(Platform platform = Platform::kTetrix, VisitorStart request = {}) {
        if (request.client.empty()) request.client = "203.0.113.7";
        auto started = visitors_->start(platform, request);
        EXPECT_TRUE(started.ok()) << (started.ok() ? "" : started.error().message);
        clock_.advance_ms(10);
        return started.ok() ? *started : VisitorConversation{};
    }

    Visitor visitor_of(const VisitorConversation& conversation) {
        auto visitor = visitors_->authenticate(conversation.token, conversation.session.id);
        EXPECT_TRUE(visitor.ok()) << (visitor.ok() ? "" : visitor.error().message);
        return visitor.ok() ? *visitor : Visitor{};
    }

    void give_to_agent(const std::string& session_id) {
        auto found = assistant_store_.find(Platform::kTetrix, session_id);
        ASSERT_TRUE(found.ok() && found->has_value());
        auto conversation = **found;
        conversation.owner = core::ports::ConversationOwner::kAgent;
        ASSERT_TRUE(assistant_store_.save_turn(conversation, {}).ok());
    }

    storage::SqliteCallStore call_store_{*db_};
    storage::SqliteMessageStore message_store_{*db_};
    storage::SqliteReplayGuard replay_{*db_};
    storage::SqliteJobQueue queue_{*db_};
    testing::FakeCarrier carrier_;
    infra::MemoryRateLimiter limiter_{clock_};
    language::PhoneNumberChecker numbers_;
    JobRunner jobs_{queue_, clock_, ids_, crypto_};
    VoiceMetrics voice_metrics_;
    CallService calls_{call_settings(), call_store_, sessions_, carrier_, limiter_,
                       numbers_,        clock_,      ids_,      jobs_,    voice_metrics_};
    CallbackService callbacks_{calls_, sessions_, message_store_};
    std::unique_ptr<core::ports::HandoffSealer> handoff_sealer_ = handoff_sealer();
    HandoffService handoffs_{handoff_sealer_.get(), replay_, session_store_, sessions_, clock_, ids_};
    std::unique_ptr<infra::SodiumVisitorSealer> tokens_ = visitor_sealer();
    std::unique_ptr<VisitorService> visitors_;
};

TEST_F(VisitorServiceTest, StartsAShangoChatWithItsGreetingAndATokenForThatSessionOnly) {
    VisitorStart request;
    request.name = "Ana";
    const auto conversation = start(Platform::kTetrix, request);
    EXPECT_FALSE(conversation.continued);
    EXPECT_EQ(conversation.session.channel, core::Channel::kChat);
    EXPECT_EQ(conversation.session.user_id, "Ana");
    ASSERT_EQ(conversation.history.size(), 1u);
    EXPECT_EQ(conversation.history[0].author, core::MessageAuthor::kAssistant);
    EXPECT_EQ(conversation.history[0].content, "Hi, I'm SHANGO of TETRIX. How can I help?");
    EXPECT_EQ(conversation.expires_at, conversation.session.start_time + std::chrono::hours(24));

    const auto visitor = visitor_of(conversation);
    EXPECT_EQ(visitor.platform, Platform::kTetrix);
    EXPECT_EQ(visitor.session_id, conversation.session.id);
    EXPECT_EQ(visitor.principal().key_id, "visitor");

    const auto other = start();
    auto crossed = visitors_->authenticate(conversation.token, other.session.id);
    ASSERT_FALSE(crossed.ok());
    EXPECT_EQ(crossed.error().code, ErrorCode::kForbidden);
    auto garbage = visitors_->authenticate("cvv1.nope", conversation.session.id);
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().code, ErrorCode::kUnauthorized);
    clock_.advance_ms(24 * 3600 * 1000);
    auto expired = visitors_->authenticate(conversation.token, conversation.session.id);
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(detail(expired.error(), "reason"), "expired");
}

TEST_F(VisitorServiceTest, ADeclaredLanguageIsKeptForLiveTranslations) {
    VisitorStart request;
    request.language = "es";
    const auto conversation = start(Platform::kJoromi, request);
    EXPECT_NE(conversation.session.metadata_json.find("\"targetLanguage\":\"es\""), std::string::npos)
        << conversation.session.metadata_json;
}

TEST_F(VisitorServiceTest, RefusesBadStartsNamingTheField) {
    const auto refused = [this](VisitorStart request, std::string field) {
        request.client = "198.51.100.1";
        auto started = visitors_->start(Platform::kTetrix, request);
        ASSERT_FALSE(started.ok()) << field;
        EXPECT_EQ(started.error().code, ErrorCode::kValidation) << field;
        EXPECT_EQ(detail(started.error(), "field"), field);
    };
    VisitorStart request;
    request.name = "";
    refused(request, "name");
    request.name = std::string(81, 'a');
    refused(request, "name");
    request.name = "Ana\nBob";
    refused(request, "name");
    request.name = "   ";
    refused(request, "name");
    request = {};
    request.language = "not a language";
    refused(request, "language");
    request = {};
    request.handoff_token = "";
    refused(request, "handoffToken");
    request.handoff_token = "cvh1.garbage";
    refused(request, "handoffToken");
}

TEST_F(VisitorServiceTest, LimitsConversationStartsPerClientAndMessagesPerSession) {
    VisitorSettings settings;
    settings.starts_per_window = 2;
    settings.messages_per_window = 2;
    rebuild(settings);
    VisitorStart request;
    request.client = "192.0.2.10";
    ASSERT_TRUE(visitors_->start(Platform::kTetrix, request).ok());
    ASSERT_TRUE(visitors_->start(Platform::kJoromi, request).ok());
    auto third = visitors_->start(Platform::kTetrix, request);
    ASSERT_FALSE(third.ok());
    EXPECT_EQ(third.error().code, ErrorCode::kRateLimited);
    EXPECT_TRUE(detail(third.error(), "retry_after_seconds").has_value());
    request.client = "192.0.2.11";  // another address is not limited by the first
    const auto conversation = start(Platform::kTetrix, request);

    const auto visitor = visitor_of(conversation);
    ASSERT_TRUE(visitors_->say(visitor, "hello").ok());
    ASSERT_TRUE(visitors_->say(visitor, "what are your hours").ok());
    auto third_message = visitors_->say(visitor, "anyone?");
    ASSERT_FALSE(third_message.ok());
    EXPECT_EQ(third_message.error().code, ErrorCode::kRateLimited);
    clock_.advance_ms(61'000);
    EXPECT_TRUE(visitors_->say(visitor, "anyone now?").ok());
}

TEST_F(VisitorServiceTest, ShangoAnswersUntilAPersonOwnsTheConversation) {
    const auto conversation = start();
    const auto visitor = visitor_of(conversation);
    auto answered = visitors_->say(visitor, "How do I reset my password?");
    ASSERT_TRUE(answered.ok()) << answered.error().message;
    EXPECT_FALSE(answered->owned_by_agent);
    ASSERT_TRUE(answered->answer.has_value());
    EXPECT_EQ(answered->question.author, core::MessageAuthor::kCaller);

    give_to_agent(conversation.session.id);
    auto quiet = visitors_->say(visitor, "hello?");
    ASSERT_TRUE(quiet.ok());
    EXPECT_TRUE(quiet->owned_by_agent);
    EXPECT_FALSE(quiet->answer.has_value());
    auto seen = visitors_->timeline(visitor);
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen->owner, core::ports::ConversationOwner::kAgent);
    EXPECT_EQ(seen->messages.back().content, "hello?");
}

TEST_F(VisitorServiceTest, RefusesEmptyOrOversizedTextAndBadLimits) {
    const auto visitor = visitor_of(start());
    for (const std::string& text : {std::string(), std::string(" \n\t"), std::string(4001, 'a')}) {
        auto said = visitors_->say(visitor, text);
        ASSERT_FALSE(said.ok());
        EXPECT_EQ(detail(said.error(), "field"), "text");
    }
    for (const int limit : {0, 201}) {
        auto seen = visitors_->timeline(visitor, limit);
        ASSERT_FALSE(seen.ok());
        EXPECT_EQ(detail(seen.error(), "field"), "limit");
    }
}

TEST_F(VisitorServiceTest, TheTimelineShowsTextAndEventsButNoTranscriptsOrTranslations) {
    const auto conversation = start();
    const auto visitor = visitor_of(conversation);
    ASSERT_TRUE(visitors_->say(visitor, "hello").ok());
    auto found = assistant_store_.find(Platform::kTetrix, conversation.session.id);
    ASSERT_TRUE(found.ok() && found->has_value());
    core::TimelineMessage transcript;
    transcript.id = ids_.next(core::kMessageIdPrefix);
    transcript.session_id = conversation.session.id;
    transcript.platform = Platform::kTetrix;
    transcript.channel = core::Channel::kVoice;
    transcript.type = core::MessageType::kTranscription;
    transcript.content = "internal transcript";
    transcript.created_at = clock_.now();
    ASSERT_TRUE(assistant_store_.save_turn(**found, {transcript}).ok());
    auto seen = visitors_->timeline(visitor);
    ASSERT_TRUE(seen.ok());
    for (const auto& message : seen->messages) EXPECT_NE(message.content, "internal transcript");
    EXPECT_EQ(seen->messages.size(), timeline(conversation.session.id, Platform::kTetrix).size() - 1);
}

TEST_F(VisitorServiceTest, CallMeDialsTheVisitorsNumberInTheSameSession) {
    const auto conversation = start();
    const auto visitor = visitor_of(conversation);
    auto placed = visitors_->call_me(visitor, "+14155550123");
    ASSERT_TRUE(placed.ok()) << placed.error().message;
    EXPECT_EQ(placed->call.session_id, conversation.session.id);
    ASSERT_EQ(carrier_.dials().size(), 1u);
    EXPECT_EQ(carrier_.dials()[0].to, "+14155550123");
    for (const char* phone : {"", "4155550123", "+1", "+999123456789", "call me"}) {
        auto refused = visitors_->call_me(visitor, phone);
        ASSERT_FALSE(refused.ok()) << phone;
        EXPECT_EQ(refused.error().code, ErrorCode::kValidation) << phone;
        EXPECT_EQ(detail(refused.error(), "field"), "phone") << phone;
    }
    EXPECT_EQ(carrier_.dials().size(), 1u);
}

TEST_F(VisitorServiceTest, AHandOffContinuesTheConversationOnTheOtherPlatformOnce) {
    const auto tetrix = start(Platform::kTetrix);
    const auto visitor = visitor_of(tetrix);
    ASSERT_TRUE(visitors_->say(visitor, "How do I reset my password?").ok());
    auto ticket = visitors_->hand_off(visitor);
    ASSERT_TRUE(ticket.ok()) << ticket.error().message;
    EXPECT_EQ(ticket->claims.to_platform, Platform::kJoromi);

    VisitorStart claim;
    claim.handoff_token = ticket->token;
    const auto joromi = start(Platform::kJoromi, claim);
    EXPECT_TRUE(joromi.continued);
    EXPECT_EQ(joromi.session.id, tetrix.session.id);
    ASSERT_GE(joromi.history.size(), 4u);  // greeting, question, answer, "continues on JoRoMi"
    EXPECT_EQ(joromi.history[1].content, "How do I reset my password?");
    const auto continued = visitor_of(joromi);
    EXPECT_EQ(continued.platform, Platform::kJoromi);
    auto answered = visitors_->say(continued, "thanks");
    ASSERT_TRUE(answered.ok()) << answered.error().message;

    // The token is spent; and a conversation that came from TETRIX goes back there by its own page.
    claim.client = "192.0.2.99";
    auto again = visitors_->start(Platform::kJoromi, claim);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    auto back = visitors_->hand_off(continued);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, ErrorCode::kConflict);
    EXPECT_EQ(detail(back.error(), "platform"), "tetrix");
    // A TETRIX token is claimed on JoRoMi only.
    auto other = visitors_->hand_off(visitor_of(start(Platform::kTetrix)));
    ASSERT_TRUE(other.ok());
    claim.handoff_token = other->token;
    auto wrong = visitors_->start(Platform::kTetrix, claim);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code, ErrorCode::kForbidden);
}

TEST_F(VisitorServiceTest, HandOffWithoutASecretSaysWhy) {
    HandoffService disabled{nullptr, replay_, session_store_, sessions_, clock_, ids_};
    VisitorService visitors{{*shango_, disabled, callbacks_, sessions_, transcripts_, assistant_store_, limiter_,
                             numbers_, *tokens_, clock_},
                            VisitorSettings{}};
    auto started = visitors.start(Platform::kTetrix, VisitorStart{std::nullopt, std::nullopt, std::nullopt, "x"});
    ASSERT_TRUE(started.ok());
    auto visitor = visitors.authenticate(started->token, started->session.id);
    ASSERT_TRUE(visitor.ok());
    auto ticket = visitors.hand_off(*visitor);
    ASSERT_FALSE(ticket.ok());
    EXPECT_EQ(ticket.error().code, ErrorCode::kUnavailable);
}

TEST_F(VisitorServiceTest, AnEndedConversationTakesNoMoreMessages) {
    const auto conversation = start();
    const auto visitor = visitor_of(conversation);
    ASSERT_TRUE(sessions_.end(tetrix_, conversation.session.id).ok());
    auto said = visitors_->say(visitor, "hello");
    ASSERT_FALSE(said.ok());
    EXPECT_EQ(said.error().code, ErrorCode::kConflict);
    auto called = visitors_->call_me(visitor, "+14155550123");
    ASSERT_FALSE(called.ok());
    EXPECT_EQ(called.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace crossvoice::services::testing_assistant
