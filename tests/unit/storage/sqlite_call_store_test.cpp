#include "storage/sqlite/sqlite_call_store.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace crossvoice::storage {
namespace {

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(1'790'000'000'000 + ms); }

// What the port does not cover yet: noting where a recording's audio was copied to.
class SqliteCallStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        core::Call call;
        call.id = "call_1";
        call.session_id = "ses_1";
        call.call_control_id = "v3:control-1";
        call.created_at = at(0);
        call.updated_at = at(0);
        ASSERT_TRUE(store_.insert(call));

        core::CallEvent event;
        event.id = "ev-rec";
        event.type = core::CallEventType::kRecordingSaved;
        event.event_type = "call.recording.saved";
        event.occurred_at = at(10);
        event.call_control_id = "v3:control-1";
        event.recording = core::CallRecording{std::nullopt, "https://example.test/r.wav", at(1), at(9), "single"};
        auto ingested = store_.ingest_event(
            event, std::nullopt, "{}", at(11),
            [](const core::Call& current, const core::CallEvent&) {
                core::ports::CallChange change;
                change.state = current.state;
                return change;
            },
            core::ports::FollowUps::kPending);
        ASSERT_TRUE(ingested) << ingested.error().message;
    }

    std::optional<std::string> archived_as() {
        auto recordings = store_.recordings_for_call("call_1");
        EXPECT_TRUE(recordings) << recordings.error().message;
        if (!recordings || recordings.value().size() != 1) {
            ADD_FAILURE() << "expected exactly one recording";
            return std::nullopt;
        }
        return recordings.value()[0].archived_as;
    }

    testing::TempDir dir_;  // first, so the file outlives the database
    std::unique_ptr<SqliteDatabase> db_ = testing::open_test_database(dir_);
    SqliteCallStore store_{*db_};
};

TEST_F(SqliteCallStoreTest, ARecordingIsArchivedUnderTheKeyGiven) {
    EXPECT_EQ(archived_as(), std::nullopt);
    auto marked = store_.mark_recording_archived("ev-rec", "recordings/call_1/ev-rec.wav");
    ASSERT_TRUE(marked) << marked.error().message;
    EXPECT_EQ(archived_as(), std::optional<std::string>("recordings/call_1/ev-rec.wav"));

    // A retried fetch notes it again.
    ASSERT_TRUE(store_.mark_recording_archived("ev-rec", "recordings/call_1/ev-rec.wav"));
    EXPECT_EQ(archived_as(), std::optional<std::string>("recordings/call_1/ev-rec.wav"));
}

TEST_F(SqliteCallStoreTest, ArchivingAnUnknownRecordingIsNotFound) {
    auto marked = store_.mark_recording_archived("ev-missing", "recordings/x.wav");
    ASSERT_FALSE(marked);
    EXPECT_EQ(marked.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(archived_as(), std::nullopt);
}

}  // namespace
}  // namespace crossvoice::storage
