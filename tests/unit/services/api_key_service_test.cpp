#include "services/api_key_service.hpp"

#include <gtest/gtest.h>

#include "infra/sodium_crypto.hpp"
#include "storage/sqlite/sqlite_api_key_store.hpp"
#include "support/fake_clock.hpp"
#include "support/test_database.hpp"

namespace crossvoice::services {
namespace {

class ApiKeyServiceTest : public ::testing::Test {
  protected:
    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteApiKeyStore store_{*db_};
    infra::SodiumCrypto crypto_;
    testing::FakeClock clock_;
    IdGenerator ids_{clock_, crypto_};
    ApiKeyService keys_{store_, crypto_, clock_, ids_};
};

TEST_F(ApiKeyServiceTest, CreatedKeyAuthenticatesToItsPlatform) {
    auto created = keys_.create(core::Platform::kJoromi, "ci");
    ASSERT_TRUE(created.ok()) << created.error().message;
    EXPECT_EQ(created->secret.rfind("cv_joromi_", 0), 0u);
    EXPECT_EQ(created->secret.size(), 10u + 43u);  // 32 bytes in unpadded base64url
    EXPECT_EQ(created->key.hint, created->secret.substr(created->secret.size() - 4));
    auto principal = keys_.authenticate(created->secret);
    ASSERT_TRUE(principal.ok());
    EXPECT_EQ(principal->platform, core::Platform::kJoromi);
    EXPECT_EQ(principal->key_id, created->key.id);
}

TEST_F(ApiKeyServiceTest, OnlyAHashIsStored) {
    auto created = keys_.create(core::Platform::kTetrix, "ci");
    ASSERT_TRUE(created.ok());
    auto listed = keys_.list(std::nullopt);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].secret_hash, crypto_.hash_secret(created->secret));
    EXPECT_EQ((*listed)[0].secret_hash.find(created->secret.substr(10)), std::string::npos);
}

TEST_F(ApiKeyServiceTest, KeysAreDistinct) {
    auto a = keys_.create(core::Platform::kTetrix, "a");
    auto b = keys_.create(core::Platform::kTetrix, "b");
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(a->secret, b->secret);
    EXPECT_NE(a->key.id, b->key.id);
}

TEST_F(ApiKeyServiceTest, RefusesUnknownMalformedRevokedAndMisattributedKeys) {
    auto created = keys_.create(core::Platform::kTetrix, "ci");
    ASSERT_TRUE(created.ok());
    for (const std::string& bad :
         std::vector<std::string>{"", "cv_", "cv_tetrix_", "cv_tetrix_nope", "Bearer x", "cv_myspace_abc",
                                  "cv_joromi_" + created->secret.substr(10)}) {
        auto result = keys_.authenticate(bad);
        ASSERT_FALSE(result.ok()) << bad;
        EXPECT_EQ(result.error().code, core::ErrorCode::kUnauthorized);
    }
    clock_.advance_ms(5);
    auto revoked = keys_.revoke(created->key.id);
    ASSERT_TRUE(revoked.ok());
    EXPECT_EQ(revoked->revoked_at, clock_.now());
    auto after = keys_.authenticate(created->secret);
    ASSERT_FALSE(after.ok());
    EXPECT_NE(after.error().message.find("revoked"), std::string::npos);
}

TEST_F(ApiKeyServiceTest, RevokingAnUnknownKeyIsNotFound) {
    auto result = keys_.revoke("key_00000000000000000000000000");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::kNotFound);
}

TEST_F(ApiKeyServiceTest, NamesAreValidated) {
    EXPECT_EQ(keys_.create(core::Platform::kTetrix, "").error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(keys_.create(core::Platform::kTetrix, std::string(101, 'n')).error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(keys_.create(core::Platform::kTetrix, "line\nbreak").error().code, core::ErrorCode::kValidation);
    EXPECT_TRUE(keys_.list(std::nullopt)->empty()) << "a refused key leaves nothing behind";
}

TEST_F(ApiKeyServiceTest, DevelopmentKeysOnlyOnAnEmptyTable) {
    auto first = keys_.create_development_keys_if_none();
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(first->size(), 2u);
    EXPECT_EQ((*first)[0].key.platform, core::Platform::kTetrix);
    EXPECT_EQ((*first)[1].key.platform, core::Platform::kJoromi);
    auto second = keys_.create_development_keys_if_none();
    ASSERT_TRUE(second.ok());
    EXPECT_TRUE(second->empty());
}

}  // namespace
}  // namespace crossvoice::services
