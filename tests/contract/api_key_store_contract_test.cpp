#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::ApiKey;
using core::Platform;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;

ApiKey make_key(int n, Platform platform = Platform::kTetrix) {
    ApiKey key;
    key.id = "key_" + std::to_string(1000 + n);
    key.platform = platform;
    key.name = "key number " + std::to_string(n);
    key.secret_hash = "hash-" + std::to_string(n);
    key.hint = "ab" + std::to_string(10 + n % 90);
    key.created_at = core::from_unix_ms(kBaseMs + n);
    return key;
}

void expect_same(const ApiKey& actual, const ApiKey& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.platform, expected.platform);
    EXPECT_EQ(actual.name, expected.name);
    EXPECT_EQ(actual.secret_hash, expected.secret_hash);
    EXPECT_EQ(actual.hint, expected.hint);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.revoked_at, expected.revoked_at);
}

std::vector<std::string> ids_of(const std::vector<ApiKey>& keys) {
    std::vector<std::string> ids;
    for (const auto& key : keys) ids.push_back(key.id);
    return ids;
}

class ApiKeyStoreContract : public StoreContractTest {
  protected:
    core::ports::ApiKeyStore& store() { return backend().api_keys(); }

    void insert(const ApiKey& key) {
        auto inserted = store().insert(key);
        ASSERT_TRUE(inserted) << inserted.error().message;
    }

    std::vector<ApiKey> list(std::optional<Platform> platform) {
        auto listed = store().list(platform);
        EXPECT_TRUE(listed) << listed.error().message;
        return listed ? listed.value() : std::vector<ApiKey>{};
    }
};

TEST_P(ApiKeyStoreContract, FindByHashReturnsEveryFieldAsInserted) {
    const ApiKey live = make_key(1, Platform::kJoromi);
    ApiKey revoked = make_key(2);
    revoked.revoked_at = core::from_unix_ms(kBaseMs + 5'000);
    insert(live);
    insert(revoked);

    for (const ApiKey& key : {live, revoked}) {
        auto found = store().find_by_hash(key.secret_hash);
        ASSERT_TRUE(found) << found.error().message;
        ASSERT_TRUE(found.value().has_value());
        expect_same(*found.value(), key);
    }
}

TEST_P(ApiKeyStoreContract, FindByUnknownHashReturnsNothing) {
    insert(make_key(1));
    auto found = store().find_by_hash("no-such-hash");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_FALSE(found.value().has_value());
}

TEST_P(ApiKeyStoreContract, ARepeatedHashIsAConflict) {
    insert(make_key(1));
    ApiKey twin = make_key(2);
    twin.secret_hash = make_key(1).secret_hash;
    auto inserted = store().insert(twin);
    ASSERT_FALSE(inserted);
    EXPECT_EQ(inserted.error().code, core::ErrorCode::kConflict);
    // The message may reach logs: it must not carry the hash.
    EXPECT_EQ(inserted.error().message.find(twin.secret_hash), std::string::npos);
    EXPECT_EQ(ids_of(list(std::nullopt)), (std::vector<std::string>{make_key(1).id}));
}

TEST_P(ApiKeyStoreContract, ARepeatedIdIsAConflict) {
    insert(make_key(1));
    ApiKey twin = make_key(2);
    twin.id = make_key(1).id;
    auto inserted = store().insert(twin);
    ASSERT_FALSE(inserted);
    EXPECT_EQ(inserted.error().code, core::ErrorCode::kConflict);
}

TEST_P(ApiKeyStoreContract, ListsAllOrOnePlatformOldestFirst) {
    // Inserted out of creation order: the listing must follow created_at, not insertion.
    insert(make_key(3, Platform::kTetrix));
    insert(make_key(1, Platform::kJoromi));
    insert(make_key(4, Platform::kJoromi));
    insert(make_key(2, Platform::kTetrix));

    EXPECT_EQ(ids_of(list(std::nullopt)),
              (std::vector<std::string>{make_key(1).id, make_key(2).id, make_key(3).id, make_key(4).id}));
    EXPECT_EQ(ids_of(list(Platform::kTetrix)), (std::vector<std::string>{make_key(2).id, make_key(3).id}));
    EXPECT_EQ(ids_of(list(Platform::kJoromi)), (std::vector<std::string>{make_key(1).id, make_key(4).id}));
    const auto all = list(std::nullopt);
    ASSERT_EQ(all.size(), 4U);
    expect_same(all[2], make_key(3, Platform::kTetrix));
}

TEST_P(ApiKeyStoreContract, ListOfAnEmptyStoreIsEmpty) {
    EXPECT_TRUE(list(std::nullopt).empty());
    EXPECT_TRUE(list(Platform::kJoromi).empty());
}

TEST_P(ApiKeyStoreContract, RevokingTwiceKeepsTheFirstTime) {
    const ApiKey key = make_key(1);
    insert(key);
    const auto first = core::from_unix_ms(kBaseMs + 10'000);
    const auto second = core::from_unix_ms(kBaseMs + 20'000);

    auto revoked = store().revoke(key.id, first);
    ASSERT_TRUE(revoked) << revoked.error().message;
    ASSERT_TRUE(revoked.value().has_value());
    ApiKey expected = key;
    expected.revoked_at = first;
    expect_same(*revoked.value(), expected);

    auto again = store().revoke(key.id, second);
    ASSERT_TRUE(again) << again.error().message;
    ASSERT_TRUE(again.value().has_value());
    EXPECT_EQ(again.value()->revoked_at, first);

    auto found = store().find_by_hash(key.secret_hash);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value().has_value());
    expect_same(*found.value(), expected);
}

TEST_P(ApiKeyStoreContract, RevokingOneKeyLeavesOthersAlone) {
    insert(make_key(1));
    insert(make_key(2));
    auto revoked = store().revoke(make_key(1).id, core::from_unix_ms(kBaseMs + 10'000));
    ASSERT_TRUE(revoked) << revoked.error().message;
    auto other = store().find_by_hash(make_key(2).secret_hash);
    ASSERT_TRUE(other) << other.error().message;
    ASSERT_TRUE(other.value().has_value());
    EXPECT_FALSE(other.value()->revoked_at.has_value());
}

TEST_P(ApiKeyStoreContract, RevokingAnUnknownIdReturnsNothing) {
    insert(make_key(1));
    auto revoked = store().revoke("key_unknown", core::from_unix_ms(kBaseMs));
    ASSERT_TRUE(revoked) << revoked.error().message;
    EXPECT_FALSE(revoked.value().has_value());
}

INSTANTIATE_TEST_SUITE_P(Adapters, ApiKeyStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
