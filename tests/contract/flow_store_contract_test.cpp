#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store_backends.hpp"
#include "support/error_detail.hpp"

namespace crossvoice::contract {
namespace {

using core::Platform;
using core::ports::NumberRoute;
using core::ports::StoredFlow;
using Numbers = std::vector<std::string>;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(kBaseMs + ms); }

StoredFlow make_flow(Platform platform, const std::string& name, Numbers numbers = {},
                     const std::string& origin = "api") {
    StoredFlow flow;
    flow.platform = platform;
    flow.name = name;
    flow.source_text = "name: " + name + "\nstart: welcome\nnodes:\n  welcome:\n    say: Hello\n";
    flow.origin = origin;
    flow.numbers = std::move(numbers);
    return flow;
}

// The port does not promise an order for a flow's numbers: compare them as sets.
Numbers sorted(Numbers numbers) {
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

std::vector<std::string> names_of(const std::vector<StoredFlow>& flows) {
    std::vector<std::string> names;
    for (const auto& flow : flows) names.push_back(flow.name);
    return names;
}

using crossvoice::testing::detail;

class FlowStoreContract : public StoreContractTest {
  protected:
    core::ports::FlowStore& store() { return backend().flows(); }

    StoredFlow put(const StoredFlow& flow, std::int64_t ms = 0) {
        auto stored = store().put(flow, at(ms));
        EXPECT_TRUE(stored) << stored.error().message;
        return stored ? stored.value() : StoredFlow{};
    }

    std::optional<StoredFlow> find(Platform platform, const std::string& name) {
        auto found = store().find(platform, name);
        EXPECT_TRUE(found) << found.error().message;
        return found ? found.value() : std::nullopt;
    }

    std::optional<NumberRoute> route(const std::string& number) {
        auto found = store().route_for(number);
        EXPECT_TRUE(found) << found.error().message;
        return found ? found.value() : std::nullopt;
    }

    std::vector<StoredFlow> list(Platform platform) {
        auto listed = store().list(platform);
        EXPECT_TRUE(listed) << listed.error().message;
        return listed ? listed.value() : std::vector<StoredFlow>{};
    }

    std::vector<StoredFlow> list_all() {
        auto listed = store().list_all();
        EXPECT_TRUE(listed) << listed.error().message;
        return listed ? listed.value() : std::vector<StoredFlow>{};
    }

    // The number routes to exactly (platform, flow).
    void expect_route(const std::string& number, Platform platform, const std::string& flow) {
        const auto found = route(number);
        ASSERT_TRUE(found.has_value()) << number;
        EXPECT_EQ(found->number, number);
        EXPECT_EQ(found->platform, platform) << number;
        EXPECT_EQ(found->flow, flow) << number;
    }

    void expect_no_route(const std::string& number) { EXPECT_FALSE(route(number).has_value()) << number; }
};

void expect_same(const StoredFlow& actual, const StoredFlow& expected) {
    EXPECT_EQ(actual.platform, expected.platform);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.source_text, expected.source_text);
    EXPECT_EQ(actual.origin, expected.origin);
    EXPECT_EQ(sorted(actual.numbers), sorted(expected.numbers));
    EXPECT_EQ(actual.version, expected.version);
    EXPECT_EQ(actual.updated_at, expected.updated_at);
}

// ---- put, find, versions

TEST_P(FlowStoreContract, AFirstPutStoresVersionOneAtItsTime) {
    StoredFlow flow = make_flow(Platform::kJoromi, "support", {"+15550100002", "+15550100001"}, "file");
    flow.source_text = "name: support\n# Grüße, 日本語, emoji 📞\nstart: welcome\n";
    flow.version = 41;  // ignored: the store counts
    flow.updated_at = at(-5000);

    auto stored = store().put(flow, at(100));
    ASSERT_TRUE(stored) << stored.error().message;
    StoredFlow expected = flow;
    expected.version = 1;
    expected.updated_at = at(100);
    expect_same(stored.value(), expected);

    const auto found = find(Platform::kJoromi, "support");
    ASSERT_TRUE(found.has_value());
    expect_same(*found, expected);
}

TEST_P(FlowStoreContract, EveryPutAddsOneToTheVersionAndReplacesTheDocument) {
    put(make_flow(Platform::kTetrix, "sales", {"+15550100001"}, "file"), 10);

    StoredFlow changed = make_flow(Platform::kTetrix, "sales", {"+15550100001"}, "api");
    changed.source_text = "name: sales\nstart: changed\n";
    const StoredFlow second = put(changed, 20);
    EXPECT_EQ(second.version, 2);
    EXPECT_EQ(second.updated_at, at(20));
    EXPECT_EQ(second.origin, "api");

    const StoredFlow third = put(make_flow(Platform::kTetrix, "sales", {"+15550100001"}, "file"), 30);
    EXPECT_EQ(third.version, 3);

    const auto found = find(Platform::kTetrix, "sales");
    ASSERT_TRUE(found.has_value());
    expect_same(*found, third);
    EXPECT_EQ(found->origin, "file");
    EXPECT_EQ(found->source_text, make_flow(Platform::kTetrix, "sales").source_text);
}

TEST_P(FlowStoreContract, AnEmptyStoreHasNoFlowsAndNoRoutes) {
    EXPECT_TRUE(list(Platform::kTetrix).empty());
    EXPECT_TRUE(list_all().empty());
    EXPECT_FALSE(find(Platform::kTetrix, "support").has_value());
    expect_no_route("+15550100001");
}

TEST_P(FlowStoreContract, FlowsOfTheSameNameOnTwoPlatformsAreDistinct) {
    put(make_flow(Platform::kTetrix, "support", {"+15550100001"}), 10);
    put(make_flow(Platform::kTetrix, "support", {"+15550100001"}), 20);
    StoredFlow joromi = make_flow(Platform::kJoromi, "support", {"+15550100002"});
    joromi.source_text = "name: support\n# the JoRoMi one\n";
    put(joromi, 30);

    const auto tetrix_found = find(Platform::kTetrix, "support");
    ASSERT_TRUE(tetrix_found.has_value());
    EXPECT_EQ(tetrix_found->version, 2);
    EXPECT_EQ(tetrix_found->numbers, Numbers{"+15550100001"});

    const auto joromi_found = find(Platform::kJoromi, "support");
    ASSERT_TRUE(joromi_found.has_value());
    EXPECT_EQ(joromi_found->version, 1);
    EXPECT_EQ(joromi_found->source_text, joromi.source_text);
    EXPECT_EQ(joromi_found->numbers, Numbers{"+15550100002"});

    put(make_flow(Platform::kTetrix, "tetrix_only"), 40);
    EXPECT_FALSE(find(Platform::kJoromi, "tetrix_only").has_value());
}

// ---- list

TEST_P(FlowStoreContract, ListIsSortedByNameAndHoldsOnlyThatPlatform) {
    for (const char* name : {"sales", "after_hours", "support"}) put(make_flow(Platform::kTetrix, name));
    put(make_flow(Platform::kJoromi, "billing", {"+15550100009"}));
    put(make_flow(Platform::kTetrix, "main", {"+15550100002", "+15550100001"}));

    const auto tetrix = list(Platform::kTetrix);
    EXPECT_EQ(names_of(tetrix), (std::vector<std::string>{"after_hours", "main", "sales", "support"}));
    for (const auto& flow : tetrix) {
        EXPECT_EQ(flow.platform, Platform::kTetrix);
        EXPECT_EQ(flow.version, 1);
        EXPECT_EQ(sorted(flow.numbers), flow.name == "main" ? (Numbers{"+15550100001", "+15550100002"}) : Numbers{})
            << flow.name;
    }

    const auto joromi = list(Platform::kJoromi);
    ASSERT_EQ(names_of(joromi), std::vector<std::string>{"billing"});
    EXPECT_EQ(joromi[0].numbers, Numbers{"+15550100009"});
    EXPECT_EQ(joromi[0].source_text, make_flow(Platform::kJoromi, "billing").source_text);
}

TEST_P(FlowStoreContract, ListAllHoldsEveryPlatformSortedByName) {
    put(make_flow(Platform::kTetrix, "support", {"+15550100001"}));
    put(make_flow(Platform::kJoromi, "billing", {"+15550100002"}));
    put(make_flow(Platform::kTetrix, "after_hours"));
    put(make_flow(Platform::kJoromi, "welcome"));

    const auto all = list_all();
    EXPECT_EQ(names_of(all), (std::vector<std::string>{"after_hours", "billing", "support", "welcome"}));
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[0].platform, Platform::kTetrix);
    EXPECT_EQ(all[1].platform, Platform::kJoromi);
    EXPECT_EQ(all[1].numbers, Numbers{"+15550100002"});
    EXPECT_EQ(all[2].platform, Platform::kTetrix);
    EXPECT_EQ(all[2].numbers, Numbers{"+15550100001"});
    EXPECT_EQ(all[3].platform, Platform::kJoromi);
}

