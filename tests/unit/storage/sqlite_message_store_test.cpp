#include "storage/sqlite/sqlite_message_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_replay_guard.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "storage/sqlite/sqlite_transcript_store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace crossvoice::storage {
namespace {

using core::Channel;
using core::MessageStatus;
using core::Platform;

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(1'790'000'000'000 + ms); }

class SqliteMessageStoreTest : public ::testing::Test {
  protected:
    core::Session session(std::string id, std::optional<std::string> phone = std::nullopt,
                          Platform platform = Platform::kTetrix) {
        core::Session out;
        out.id = std::move(id);
        out.platform = platform;
        out.channel = Channel::kSms;
        out.phone_number = std::move(phone);
        out.start_time = at(0);
        out.created_by_key = "test";
        return out;
    }

    core::ports::InboundMessage inbound(std::string event_id, std::string contact, std::string text,
                                        std::string new_session_id, Channel channel = Channel::kSms) {
        core::ports::InboundMessage out;
        out.event_id = std::move(event_id);
        out.platform = Platform::kTetrix;
        out.channel = channel;
        out.contact = contact;
        out.message.id = "msg_" + out.event_id;
        out.message.channel = channel;
        out.message.content = std::move(text);
        out.message.created_at = at(++clock_);
        out.new_session = session(std::move(new_session_id), contact);
        return out;
    }

    core::TimelineMessage outbound(std::string id, std::string session_id) {
        core::TimelineMessage out;
        out.id = std::move(id);
        out.session_id = std::move(session_id);
        out.channel = Channel::kSms;
        out.direction = core::MessageDirection::kOutbound;
        out.author = core::MessageAuthor::kAgent;
        out.content = "We are on it.";
        out.status = MessageStatus::kPending;
        out.created_at = at(++clock_);
        return out;
    }

    core::ports::OutboundDelivery delivery(const core::TimelineMessage& message, std::string to) {
        core::ports::OutboundDelivery out;
        out.message_id = message.id;
        out.platform = Platform::kTetrix;
        out.session_id = message.session_id;
        out.channel = Channel::kSms;
        out.recipient = std::move(to);
        return out;
    }

    std::vector<core::TimelineMessage> timeline(const std::string& session_id) {
        core::ports::TimelineQuery query;
        query.platform = Platform::kTetrix;
        query.session_id = session_id;
        query.limit = 100;
        auto listed = transcripts_.list(query);
        EXPECT_TRUE(listed.ok()) << listed.error().message;
        return listed.ok() ? *listed : std::vector<core::TimelineMessage>{};
    }

    testing::TempDir dir_;
    std::unique_ptr<SqliteDatabase> db_ = testing::open_test_database(dir_);
    SqliteMessageStore store_{*db_};
    SqliteSessionStore sessions_{*db_};
    SqliteTranscriptStore transcripts_{*db_};
    std::int64_t clock_ = 0;
};

TEST_F(SqliteMessageStoreTest, AFirstMessageOpensASessionAndTheNextJoinsIt) {
    auto first = store_.append_inbound(inbound("e1", "+12025550111", "Hi", "ses_new"));
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_TRUE(first->opened);
    EXPECT_FALSE(first->duplicate);
    EXPECT_EQ(first->session.id, "ses_new");
    EXPECT_EQ(first->message.session_id, "ses_new");

    auto second = store_.append_inbound(inbound("e2", "+12025550111", "Are you there?", "ses_other"));
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(second->opened);
    EXPECT_EQ(second->session.id, "ses_new");
    const auto messages = timeline("ses_new");
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].content, "Hi");
    EXPECT_EQ(messages[1].content, "Are you there?");
    auto missing = sessions_.find(Platform::kTetrix, "ses_other");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value()) << "the prepared session was not needed";
}

TEST_F(SqliteMessageStoreTest, ARepeatedEventAppendsNothing) {
    ASSERT_TRUE(store_.append_inbound(inbound("e1", "+12025550111", "Hi", "ses_new")).ok());
    auto again = store_.append_inbound(inbound("e1", "+12025550111", "Hi", "ses_new"));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->duplicate);
    EXPECT_EQ(timeline("ses_new").size(), 1u);
}

TEST_F(SqliteMessageStoreTest, ACallerWhoTextsContinuesTheCallsSession) {
    ASSERT_TRUE(sessions_.insert(session("ses_call", "+12025550111")).ok());
    auto texted = store_.append_inbound(inbound("e1", "+12025550111", "It's me again", "ses_new"));
    ASSERT_TRUE(texted.ok());
    EXPECT_FALSE(texted->opened);
    EXPECT_EQ(texted->session.id, "ses_call");
}

TEST_F(SqliteMessageStoreTest, AnEndedSessionIsNotContinued) {
    ASSERT_TRUE(store_.append_inbound(inbound("e1", "+12025550111", "Hi", "ses_first")).ok());
    ASSERT_TRUE(sessions_.end(Platform::kTetrix, "ses_first", at(50)).ok());
    auto later = store_.append_inbound(inbound("e2", "+12025550111", "New question", "ses_second"));
    ASSERT_TRUE(later.ok());
    EXPECT_TRUE(later->opened);
    EXPECT_EQ(later->session.id, "ses_second");
}

