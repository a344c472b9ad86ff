#include "services/timeline_service.hpp"

#include <gtest/gtest.h>

#include "services/id_generator.hpp"
#include "services/session_service.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "storage/sqlite/sqlite_transcript_store.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_crypto.hpp"
#include "support/test_database.hpp"

namespace crossvoice::services {
namespace {

class TimelineServiceTest : public ::testing::Test {
  protected:
    // A session with `count` transcription messages, written as the transcription use-case writes them.
    std::string session_with_messages(int count) {
        auto session = sessions_.open(tetrix_, {"voice", {}, {}, "{}"});
        EXPECT_TRUE(session.ok());
        if (!session.ok()) return {};
        core::ports::StoredTranscript transcript;
        transcript.id = ids_.next("trn");
        transcript.platform = core::Platform::kTetrix;
        transcript.session_id = session->id;
        transcript.source = "upload";
        transcript.provider = "pocketsphinx";
        transcript.body_json = "{}";
        transcript.created_at = clock_.now();
        std::vector<core::TimelineMessage> messages;
        for (int i = 0; i < count; ++i) {
            core::TimelineMessage message;
            message.id = ids_.next(core::kMessageIdPrefix);
            message.session_id = session->id;
            message.type = core::MessageType::kTranscription;
            message.content = "part " + std::to_string(i);
            message.created_at = clock_.now();
            messages.push_back(message);
        }
        auto saved = transcripts_.save(transcript, messages);
        EXPECT_TRUE(saved.ok()) << saved.error().message;
        return session->id;
    }

    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore session_store_{*db_};
    storage::SqliteTranscriptStore transcripts_{*db_};
    testing::FakeCrypto crypto_;
    testing::FakeClock clock_;
    IdGenerator ids_{clock_, crypto_};
    SessionService sessions_{session_store_, clock_, ids_};
    TimelineService timeline_{session_store_, transcripts_};
    core::Principal tetrix_{core::Platform::kTetrix, "key_a"};
    core::Principal joromi_{core::Platform::kJoromi, "key_b"};
};

TEST_F(TimelineServiceTest, ALimitOutsideOneTo200IsRefused) {
    const auto session = session_with_messages(1);
    for (int limit : {0, -1, 201}) {
        auto listed = timeline_.list(tetrix_, session, limit, std::nullopt);
        ASSERT_FALSE(listed.ok()) << limit;
        EXPECT_EQ(listed.error().code, core::ErrorCode::kValidation);
    }
    EXPECT_TRUE(timeline_.list(tetrix_, session, 1, std::nullopt).ok());
    EXPECT_TRUE(timeline_.list(tetrix_, session, 200, std::nullopt).ok());
}

TEST_F(TimelineServiceTest, AnUnknownOrForeignSessionIsNotFound) {
    const auto session = session_with_messages(1);
    for (const auto& [caller, id] :
         {std::pair{tetrix_, std::string("ses_01JAAAAAAAAAAAAAAAAAAAAAAA")}, std::pair{joromi_, session}}) {
        auto listed = timeline_.list(caller, id, 50, std::nullopt);
        ASSERT_FALSE(listed.ok());
        EXPECT_EQ(listed.error().code, core::ErrorCode::kNotFound);
    }
}

TEST_F(TimelineServiceTest, PagesFollowOnFromTheLastMessage) {
    const auto session = session_with_messages(3);
    auto first = timeline_.list(tetrix_, session, 2, std::nullopt);
    ASSERT_TRUE(first.ok()) << first.error().message;
    ASSERT_EQ(first->size(), 2U);
    EXPECT_EQ((*first)[0].content, "part 0");
    EXPECT_EQ((*first)[1].content, "part 1");

    auto second = timeline_.list(tetrix_, session, 2, first->back().id);
    ASSERT_TRUE(second.ok()) << second.error().message;
    ASSERT_EQ(second->size(), 1U);
    EXPECT_EQ((*second)[0].content, "part 2");

    auto past_the_end = timeline_.list(tetrix_, session, 2, second->back().id);
    ASSERT_TRUE(past_the_end.ok());
    EXPECT_TRUE(past_the_end->empty());
}

}  // namespace
}  // namespace crossvoice::services
