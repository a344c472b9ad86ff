#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::AuditEntry;
using core::Platform;
using core::ports::AuditQuery;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;

AuditEntry make_entry(int n, std::optional<Platform> platform = Platform::kTetrix) {
    AuditEntry entry;
    entry.time = core::from_unix_ms(kBaseMs + n);
    entry.platform = platform;
    entry.key_id = "key_" + std::to_string(n % 3);
    entry.action = "session.create";
    entry.target = "session:ses_" + std::to_string(n);
    entry.request_id = "req-" + std::to_string(n);
    entry.outcome = n % 2 == 0 ? "success" : "validation_failed";
    entry.status = n % 2 == 0 ? 201 : 422;
    return entry;
}

void expect_same(const AuditEntry& actual, const AuditEntry& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.time, expected.time);
    EXPECT_EQ(actual.platform, expected.platform);
    EXPECT_EQ(actual.key_id, expected.key_id);
    EXPECT_EQ(actual.action, expected.action);
    EXPECT_EQ(actual.target, expected.target);
    EXPECT_EQ(actual.request_id, expected.request_id);
    EXPECT_EQ(actual.outcome, expected.outcome);
    EXPECT_EQ(actual.status, expected.status);
}

std::vector<std::int64_t> ids_of(const std::vector<AuditEntry>& entries) {
    std::vector<std::int64_t> ids;
    for (const auto& entry : entries) ids.push_back(entry.id);
    return ids;
}

class AuditStoreContract : public StoreContractTest {
  protected:
    core::ports::AuditStore& store() { return backend().audit(); }

    // Appends and returns the entry as the store should now hold it (with its id).
    AuditEntry append(AuditEntry entry) {
        auto id = store().append(entry);
        EXPECT_TRUE(id) << id.error().message;
        entry.id = id ? id.value() : -1;
        return entry;
    }

    std::vector<AuditEntry> list(const AuditQuery& query) {
        auto listed = store().list(query);
        EXPECT_TRUE(listed) << listed.error().message;
        return listed ? listed.value() : std::vector<AuditEntry>{};
    }
};

TEST_P(AuditStoreContract, AppendReturnsIncreasingIds) {
    std::int64_t previous = 0;
    for (int n = 1; n <= 10; ++n) {
        const auto entry = append(make_entry(n, n % 2 == 0 ? std::optional(Platform::kJoromi) : std::nullopt));
        EXPECT_GT(entry.id, previous);
        previous = entry.id;
    }
}

TEST_P(AuditStoreContract, ListReturnsEveryFieldNewestFirst) {
    const auto first = append(make_entry(1));
    const auto second = append(make_entry(2));
    const auto third = append(make_entry(3));

    const auto listed = list(AuditQuery{Platform::kTetrix, 50, std::nullopt});
    ASSERT_EQ(listed.size(), 3U);
    expect_same(listed[0], third);
    expect_same(listed[1], second);
    expect_same(listed[2], first);
}

TEST_P(AuditStoreContract, ListIsScopedToOnePlatform) {
    const auto tetrix = append(make_entry(1, Platform::kTetrix));
    const auto joromi = append(make_entry(2, Platform::kJoromi));

    EXPECT_EQ(ids_of(list(AuditQuery{Platform::kTetrix, 50, std::nullopt})), (std::vector<std::int64_t>{tetrix.id}));
    const auto listed = list(AuditQuery{Platform::kJoromi, 50, std::nullopt});
    ASSERT_EQ(listed.size(), 1U);
    expect_same(listed[0], joromi);
}

TEST_P(AuditStoreContract, RowsWithoutAPlatformAreNeverListed) {
    append(make_entry(1, std::nullopt));
    const auto tetrix = append(make_entry(2, Platform::kTetrix));
    append(make_entry(3, std::nullopt));

    EXPECT_EQ(ids_of(list(AuditQuery{Platform::kTetrix, 50, std::nullopt})), (std::vector<std::int64_t>{tetrix.id}));
    EXPECT_TRUE(list(AuditQuery{Platform::kJoromi, 50, std::nullopt}).empty());
}

TEST_P(AuditStoreContract, LimitAndCursorPageThroughEveryRow) {
    std::vector<std::int64_t> expected;
    for (int n = 1; n <= 17; ++n) {
        expected.insert(expected.begin(), append(make_entry(n, Platform::kJoromi)).id);
        append(make_entry(100 + n, Platform::kTetrix));
        append(make_entry(200 + n, std::nullopt));
    }
    for (int page_size : {1, 4, 17, 40}) {
        std::vector<std::int64_t> seen;
        AuditQuery query{Platform::kJoromi, page_size, std::nullopt};
        for (int pages = 0; pages < 100; ++pages) {
            const auto page = list(query);
            EXPECT_LE(static_cast<int>(page.size()), page_size);
            for (const auto& entry : page) seen.push_back(entry.id);
            if (static_cast<int>(page.size()) < page_size) break;
            query.before_id = page.back().id;
        }
        EXPECT_EQ(seen, expected) << "page size " << page_size;
    }
}

TEST_P(AuditStoreContract, ConcurrentAppendsGetDistinctIds) {
    constexpr int kThreads = 6;
    constexpr int kPerThread = 20;
    std::atomic<int> failures{0};
    std::vector<std::vector<std::int64_t>> ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto id = store().append(make_entry(t * kPerThread + i));
                if (!id) {
                    ++failures;
                    continue;
                }
                ids[static_cast<std::size_t>(t)].push_back(id.value());
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    std::set<std::int64_t> distinct;
    for (const auto& per_thread : ids) distinct.insert(per_thread.begin(), per_thread.end());
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kPerThread));
    EXPECT_EQ(list(AuditQuery{Platform::kTetrix, 1000, std::nullopt}).size(),
              static_cast<std::size_t>(kThreads * kPerThread));
}

INSTANTIATE_TEST_SUITE_P(Adapters, AuditStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
