#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <iterator>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/call.hpp"
#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::Platform;
using core::ivr::Awaiting;
using core::ivr::IvrState;
using core::ports::IvrCallRecord;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(kBaseMs + ms); }

constexpr Awaiting kEveryAwaiting[] = {Awaiting::kNothing, Awaiting::kMenu,  Awaiting::kCollect, Awaiting::kRecording,
                                       Awaiting::kDial,    Awaiting::kQueue, Awaiting::kEnded};

// A state with every field set to something other than its default.
IvrState busy_state() {
    IvrState state;
    state.flow = "support";
    state.node = "account_number";
    state.awaiting = Awaiting::kCollect;
    state.attempts = 2;
    state.language = "es-MX";
    state.voice = "Polly.Mia-Neural";
    state.variables = {
        {"account", "12345"},
        {"name", "Zoë Ødegård 日本語 📞"},
        {"ñandú", "\"quoted\", back\\slash, new\nline, tab\t"},
        {"empty", ""},
    };
    state.step = 7;
    state.outcome = "transferred";
    return state;
}

IvrCallRecord make_record(const std::string& call_id, Platform platform = Platform::kTetrix) {
    IvrCallRecord record;
    record.call_id = call_id;
    record.platform = platform;
    record.state.flow = "support";
    record.reply = R"(<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hola</Say></Response>)";
    record.updated_at = at(10);
    return record;
}

void expect_same(const IvrCallRecord& actual, const IvrCallRecord& expected) {
    EXPECT_EQ(actual.call_id, expected.call_id);
    EXPECT_EQ(actual.platform, expected.platform);
    EXPECT_EQ(actual.state.flow, expected.state.flow);
    EXPECT_EQ(actual.state.node, expected.state.node);
    EXPECT_EQ(actual.state.awaiting, expected.state.awaiting);
    EXPECT_EQ(actual.state.attempts, expected.state.attempts);
    EXPECT_EQ(actual.state.language, expected.state.language);
    EXPECT_EQ(actual.state.voice, expected.state.voice);
    EXPECT_EQ(actual.state.variables, expected.state.variables);
    EXPECT_EQ(actual.state.step, expected.state.step);
    EXPECT_EQ(actual.state.outcome, expected.state.outcome);
    EXPECT_TRUE(actual.state == expected.state);  // catches a field added to IvrState but not stored
    EXPECT_EQ(actual.reply, expected.reply);
    EXPECT_EQ(actual.cursor, expected.cursor);
    EXPECT_EQ(actual.version, expected.version);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
}

class IvrCallStoreContract : public StoreContractTest {
  protected:
    core::ports::IvrCallStore& store() { return backend().ivr_calls(); }

    // A record belongs to a call: store the call first.
    void insert_call(const std::string& id, Platform platform = Platform::kTetrix) {
        core::Call call;
        call.id = id;
        call.platform = platform;
        call.session_id = "ses_" + id;
        call.direction = core::CallDirection::kInbound;
        call.from = "+15550000001";
        call.to = "+15550100001";
        call.created_at = at(0);
        call.updated_at = at(0);
        auto inserted = backend().calls().insert(call);
        ASSERT_TRUE(inserted) << inserted.error().message;
    }

    void create(const IvrCallRecord& record) {
        auto created = store().create(record);
        ASSERT_TRUE(created) << created.error().message;
    }

    // The record as stored now; a failed or empty lookup fails the test and yields a default record.
    IvrCallRecord stored(const std::string& call_id) {
        auto found = store().find(call_id);
        EXPECT_TRUE(found) << found.error().message;
        if (!found) return {};
        EXPECT_TRUE(found.value().has_value()) << call_id;
        return found.value().value_or(IvrCallRecord{});
    }
};

// ---- create, find

TEST_P(IvrCallStoreContract, CreateStoresEveryFieldAtVersionOne) {
    insert_call("call_1", Platform::kJoromi);
    IvrCallRecord record = make_record("call_1", Platform::kJoromi);
    record.state = busy_state();
    record.cursor = 3;
    record.version = 17;  // ignored: a created record is version 1
    create(record);

    IvrCallRecord expected = record;
    expected.version = 1;
    expect_same(stored("call_1"), expected);
}

TEST_P(IvrCallStoreContract, ADefaultStateRoundTrips) {
    insert_call("call_1");
    IvrCallRecord record;
    record.call_id = "call_1";
    create(record);

    IvrCallRecord expected = record;
    expected.version = 1;
    const IvrCallRecord found = stored("call_1");
    expect_same(found, expected);
    EXPECT_TRUE(found.state.variables.empty());
    EXPECT_TRUE(found.state.node.empty());
    EXPECT_TRUE(found.reply.empty());
}

TEST_P(IvrCallStoreContract, FindOfACallWithoutARecordIsEmpty) {
    insert_call("call_1");
    for (const char* id : {"call_1", "call_unknown"}) {
        auto found = store().find(id);
        ASSERT_TRUE(found) << found.error().message;
        EXPECT_FALSE(found.value().has_value()) << id;
    }
}

TEST_P(IvrCallStoreContract, CreatingARecordTwiceIsAConflictAndKeepsTheFirst) {
    insert_call("call_1");
    IvrCallRecord first = make_record("call_1");
    first.state = busy_state();
    create(first);

    IvrCallRecord second = make_record("call_1");
    second.state.node = "other";
    second.reply = "<Response><Hangup/></Response>";
    auto again = store().create(second);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);

    IvrCallRecord expected = first;
    expected.version = 1;
    expect_same(stored("call_1"), expected);
}

