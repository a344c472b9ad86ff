// The CallStatistics port on SQLite, written against the port: what crossvoice_calls_active reads.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/ports/call_statistics.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace crossvoice::storage {
namespace {

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(1'790'000'000'000 + ms); }

class SqliteCallStatisticsTest : public ::testing::Test {
  protected:
    void insert(const std::string& id, core::CallState state) {
        core::Call call;
        call.id = id;
        call.session_id = "ses_1";
        call.state = state;
        call.created_at = call.updated_at = at(0);
        ASSERT_TRUE(store_.insert(call));
    }

    testing::TempDir dir_;  // first, so the file outlives the database
    std::unique_ptr<SqliteDatabase> db_ = testing::open_test_database(dir_);
    SqliteCallStore store_{*db_};
    core::ports::CallStatistics& statistics_ = store_;
};

TEST_F(SqliteCallStatisticsTest, NoCallsAreNoneActive) {
    auto active = statistics_.active_calls();
    ASSERT_TRUE(active) << active.error().message;
    EXPECT_EQ(active->initiated, 0);
    EXPECT_EQ(active->ringing, 0);
    EXPECT_EQ(active->answered, 0);
}

TEST_F(SqliteCallStatisticsTest, CountsCallsNotEndedByState) {
    insert("call_1", core::CallState::kInitiated);
    insert("call_2", core::CallState::kRinging);
    insert("call_3", core::CallState::kAnswered);
    insert("call_4", core::CallState::kAnswered);
    insert("call_5", core::CallState::kCompleted);
    insert("call_6", core::CallState::kNoAnswer);
    auto active = statistics_.active_calls();
    ASSERT_TRUE(active) << active.error().message;
    EXPECT_EQ(active->initiated, 1);
    EXPECT_EQ(active->ringing, 1);
    EXPECT_EQ(active->answered, 2);
}

}  // namespace
}  // namespace crossvoice::storage