// ---- numbers

TEST_P(FlowStoreContract, EveryNumberOfAFlowRoutesToIt) {
    put(make_flow(Platform::kTetrix, "support", {"+15550100001", "+15550100002"}));
    put(make_flow(Platform::kJoromi, "billing", {"+442071838750"}));

    expect_route("+15550100001", Platform::kTetrix, "support");
    expect_route("+15550100002", Platform::kTetrix, "support");
    expect_route("+442071838750", Platform::kJoromi, "billing");
    expect_no_route("+15550100003");
}

TEST_P(FlowStoreContract, ANumberOfAFlowOnAnotherPlatformIsAConflictAndNothingChanges) {
    const StoredFlow owner = put(make_flow(Platform::kTetrix, "support", {"+15550100001"}), 10);
    const StoredFlow before = put(make_flow(Platform::kJoromi, "billing", {"+15550100002"}), 20);

    StoredFlow grab = make_flow(Platform::kJoromi, "billing", {"+15550100002", "+15550100003", "+15550100001"});
    grab.source_text = "name: billing\n# would change\n";
    grab.origin = "file";
    auto refused = store().put(grab, at(30));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(detail(refused.error(), "number"), std::optional<std::string>("+15550100001"));
    EXPECT_EQ(detail(refused.error(), "platform"), std::optional<std::string>("tetrix"));
    EXPECT_EQ(detail(refused.error(), "flow"), std::optional<std::string>("support"));

    // Neither flow moved: not the document, version, time or numbers of either, and no number was half-added.
    const auto billing = find(Platform::kJoromi, "billing");
    ASSERT_TRUE(billing.has_value());
    expect_same(*billing, before);
    const auto support = find(Platform::kTetrix, "support");
    ASSERT_TRUE(support.has_value());
    expect_same(*support, owner);
    expect_route("+15550100001", Platform::kTetrix, "support");
    expect_route("+15550100002", Platform::kJoromi, "billing");
    expect_no_route("+15550100003");
}