TEST_P(IvrCallStoreContract, RecordsOfDifferentCallsAreIndependent) {
    insert_call("call_1", Platform::kTetrix);
    insert_call("call_2", Platform::kJoromi);
    IvrCallRecord one = make_record("call_1", Platform::kTetrix);
    IvrCallRecord two = make_record("call_2", Platform::kJoromi);
    two.state = busy_state();
    create(one);
    create(two);

    one.version = 1;
    one.state.step = 1;
    auto updated = store().update(one);
    ASSERT_TRUE(updated) << updated.error().message;

    two.version = 1;
    expect_same(stored("call_2"), two);
    EXPECT_EQ(stored("call_1").version, 2);
}

// ---- update

TEST_P(IvrCallStoreContract, UpdateReplacesTheRecordAndReturnsTheNewVersion) {
    insert_call("call_1");
    create(make_record("call_1"));

    IvrCallRecord next = make_record("call_1");
    next.version = 1;
    next.state = busy_state();
    next.reply = "<Response><Gather numDigits=\"5\"><Say>Account number?</Say></Gather></Response>";
    next.cursor = 1;
    next.updated_at = at(200);
    auto second = store().update(next);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second.value(), 2);
    IvrCallRecord expected = next;
    expected.version = 2;
    expect_same(stored("call_1"), expected);

    // Everything replaced again, back to plain values: nothing of the previous state lingers.
    IvrCallRecord plain = make_record("call_1");
    plain.version = 2;
    plain.updated_at = at(300);
    auto third = store().update(plain);
    ASSERT_TRUE(third) << third.error().message;
    EXPECT_EQ(third.value(), 3);
    expected = plain;
    expected.version = 3;
    expect_same(stored("call_1"), expected);
}

TEST_P(IvrCallStoreContract, EveryAwaitingValueRoundTrips) {
    insert_call("call_1");
    IvrCallRecord record = make_record("call_1");
    create(record);
    record.version = 1;
    for (const Awaiting awaiting : kEveryAwaiting) {
        record.state.awaiting = awaiting;
        auto updated = store().update(record);
        ASSERT_TRUE(updated) << updated.error().message;
        record.version = updated.value();
        const IvrCallRecord found = stored("call_1");
        EXPECT_EQ(found.state.awaiting, awaiting) << static_cast<int>(awaiting);
        expect_same(found, record);
    }
    EXPECT_EQ(record.version, 1 + static_cast<int>(std::size(kEveryAwaiting)));
}

TEST_P(IvrCallStoreContract, AnUpdateFromAStaleVersionIsAConflictAndChangesNothing) {
    insert_call("call_1");
    create(make_record("call_1"));

    // Two callbacks both read version 1; the first to write wins.
    IvrCallRecord winner = make_record("call_1");
    winner.version = 1;
    winner.state.step = 1;
    winner.state.node = "menu";
    ASSERT_TRUE(store().update(winner));

    IvrCallRecord loser = make_record("call_1");
    loser.version = 1;
    loser.state.step = 1;
    loser.state.node = "other";
    loser.reply = "<Response><Hangup/></Response>";
    auto stale = store().update(loser);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, core::ErrorCode::kConflict);

    // A version from the future is no better.
    loser.version = 9;
    auto ahead = store().update(loser);
    ASSERT_FALSE(ahead);
    EXPECT_EQ(ahead.error().code, core::ErrorCode::kConflict);

    IvrCallRecord expected = winner;
    expected.version = 2;
    expect_same(stored("call_1"), expected);
}

TEST_P(IvrCallStoreContract, UpdatingACallWithoutARecordIsNotFound) {
    insert_call("call_1");
    for (const char* id : {"call_1", "call_unknown"}) {
        IvrCallRecord record = make_record(id);
        record.version = 1;
        auto updated = store().update(record);
        ASSERT_FALSE(updated) << id;
        EXPECT_EQ(updated.error().code, core::ErrorCode::kNotFound) << id;
    }
    auto found = store().find("call_1");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_FALSE(found.value().has_value());
}

// ---- concurrency

TEST_P(IvrCallStoreContract, ConcurrentReadModifyWriteNeverLosesAnUpdate) {
    insert_call("call_1");
    create(make_record("call_1"));

    // Each worker reloads and re-decides on kConflict, as the IVR use-case does; step counts the applied inputs.
    constexpr int kThreads = 4;
    constexpr int kPerThread = 10;
    std::atomic<int> failures{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            start.arrive_and_wait();
            for (int i = 0; i < kPerThread; ++i) {
                for (;;) {
                    auto found = store().find("call_1");
                    if (!found || !found.value()) {
                        ++failures;
                        return;
                    }
                    IvrCallRecord record = *found.value();
                    record.state.step += 1;
                    record.state.variables["last"] = std::to_string(record.state.step);
                    auto updated = store().update(record);
                    if (updated) break;
                    if (updated.error().code != core::ErrorCode::kConflict) {
                        ++failures;
                        return;
                    }
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    const IvrCallRecord after = stored("call_1");
    EXPECT_EQ(after.state.step, kThreads * kPerThread);
    EXPECT_EQ(after.version, 1 + kThreads * kPerThread);
    EXPECT_EQ(after.state.variables.at("last"), std::to_string(kThreads * kPerThread));
}

INSTANTIATE_TEST_SUITE_P(Adapters, IvrCallStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