TEST_F(SqliteMessageStoreTest, AnOutboundMessagePointsTheContactAtItsSession) {
    ASSERT_TRUE(sessions_.insert(session("ses_voice")).ok());
    const auto message = outbound("msg_out", "ses_voice");
    ASSERT_TRUE(store_.append_outbound(message, delivery(message, "+12025550122")).ok());
    auto contact = store_.session_of_contact(Platform::kTetrix, Channel::kSms, "+12025550122");
    ASSERT_TRUE(contact.ok());
    EXPECT_EQ(*contact, "ses_voice");
    auto reply = store_.append_inbound(inbound("e1", "+12025550122", "Thanks", "ses_new"));
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->session.id, "ses_voice") << "the answer to our text continues the same session";

    auto found = store_.find_delivery("msg_out");
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->recipient, "+12025550122");
    EXPECT_FALSE((*found)->vendor_message_id.has_value());
}

TEST_F(SqliteMessageStoreTest, AnOutboundMessageForAnotherPlatformsSessionIsRefused) {
    ASSERT_TRUE(sessions_.insert(session("ses_j", std::nullopt, Platform::kJoromi)).ok());
    const auto message = outbound("msg_out", "ses_j");
    const auto refused = store_.append_outbound(message, delivery(message, "+12025550122"));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(store_.find_delivery("msg_out")->has_value() == false);
}

TEST_F(SqliteMessageStoreTest, StatusesOnlyMoveForward) {
    ASSERT_TRUE(sessions_.insert(session("ses_1")).ok());
    const auto message = outbound("msg_out", "ses_1");
    ASSERT_TRUE(store_.append_outbound(message, delivery(message, "+12025550122")).ok());

    // A delivery report overtaking our record of the vendor's id still finds the message by correlation id.
    auto early = store_.report_status("sinch", "V1", std::string("msg_out"), MessageStatus::kDelivered, std::nullopt);
    ASSERT_TRUE(early.ok());
    EXPECT_TRUE(early->changed);
    EXPECT_EQ(early->message->status, MessageStatus::kDelivered);

    auto sent = store_.mark_sent("msg_out", "sinch", "V1");
    ASSERT_TRUE(sent.ok());
    EXPECT_FALSE(sent->changed) << "sent never undoes delivered";
    EXPECT_EQ(sent->message->status, MessageStatus::kDelivered);

    auto failed = store_.report_status("sinch", "V1", std::nullopt, MessageStatus::kFailed, std::string("63: blocked"));
    ASSERT_TRUE(failed.ok());
    EXPECT_FALSE(failed->changed) << "a delivered message cannot fail afterwards";

    auto read = store_.report_status("sinch", "V1", std::nullopt, MessageStatus::kRead, std::nullopt);
    ASSERT_TRUE(read.ok());
    EXPECT_TRUE(read->changed);
    EXPECT_EQ(timeline("ses_1").back().status, MessageStatus::kRead);

    auto unknown = store_.report_status("sinch", "nope", std::nullopt, MessageStatus::kRead, std::nullopt);
    ASSERT_TRUE(unknown.ok());
    EXPECT_FALSE(unknown->message.has_value());
}

TEST_F(SqliteMessageStoreTest, AFailureKeepsItsReason) {
    ASSERT_TRUE(sessions_.insert(session("ses_1")).ok());
    const auto message = outbound("msg_out", "ses_1");
    ASSERT_TRUE(store_.append_outbound(message, delivery(message, "+12025550122")).ok());
    ASSERT_TRUE(store_.mark_sent("msg_out", "telnyx", "T1").ok());
    auto failed = store_.report_status("telnyx", "T1", std::nullopt, MessageStatus::kFailed,
                                       std::string("delivery_failed: 40002 Blocked"));
    ASSERT_TRUE(failed.ok());
    EXPECT_TRUE(failed->changed);
    EXPECT_NE(failed->message->metadata_json.find("40002 Blocked"), std::string::npos)
        << failed->message->metadata_json;
    auto revived = store_.set_status("msg_out", MessageStatus::kDelivered, std::nullopt);
    ASSERT_TRUE(revived.ok());
    EXPECT_FALSE(revived->changed) << "failed is final";
}

TEST_F(SqliteMessageStoreTest, ConcurrentFirstMessagesFromOneContactOpenOneSession) {
    std::vector<std::thread> threads;
    std::atomic<int> opened{0};
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto in =
                inbound("e" + std::to_string(i), "+12025550111", "m" + std::to_string(i), "ses_" + std::to_string(i));
            auto done = store_.append_inbound(in);
            ASSERT_TRUE(done.ok()) << done.error().message;
            if (done->opened) ++opened;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(opened.load(), 1);
    auto contact = store_.session_of_contact(Platform::kTetrix, Channel::kSms, "+12025550111");
    ASSERT_TRUE(contact.ok() && contact->has_value());
    EXPECT_EQ(timeline(**contact).size(), 8u);
}

TEST(SqliteReplayGuardTest, AKeyIsUsableOnceUntilItExpires) {
    testing::TempDir dir;
    auto db = testing::open_test_database(dir);
    SqliteReplayGuard guard(*db);
    EXPECT_TRUE(*guard.first_use("sinch:nonce-1", at(0), at(300'000)));
    EXPECT_FALSE(*guard.first_use("sinch:nonce-1", at(1'000), at(301'000)));
    EXPECT_TRUE(*guard.first_use("sinch:nonce-2", at(1'000), at(301'000)));
    EXPECT_TRUE(*guard.first_use("sinch:nonce-1", at(300'000), at(600'000))) << "expired: usable again";
    EXPECT_FALSE(*guard.first_use("sinch:nonce-1", at(300'001), at(600'001)));
}

}  // namespace
}  // namespace crossvoice::storage
