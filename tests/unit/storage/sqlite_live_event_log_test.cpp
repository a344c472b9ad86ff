#include "storage/sqlite/sqlite_live_event_log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "storage/sqlite/sqlite_message_store.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace crossvoice::storage {
namespace {

using core::MessageStatus;
using core::Platform;
using nlohmann::json;

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(1'790'000'000'000 + ms); }

class SqliteLiveEventLogTest : public ::testing::Test {
  protected:
    core::Session session(std::string id) {
        core::Session out;
        out.id = std::move(id);
        out.platform = Platform::kTetrix;
        out.channel = core::Channel::kSms;
        out.start_time = at(0);
        out.created_by_key = "test";
        return out;
    }

    core::TimelineMessage message(std::string id, std::string session_id, std::string content) {
        core::TimelineMessage out;
        out.id = std::move(id);
        out.session_id = std::move(session_id);
        out.channel = core::Channel::kSms;
        out.direction = core::MessageDirection::kOutbound;
        out.author = core::MessageAuthor::kAgent;
        out.content = std::move(content);
        out.status = MessageStatus::kPending;
        out.created_at = at(5);
        return out;
    }

    core::ports::OutboundDelivery delivery(const core::TimelineMessage& sent) {
        core::ports::OutboundDelivery out;
        out.message_id = sent.id;
        out.platform = Platform::kTetrix;
        out.session_id = sent.session_id;
        out.channel = core::Channel::kSms;
        out.recipient = "+12025550111";
        return out;
    }

    std::vector<core::ports::LoggedEvent> read(std::uint64_t after = 0) {
        auto events = log_.read_after(after, 100);
        EXPECT_TRUE(events.ok()) << events.error().message;
        return events.ok() ? *events : std::vector<core::ports::LoggedEvent>{};
    }

    testing::TempDir dir_;
    std::unique_ptr<SqliteDatabase> db_ = testing::open_test_database(dir_);
    SqliteLiveEventLog log_{*db_};
    SqliteMessageStore messages_{*db_};
    SqliteSessionStore sessions_{*db_};
};

TEST_F(SqliteLiveEventLogTest, TimelineWritesAndStatusChangesAreLoggedByTheStoreItself) {
    ASSERT_TRUE(sessions_.insert(session("ses_1")).ok());
    const auto sent = message("msg_1", "ses_1", "We are on it.");
    ASSERT_TRUE(messages_.append_outbound(sent, delivery(sent)).ok());
    ASSERT_TRUE(messages_.set_status("msg_1", MessageStatus::kFailed, std::string("30005 unknown number")).ok());
    // The same status again changes nothing, so it announces nothing.
    ASSERT_TRUE(messages_.set_status("msg_1", MessageStatus::kFailed, std::string("again")).ok());

    auto events = read();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].type, "session.status");
    EXPECT_EQ(json::parse(events[0].data_json)["status"], "active");
    events.erase(events.begin());
    EXPECT_EQ(events[0].type, "message");
    EXPECT_EQ(events[0].session_id, "ses_1");
    ASSERT_TRUE(events[0].message.has_value());
    EXPECT_EQ(events[0].message->content, "We are on it.");
    EXPECT_EQ(events[1].type, "message.status");
    EXPECT_GT(events[1].seq, events[0].seq);
    const auto data = json::parse(events[1].data_json);
    EXPECT_EQ(data["messageId"], "msg_1");
    EXPECT_EQ(data["status"], "failed");
    EXPECT_EQ(data["reason"], "30005 unknown number");

    auto latest = log_.latest();
    ASSERT_TRUE(latest.ok());
    EXPECT_EQ(*latest, events[1].seq);
    EXPECT_EQ(read(events[0].seq).size(), 1u);
    EXPECT_TRUE(read(events[1].seq).empty());
}

TEST_F(SqliteLiveEventLogTest, PublishedEventsKeepTheirDataAndEndedSessionsAreAnnounced) {
    ASSERT_TRUE(sessions_.insert(session("ses_1")).ok());
    core::ports::LiveEvent typing;
    typing.type = "typing";
    typing.session_id = "ses_1";
    typing.data_json = R"({"channel":"sms"})";
    typing.at = at(7);
    log_.publish(typing);
    ASSERT_TRUE(sessions_.end(Platform::kTetrix, "ses_1", at(9)).ok());

    auto events = read(1);  // after the session's opening
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].type, "typing");
    EXPECT_EQ(json::parse(events[0].data_json)["channel"], "sms");
    EXPECT_EQ(events[0].at, at(7));
    EXPECT_FALSE(events[0].message.has_value());
    EXPECT_EQ(events[1].type, "session.status");
    EXPECT_EQ(json::parse(events[1].data_json)["status"], "ended");
}

TEST_F(SqliteLiveEventLogTest, ALinkedSessionsEventsAreVisibleToBothPlatforms) {
    ASSERT_TRUE(sessions_.insert(session("ses_1")).ok());
    auto linked = message("msg_link", "ses_1", "Continued on JoRoMi");
    linked.type = core::MessageType::kEvent;
    linked.author = core::MessageAuthor::kSystem;
    ASSERT_TRUE(sessions_.link(Platform::kJoromi, "ses_1", linked, at(6)).ok());

    const auto events = read();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().platform, Platform::kTetrix);
    EXPECT_EQ(events.back().also_visible_to, std::vector<Platform>{Platform::kJoromi});
}

TEST_F(SqliteLiveEventLogTest, ASessionStartedWithATargetLanguageDeclaresTheCustomersLanguage) {
    auto translated = session("ses_es");
    translated.metadata_json = R"({"integration":{"enableTranslation":true,"targetLanguage":"es"}})";
    auto untranslated = session("ses_plain");
    untranslated.metadata_json = R"({"integration":{"enableTranslation":false,"targetLanguage":"fr"}})";
    ASSERT_TRUE(sessions_.insert(translated).ok());
    ASSERT_TRUE(sessions_.insert(untranslated).ok());
    for (const auto* id : {"ses_es", "ses_plain"}) {
        const auto sent = message(std::string("msg_") + id, id, "Your order shipped");
        ASSERT_TRUE(messages_.append_outbound(sent, delivery(sent)).ok());
    }
    std::map<std::string, std::optional<std::string>> declared;
    for (const auto& event : read()) {
        if (event.type == "message") declared[event.session_id] = event.customer_language;
    }
    EXPECT_EQ(declared["ses_es"], std::optional<std::string>("es"));
    EXPECT_EQ(declared["ses_plain"], std::nullopt) << "without enableTranslation the language is not used";
}

TEST_F(SqliteLiveEventLogTest, PruningForgetsOnlyOldEntries) {
    ASSERT_TRUE(sessions_.insert(session("ses_1")).ok());
    for (int i = 0; i < 3; ++i) {
        core::ports::LiveEvent typing;
        typing.type = "typing";
        typing.session_id = "ses_1";
        typing.at = at(i * 1000);
        log_.publish(typing);
    }
    auto pruned = log_.prune(at(1500));
    ASSERT_TRUE(pruned.ok());
    EXPECT_EQ(*pruned, 3u) << "the session's opening at 0 and two typing events";
    EXPECT_EQ(read().size(), 1u);
    auto latest = log_.latest();
    ASSERT_TRUE(latest.ok());
    EXPECT_EQ(*latest, 4u) << "sequence numbers are never reused";
}

}  // namespace
}  // namespace crossvoice::storage