TEST_P(FlowStoreContract, ANumberOfAnotherFlowOnTheSamePlatformIsAConflictAndANewFlowIsNotCreated) {
    put(make_flow(Platform::kTetrix, "support", {"+15550100001"}));

    auto refused = store().put(make_flow(Platform::kTetrix, "sales", {"+15550100001"}), at(10));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(detail(refused.error(), "number"), std::optional<std::string>("+15550100001"));
    EXPECT_EQ(detail(refused.error(), "platform"), std::optional<std::string>("tetrix"));
    EXPECT_EQ(detail(refused.error(), "flow"), std::optional<std::string>("support"));
    // The message alone must let an operator resolve it.
    EXPECT_NE(refused.error().message.find("+15550100001"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("support"), std::string::npos) << refused.error().message;

    EXPECT_FALSE(find(Platform::kTetrix, "sales").has_value());
    EXPECT_EQ(names_of(list(Platform::kTetrix)), std::vector<std::string>{"support"});
    expect_route("+15550100001", Platform::kTetrix, "support");
}

TEST_P(FlowStoreContract, PuttingAFlowAgainWithItsOwnNumbersIsNoConflict) {
    put(make_flow(Platform::kJoromi, "support", {"+15550100001", "+15550100002"}));
    const StoredFlow again = put(make_flow(Platform::kJoromi, "support", {"+15550100002", "+15550100001"}), 10);
    EXPECT_EQ(again.version, 2);
    EXPECT_EQ(sorted(again.numbers), (Numbers{"+15550100001", "+15550100002"}));
    expect_route("+15550100001", Platform::kJoromi, "support");
    expect_route("+15550100002", Platform::kJoromi, "support");
}

TEST_P(FlowStoreContract, ReplacingAFlowsNumbersFreesTheOldOnes) {
    put(make_flow(Platform::kTetrix, "support", {"+15550100001", "+15550100002"}));
    const StoredFlow replaced = put(make_flow(Platform::kTetrix, "support", {"+15550100002", "+15550100003"}), 10);
    EXPECT_EQ(sorted(replaced.numbers), (Numbers{"+15550100002", "+15550100003"}));

    expect_no_route("+15550100001");
    expect_route("+15550100002", Platform::kTetrix, "support");
    expect_route("+15550100003", Platform::kTetrix, "support");
    const auto found = find(Platform::kTetrix, "support");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(sorted(found->numbers), (Numbers{"+15550100002", "+15550100003"}));

    // The freed number is anyone's, on any platform.
    put(make_flow(Platform::kJoromi, "billing", {"+15550100001"}), 20);
    expect_route("+15550100001", Platform::kJoromi, "billing");

    // No numbers at all: the flow stays, routing nothing.
    const StoredFlow silent = put(make_flow(Platform::kTetrix, "support"), 30);
    EXPECT_TRUE(silent.numbers.empty());
    expect_no_route("+15550100002");
    expect_no_route("+15550100003");
    const auto kept = find(Platform::kTetrix, "support");
    ASSERT_TRUE(kept.has_value());
    EXPECT_TRUE(kept->numbers.empty());
    EXPECT_EQ(kept->version, 3);
}

// ---- remove

TEST_P(FlowStoreContract, RemoveDeletesTheFlowAndItsNumbersStopRouting) {
    put(make_flow(Platform::kTetrix, "support", {"+15550100001", "+15550100002"}));
    put(make_flow(Platform::kTetrix, "sales", {"+15550100003"}));

    auto removed = store().remove(Platform::kTetrix, "support");
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_FALSE(find(Platform::kTetrix, "support").has_value());
    EXPECT_EQ(names_of(list(Platform::kTetrix)), std::vector<std::string>{"sales"});
    EXPECT_EQ(names_of(list_all()), std::vector<std::string>{"sales"});
    expect_no_route("+15550100001");
    expect_no_route("+15550100002");
    expect_route("+15550100003", Platform::kTetrix, "sales");

    // Freed: another flow may take the numbers.
    put(make_flow(Platform::kJoromi, "billing", {"+15550100001"}), 10);
    expect_route("+15550100001", Platform::kJoromi, "billing");
}

TEST_P(FlowStoreContract, RemovingAFlowThatDoesNotExistIsNotFound) {
    auto missing = store().remove(Platform::kTetrix, "support");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);

    put(make_flow(Platform::kTetrix, "support", {"+15550100001"}));
    ASSERT_TRUE(store().remove(Platform::kTetrix, "support"));
    auto again = store().remove(Platform::kTetrix, "support");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kNotFound);
}

