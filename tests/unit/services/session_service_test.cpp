#include "services/session_service.hpp"

#include <gtest/gtest.h>

#include "core/ids.hpp"
#include "infra/sodium_crypto.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "support/fake_clock.hpp"
#include "support/test_database.hpp"

namespace crossvoice::services {
namespace {

class SessionServiceTest : public ::testing::Test {
  protected:
    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore store_{*db_};
    infra::SodiumCrypto crypto_;
    testing::FakeClock clock_;
    IdGenerator ids_{clock_, crypto_};
    SessionService sessions_{store_, clock_, ids_};
    core::Principal tetrix_{core::Platform::kTetrix, "key_a"};
    core::Principal joromi_{core::Platform::kJoromi, "key_b"};
};

TEST_F(SessionServiceTest, OpensWithTheCallersPlatformAndTheClock) {
    auto session = sessions_.open(tetrix_, {"whatsapp", "+15551234567", "user-9", R"({"k":"v"})"});
    ASSERT_TRUE(session.ok()) << session.error().message;
    EXPECT_EQ(session->platform, core::Platform::kTetrix);
    EXPECT_EQ(session->channel, core::Channel::kWhatsapp);
    EXPECT_EQ(session->status, core::SessionStatus::kActive);
    EXPECT_EQ(session->start_time, clock_.now());
    EXPECT_EQ(session->created_by_key, "key_a");
    EXPECT_TRUE(core::is_valid_id(core::kSessionIdPrefix, session->id));
}

TEST_F(SessionServiceTest, ValidationNamesTheField) {
    auto field_of = [&](NewSession input) {
        auto result = sessions_.open(tetrix_, std::move(input));
        EXPECT_FALSE(result.ok());
        EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
        return result.error().details.at(0).second;
    };
    EXPECT_EQ(field_of({"fax", {}, {}, "{}"}), "channel");
    EXPECT_EQ(field_of({"sms", "5551234", {}, "{}"}), "phoneNumber");
    EXPECT_EQ(field_of({"sms", {}, std::string(201, 'u'), "{}"}), "userId");
    EXPECT_EQ(field_of({"sms", {}, {}, "{\"a\":\"" + std::string(17000, 'x') + "\"}"}), "metadata");
}

TEST_F(SessionServiceTest, EndStampsTheTimeOnce) {
    auto session = sessions_.open(tetrix_, {"voice", {}, {}, "{}"});
    ASSERT_TRUE(session.ok());
    clock_.advance_ms(1500);
    auto ended = sessions_.end(tetrix_, session->id);
    ASSERT_TRUE(ended.ok());
    EXPECT_EQ(ended->end_time, clock_.now());
    clock_.advance_ms(1500);
    auto again = sessions_.end(tetrix_, session->id);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->end_time, ended->end_time);
}

TEST_F(SessionServiceTest, OtherPlatformsCannotSeeOrEnd) {
    auto session = sessions_.open(tetrix_, {"voice", {}, {}, "{}"});
    ASSERT_TRUE(session.ok());
    EXPECT_EQ(sessions_.get(joromi_, session->id).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(sessions_.end(joromi_, session->id).error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(sessions_.list(joromi_, {})->sessions.empty());
    EXPECT_EQ(sessions_.get(tetrix_, session->id)->status, core::SessionStatus::kActive);
}

TEST_F(SessionServiceTest, ListPagesWithACursor) {
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(sessions_.open(tetrix_, {"chat", {}, {}, "{}"}).ok());
        clock_.advance_ms(1);
    }
    SessionFilter filter;
    filter.limit = 2;
    auto first = sessions_.list(tetrix_, filter);
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(first->sessions.size(), 2u);
    ASSERT_TRUE(first->next_cursor.has_value());
    filter.cursor = first->next_cursor;
    auto second = sessions_.list(tetrix_, filter);
    ASSERT_EQ(second->sessions.size(), 2u);
    EXPECT_LT(second->sessions[0].id, first->sessions[1].id);
    filter.cursor = second->next_cursor;
    auto third = sessions_.list(tetrix_, filter);
    ASSERT_EQ(third->sessions.size(), 1u);
    EXPECT_FALSE(third->next_cursor.has_value());
}

TEST_F(SessionServiceTest, ListRefusesBadFilters) {
    SessionFilter filter;
    filter.limit = 0;
    EXPECT_EQ(sessions_.list(tetrix_, filter).error().details.at(0).second, "limit");
    filter.limit = 10;
    filter.status = "paused";
    EXPECT_EQ(sessions_.list(tetrix_, filter).error().details.at(0).second, "status");
    filter.status.reset();
    filter.cursor = "ses_bad";
    EXPECT_EQ(sessions_.list(tetrix_, filter).error().details.at(0).second, "cursor");
}

}  // namespace
}  // namespace crossvoice::services
