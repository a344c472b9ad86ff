#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::Channel;
using core::Platform;
using core::Session;
using core::SessionStatus;
using core::ports::SessionQuery;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;

// Real session ids, created `n` ms after kBaseMs: a larger n is a newer (larger) id.
std::string session_id(int n) {
    core::IdEntropy entropy{};
    entropy[0] = static_cast<std::uint8_t>(n & 0xff);
    entropy[1] = static_cast<std::uint8_t>((n >> 8) & 0xff);
    return core::make_id(core::kSessionIdPrefix, core::from_unix_ms(kBaseMs + n), entropy);
}

Session make_session(int n, Platform platform = Platform::kTetrix) {
    Session session;
    session.id = session_id(n);
    session.platform = platform;
    session.start_time = core::from_unix_ms(kBaseMs + n);
    session.created_by_key = "key_01JTESTKEY0000000000000000";
    return session;
}

void expect_same(const Session& actual, const Session& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.platform, expected.platform);
    EXPECT_EQ(actual.channel, expected.channel);
    EXPECT_EQ(actual.status, expected.status);
    EXPECT_EQ(actual.phone_number, expected.phone_number);
    EXPECT_EQ(actual.user_id, expected.user_id);
    EXPECT_EQ(actual.metadata_json, expected.metadata_json);
    EXPECT_EQ(actual.start_time, expected.start_time);
    EXPECT_EQ(actual.end_time, expected.end_time);
    EXPECT_EQ(actual.has_transcription, expected.has_transcription);
    EXPECT_EQ(actual.has_recording, expected.has_recording);
    EXPECT_EQ(actual.created_by_key, expected.created_by_key);
}

std::vector<std::string> ids_of(const std::vector<Session>& sessions) {
    std::vector<std::string> ids;
    for (const auto& session : sessions) ids.push_back(session.id);
    return ids;
}

class SessionStoreContract : public StoreContractTest {
  protected:
    core::ports::SessionStore& store() { return backend().sessions(); }

    void insert(const Session& session) {
        auto inserted = store().insert(session);
        ASSERT_TRUE(inserted) << inserted.error().message;
    }

    std::vector<Session> list(const SessionQuery& query) {
        auto listed = store().list(query);
        EXPECT_TRUE(listed) << listed.error().message;
        return listed ? listed.value() : std::vector<Session>{};
    }

    // Follows before_id cursors until a short page, as the service does.
    std::vector<std::string> page_through(SessionQuery query, int page_size) {
        std::vector<std::string> seen;
        query.limit = page_size;
        for (int pages = 0; pages < 1000; ++pages) {
            const auto page = list(query);
            for (const auto& session : page) seen.push_back(session.id);
            if (static_cast<int>(page.size()) < page_size) break;
            query.before_id = page.back().id;
        }
        return seen;
    }
};

TEST_P(SessionStoreContract, FindReturnsEveryFieldAsInserted) {
    Session session = make_session(1, Platform::kJoromi);
    session.channel = Channel::kWhatsapp;
    session.status = SessionStatus::kEnded;
    session.phone_number = "+15551234567";
    session.user_id = "user-42";
    session.metadata_json = R"({"crm":{"id":7},"tags":["a","b"],"note":"naïve ✓ \"quoted\""})";
    session.end_time = core::from_unix_ms(kBaseMs + 60'123);
    session.has_transcription = true;
    session.has_recording = true;
    insert(session);

    auto found = store().find(Platform::kJoromi, session.id);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value().has_value());
    expect_same(*found.value(), session);
}

TEST_P(SessionStoreContract, FindKeepsAbsentOptionalFieldsAbsent) {
    Session session = make_session(1);
    session.channel = Channel::kChat;
    insert(session);

    auto found = store().find(Platform::kTetrix, session.id);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value().has_value());
    expect_same(*found.value(), session);
    EXPECT_FALSE(found.value()->phone_number.has_value());
    EXPECT_FALSE(found.value()->user_id.has_value());
    EXPECT_FALSE(found.value()->end_time.has_value());
    EXPECT_EQ(found.value()->metadata_json, "{}");
}

TEST_P(SessionStoreContract, FindUnknownIdReturnsNothing) {
    insert(make_session(1));
    auto found = store().find(Platform::kTetrix, session_id(2));
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_FALSE(found.value().has_value());
}

TEST_P(SessionStoreContract, InsertingAnExistingIdIsAConflict) {
    insert(make_session(1));
    auto again = store().insert(make_session(1));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
}

TEST_P(SessionStoreContract, AnotherPlatformCannotFindListOrEndASession) {
    const Session session = make_session(1, Platform::kTetrix);
    insert(session);

    auto found = store().find(Platform::kJoromi, session.id);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_FALSE(found.value().has_value());

    SessionQuery query;
    query.platform = Platform::kJoromi;
    EXPECT_TRUE(list(query).empty());

    auto ended = store().end(Platform::kJoromi, session.id, core::from_unix_ms(kBaseMs + 500));
    ASSERT_TRUE(ended) << ended.error().message;
    EXPECT_FALSE(ended.value().has_value());

    auto still = store().find(Platform::kTetrix, session.id);
    ASSERT_TRUE(still) << still.error().message;
    ASSERT_TRUE(still.value().has_value());
    EXPECT_EQ(still.value()->status, SessionStatus::kActive);
    EXPECT_FALSE(still.value()->end_time.has_value());
}