TEST_P(FlowStoreContract, RemoveIsScopedToThePlatform) {
    put(make_flow(Platform::kTetrix, "support", {"+15550100001"}));

    auto other = store().remove(Platform::kJoromi, "support");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(find(Platform::kTetrix, "support").has_value());
    expect_route("+15550100001", Platform::kTetrix, "support");
}

// ---- concurrency

TEST_P(FlowStoreContract, ConcurrentPutsForOneNumberHaveExactlyOneWinner) {
    constexpr int kThreads = 6;
    std::atomic<int> won{0};
    std::atomic<int> refused{0};
    std::atomic<int> failures{0};
    std::vector<std::string> winners(kThreads);
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            const Platform platform = t % 2 == 0 ? Platform::kTetrix : Platform::kJoromi;
            const std::string name = "flow_" + std::to_string(t);
            start.arrive_and_wait();
            auto result =
                store().put(make_flow(platform, name, {"+15550100001", "+1555010010" + std::to_string(t)}), at(t));
            if (result) {
                ++won;
                winners[static_cast<std::size_t>(t)] = name;
            } else if (result.error().code == core::ErrorCode::kConflict) {
                ++refused;
            } else {
                ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(refused.load(), kThreads - 1);

    const auto winner = std::find_if(winners.begin(), winners.end(), [](const auto& name) { return !name.empty(); });
    ASSERT_NE(winner, winners.end());
    const auto found = route("+15550100001");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->flow, *winner);
    // The losers left nothing behind: one flow, whose own second number is the only other route.
    EXPECT_EQ(names_of(list_all()), std::vector<std::string>{*winner});
}

INSTANTIATE_TEST_SUITE_P(Adapters, FlowStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
