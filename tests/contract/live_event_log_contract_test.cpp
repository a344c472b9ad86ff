// The LiveEventLog port (and the stores' own logging of timeline, call and session changes) against every adapter.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::MessageStatus;
using core::Platform;
using nlohmann::json;

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(1'790'000'000'000 + ms); }

class LiveEventLogContract : public StoreContractTest {
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
        auto events = log().read_after(after, 100);
        EXPECT_TRUE(events.ok()) << events.error().message;
        return events.ok() ? *events : std::vector<core::ports::LoggedEvent>{};
    }

    core::ports::LiveEventLog& log() { return backend().live_events(); }
    core::ports::MessageStore& messages() { return backend().messages(); }
    core::ports::SessionStore& sessions() { return backend().sessions(); }
};

TEST_P(LiveEventLogContract, TimelineWritesAndStatusChangesAreLoggedByTheStoreItself) {
    ASSERT_TRUE(sessions().insert(session("ses_1")).ok());
    const auto sent = message("msg_1", "ses_1", "We are on it.");
    ASSERT_TRUE(messages().append_outbound(sent, delivery(sent)).ok());
    ASSERT_TRUE(messages().set_status("msg_1", MessageStatus::kFailed, std::string("30005 unknown number")).ok());
    // The same status again changes nothing, so it announces nothing.
    ASSERT_TRUE(messages().set_status("msg_1", MessageStatus::kFailed, std::string("again")).ok());

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

    auto latest = log().latest();
    ASSERT_TRUE(latest.ok());
    EXPECT_EQ(*latest, events[1].seq);
    EXPECT_EQ(read(events[0].seq).size(), 1u);
    EXPECT_TRUE(read(events[1].seq).empty());
}

TEST_P(LiveEventLogContract, PublishedEventsKeepTheirDataAndEndedSessionsAreAnnounced) {
    ASSERT_TRUE(sessions().insert(session("ses_1")).ok());
    core::ports::LiveEvent typing;
    typing.type = "typing";
    typing.session_id = "ses_1";
    typing.data_json = R"({"channel":"sms"})";
    typing.at = at(7);
    log().publish(typing);
    ASSERT_TRUE(sessions().end(Platform::kTetrix, "ses_1", at(9)).ok());

    auto events = read(1);  // after the session's opening
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].type, "typing");
    EXPECT_EQ(json::parse(events[0].data_json)["channel"], "sms");
    EXPECT_EQ(events[0].at, at(7));
    EXPECT_FALSE(events[0].message.has_value());
    EXPECT_EQ(events[1].type, "session.status");
    EXPECT_EQ(json::parse(events[1].data_json)["status"], "ended");
}

TEST_P(LiveEventLogContract, ALinkedSessionsEventsAreVisibleToBothPlatforms) {
    ASSERT_TRUE(sessions().insert(session("ses_1")).ok());
    auto linked = message("msg_link", "ses_1", "Continued on JoRoMi");
    linked.type = core::MessageType::kEvent;
    linked.author = core::MessageAuthor::kSystem;
    ASSERT_TRUE(sessions().link(Platform::kJoromi, "ses_1", linked, at(6)).ok());

    const auto events = read();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().platform, Platform::kTetrix);
    EXPECT_EQ(events.back().also_visible_to, std::vector<Platform>{Platform::kJoromi});
}

TEST_P(LiveEventLogContract, ASessionStartedWithATargetLanguageDeclaresTheCustomersLanguage) {
    auto translated = session("ses_es");
    translated.metadata_json = R"({"integration":{"enableTranslation":true,"targetLanguage":"es"}})";
    auto untranslated = session("ses_plain");
    untranslated.metadata_json = R"({"integration":{"enableTranslation":false,"targetLanguage":"fr"}})";
    ASSERT_TRUE(sessions().insert(translated).ok());
    ASSERT_TRUE(sessions().insert(untranslated).ok());
    for (const auto* id : {"ses_es", "ses_plain"}) {
        const auto sent = message(std::string("msg_") + id, id, "Your order shipped");
        ASSERT_TRUE(messages().append_outbound(sent, delivery(sent)).ok());
    }
    std::map<std::string, std::optional<std::string>> declared;
    for (const auto& event : read()) {
        if (event.type == "message") declared[event.session_id] = event.customer_language;
    }
    EXPECT_EQ(declared["ses_es"], std::optional<std::string>("es"));
    EXPECT_EQ(declared["ses_plain"], std::nullopt) << "without enableTranslation the language is not used";
}

TEST_P(LiveEventLogContract, PruningForgetsOnlyOldEntries) {
    ASSERT_TRUE(sessions().insert(session("ses_1")).ok());
    for (int i = 0; i < 3; ++i) {
        core::ports::LiveEvent typing;
        typing.type = "typing";
        typing.session_id = "ses_1";
        typing.at = at(i * 1000);
        log().publish(typing);
    }
    auto pruned = log().prune(at(1500));
    ASSERT_TRUE(pruned.ok());
    EXPECT_EQ(*pruned, 3u) << "the session's opening at 0 and two typing events";
    EXPECT_EQ(read().size(), 1u);
    auto latest = log().latest();
    ASSERT_TRUE(latest.ok());
    EXPECT_EQ(*latest, 4u) << "sequence numbers are never reused";
}

// The hub follows the log by asking for what comes after the last seq it saw, so an entry must never become
// visible after one with a higher seq: concurrent writers must commit in seq order (see PostgreSQL's migration 8).
TEST_P(LiveEventLogContract, AReaderFollowingTheLogMissesNothingWrittenConcurrently) {
    ASSERT_TRUE(sessions().insert(session("ses_1")).ok());
    constexpr int kWriters = 4;
    constexpr int kEach = 25;
    std::atomic<bool> writing{true};
    std::set<std::uint64_t> followed;
    std::uint64_t last = 0;
    auto follow = [&] {
        auto events = log().read_after(last, 1000);
        ASSERT_TRUE(events.ok()) << events.error().message;
        for (const auto& event : *events) {
            followed.insert(event.seq);
            last = event.seq;
        }
    };
    std::thread reader([&] {
        while (writing.load()) follow();
    });
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            for (int i = 0; i < kEach; ++i) {
                // A message and its delivery in one transaction: the log's entry is taken before the rest is written.
                const auto sent = message("msg_" + std::to_string(w) + "_" + std::to_string(i), "ses_1", "hello");
                auto appended = messages().append_outbound(sent, delivery(sent));
                EXPECT_TRUE(appended.ok()) << appended.error().message;
            }
        });
    }
    for (auto& writer : writers) writer.join();
    writing = false;
    reader.join();
    follow();
    auto everything = log().read_after(0, 1000);
    ASSERT_TRUE(everything.ok()) << everything.error().message;
    ASSERT_EQ(everything->size(), 1u + kWriters * kEach);
    std::vector<std::uint64_t> missed;
    for (const auto& event : *everything) {
        if (!followed.count(event.seq)) missed.push_back(event.seq);
    }
    EXPECT_TRUE(missed.empty()) << missed.size() << " entries appeared behind the reader, the first at seq "
                                << missed.front();
}

INSTANTIATE_TEST_SUITE_P(Adapters, LiveEventLogContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