TEST_P(SessionStoreContract, ListFiltersByStatusAndChannel) {
    const std::vector<std::pair<Channel, SessionStatus>> shapes = {
        {Channel::kVoice, SessionStatus::kActive}, {Channel::kVoice, SessionStatus::kEnded},
        {Channel::kSms, SessionStatus::kActive},   {Channel::kSms, SessionStatus::kEnded},
        {Channel::kChat, SessionStatus::kActive},  {Channel::kWhatsapp, SessionStatus::kEnded},
    };
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        Session session = make_session(static_cast<int>(i) + 1);
        session.channel = shapes[i].first;
        session.status = shapes[i].second;
        if (session.status == SessionStatus::kEnded) session.end_time = core::from_unix_ms(kBaseMs + 1000);
        insert(session);
    }
    insert(make_session(100, Platform::kJoromi));  // active voice, on the other platform

    SessionQuery active;
    active.status = SessionStatus::kActive;
    EXPECT_EQ(ids_of(list(active)), (std::vector<std::string>{session_id(5), session_id(3), session_id(1)}));

    SessionQuery sms;
    sms.channel = Channel::kSms;
    EXPECT_EQ(ids_of(list(sms)), (std::vector<std::string>{session_id(4), session_id(3)}));

    SessionQuery ended_voice;
    ended_voice.status = SessionStatus::kEnded;
    ended_voice.channel = Channel::kVoice;
    EXPECT_EQ(ids_of(list(ended_voice)), (std::vector<std::string>{session_id(2)}));

    SessionQuery none;
    none.status = SessionStatus::kActive;
    none.channel = Channel::kWhatsapp;
    EXPECT_TRUE(list(none).empty());
}

TEST_P(SessionStoreContract, ListIsNewestFirstAndHonoursTheLimit) {
    for (int n : {3, 1, 5, 2, 4}) insert(make_session(n));

    SessionQuery query;
    EXPECT_EQ(ids_of(list(query)),
              (std::vector<std::string>{session_id(5), session_id(4), session_id(3), session_id(2), session_id(1)}));
    query.limit = 2;
    EXPECT_EQ(ids_of(list(query)), (std::vector<std::string>{session_id(5), session_id(4)}));
}

TEST_P(SessionStoreContract, CursorPagesThroughEveryRowWithoutGapsOrRepeats) {
    std::vector<std::string> expected;
    for (int n = 1; n <= 23; ++n) {
        Session session = make_session(n);
        session.channel = n % 2 == 0 ? Channel::kSms : Channel::kVoice;
        insert(session);
        insert(make_session(1000 + n, Platform::kJoromi));
        expected.push_back(session.id);
    }
    std::reverse(expected.begin(), expected.end());

    for (int page_size : {1, 5, 23, 50}) {
        EXPECT_EQ(page_through(SessionQuery{}, page_size), expected) << "page size " << page_size;
    }

    std::vector<std::string> sms;
    for (int n = 22; n >= 2; n -= 2) sms.push_back(session_id(n));
    SessionQuery filtered;
    filtered.channel = Channel::kSms;
    EXPECT_EQ(page_through(filtered, 4), sms);
}

TEST_P(SessionStoreContract, EndSetsStatusAndEndTimeOnlyOnce) {
    const Session session = make_session(1);
    insert(session);
    const auto first = core::from_unix_ms(kBaseMs + 10'000);
    const auto second = core::from_unix_ms(kBaseMs + 20'000);

    auto ended = store().end(Platform::kTetrix, session.id, first);
    ASSERT_TRUE(ended) << ended.error().message;
    ASSERT_TRUE(ended.value().has_value());
    EXPECT_EQ(ended.value()->status, SessionStatus::kEnded);
    EXPECT_EQ(ended.value()->end_time, first);

    auto again = store().end(Platform::kTetrix, session.id, second);
    ASSERT_TRUE(again) << again.error().message;
    ASSERT_TRUE(again.value().has_value());
    EXPECT_EQ(again.value()->status, SessionStatus::kEnded);
    EXPECT_EQ(again.value()->end_time, first);

    auto found = store().find(Platform::kTetrix, session.id);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value().has_value());
    Session expected = session;
    expected.status = SessionStatus::kEnded;
    expected.end_time = first;
    expect_same(*found.value(), expected);
}

TEST_P(SessionStoreContract, EndUnknownIdReturnsNothing) {
    auto ended = store().end(Platform::kTetrix, session_id(9), core::from_unix_ms(kBaseMs));
    ASSERT_TRUE(ended) << ended.error().message;
    EXPECT_FALSE(ended.value().has_value());
}

TEST_P(SessionStoreContract, ConcurrentInsertsAllSucceed) {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                Session session =
                    make_session(t * kPerThread + i + 1, t % 2 == 0 ? Platform::kTetrix : Platform::kJoromi);
                if (!store().insert(session)) ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);

    std::size_t total = 0;
    for (Platform platform : core::kAllPlatforms) {
        SessionQuery query;
        query.platform = platform;
        query.limit = 1000;
        total += list(query).size();
    }
    EXPECT_EQ(total, static_cast<std::size_t>(kThreads * kPerThread));
}

TEST_P(SessionStoreContract, ConcurrentEndsAgreeOnOneEndTime) {
    const Session session = make_session(1);
    insert(session);
    constexpr int kThreads = 6;
    std::vector<std::optional<core::TimePoint>> seen(kThreads);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto ended = store().end(Platform::kTetrix, session.id, core::from_unix_ms(kBaseMs + 1000 * (t + 1)));
            if (!ended || !ended.value()) {
                ++failures;
                return;
            }
            seen[static_cast<std::size_t>(t)] = ended.value()->end_time;
        });
    }
    for (auto& thread : threads) thread.join();
    ASSERT_EQ(failures.load(), 0);
    for (const auto& end_time : seen) EXPECT_EQ(end_time, seen.front());
}

INSTANTIATE_TEST_SUITE_P(Adapters, SessionStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
