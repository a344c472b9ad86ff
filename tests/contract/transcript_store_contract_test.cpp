#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::Platform;
using core::TimelineMessage;
using core::ports::StoredTranscript;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;

core::Session session(const std::string& id, Platform platform = Platform::kTetrix) {
    core::Session out;
    out.id = id;
    out.platform = platform;
    out.start_time = core::from_unix_ms(kBaseMs);
    out.created_by_key = "key_1";
    return out;
}

StoredTranscript transcript(const std::string& id, std::optional<std::string> session_id = std::nullopt) {
    StoredTranscript out;
    out.id = id;
    out.session_id = std::move(session_id);
    out.call_id = "cal_1";
    out.job_id = "job_" + id;
    out.source = "recording";
    out.provider = "pocketsphinx";
    out.language = "en-US";
    out.duration = 12.345;
    out.text = "I would like to pay my bill";
    out.body_json = R"({"text":"I would like to pay my bill"})";
    out.created_at = core::from_unix_ms(kBaseMs + 5);
    return out;
}

TimelineMessage message(const std::string& id, const std::string& session_id, core::MessageType type) {
    TimelineMessage out;
    out.id = id;
    out.session_id = session_id;
    out.type = type;
    out.content = "content of " + id;
    out.language = "en";
    out.created_at = core::from_unix_ms(kBaseMs + 6);
    out.metadata_json = R"({"transcriptId":"trn_1"})";
    return out;
}

class TranscriptStoreContract : public StoreContractTest {};

TEST_P(TranscriptStoreContract, SavesAndFindsByIdAndJobWithinItsPlatform) {
    ASSERT_TRUE(backend().transcripts().save(transcript("trn_1"), {}));
    auto found = backend().transcripts().find(Platform::kTetrix, "trn_1");
    ASSERT_TRUE(found && found.value());
    const auto& stored = *found.value();
    EXPECT_EQ(stored.text, "I would like to pay my bill");
    EXPECT_EQ(stored.body_json, R"({"text":"I would like to pay my bill"})");
    EXPECT_EQ(stored.call_id, std::optional<std::string>("cal_1"));
    EXPECT_EQ(stored.language, std::optional<std::string>("en-US"));
    EXPECT_NEAR(stored.duration, 12.345, 0.001);
    EXPECT_EQ(stored.created_at, core::from_unix_ms(kBaseMs + 5));
    EXPECT_FALSE(stored.session_id.has_value());

    auto by_job = backend().transcripts().find_by_job(Platform::kTetrix, "job_trn_1");
    ASSERT_TRUE(by_job && by_job.value());
    EXPECT_EQ(by_job.value()->id, "trn_1");

    auto other_platform = backend().transcripts().find(Platform::kJoromi, "trn_1");
    ASSERT_TRUE(other_platform);
    EXPECT_FALSE(other_platform.value().has_value()) << "a transcript is invisible to the other platform";
}

TEST_P(TranscriptStoreContract, ASecondTranscriptForOneJobIsAConflict) {
    ASSERT_TRUE(backend().transcripts().save(transcript("trn_1"), {}));
    auto again = transcript("trn_2");
    again.job_id = "job_trn_1";
    auto saved = backend().transcripts().save(again, {});
    ASSERT_FALSE(saved);
    EXPECT_EQ(saved.error().code, core::ErrorCode::kConflict);
}

TEST_P(TranscriptStoreContract, WithASessionTheTimelineAndTheMarkLandTogether) {
    ASSERT_TRUE(backend().sessions().insert(session("ses_1")));
    const std::vector<TimelineMessage> timeline{message("msg_1", "ses_1", core::MessageType::kTranscription),
                                                message("msg_2", "ses_1", core::MessageType::kTranslation)};
    ASSERT_TRUE(backend().transcripts().save(transcript("trn_1", "ses_1"), timeline));

    auto listed = backend().timeline().list({Platform::kTetrix, "ses_1", 50, std::nullopt});
    ASSERT_TRUE(listed) << listed.error().message;
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].id, "msg_1");
    EXPECT_EQ((*listed)[0].type, core::MessageType::kTranscription);
    EXPECT_EQ((*listed)[0].content, "content of msg_1");
    EXPECT_EQ((*listed)[0].metadata_json, R"({"transcriptId":"trn_1"})");
    EXPECT_EQ((*listed)[1].type, core::MessageType::kTranslation);

    auto page = backend().timeline().list({Platform::kTetrix, "ses_1", 50, std::string("msg_1")});
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ((*page)[0].id, "msg_2");
    auto limited = backend().timeline().list({Platform::kTetrix, "ses_1", 1, std::nullopt});
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->size(), 1u);
    auto other = backend().timeline().list({Platform::kJoromi, "ses_1", 50, std::nullopt});
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->empty());

    auto marked = backend().sessions().find(Platform::kTetrix, "ses_1");
    ASSERT_TRUE(marked && marked.value());
    EXPECT_TRUE(marked.value()->has_transcription);
}

TEST_P(TranscriptStoreContract, AnUnknownSessionWritesNothing) {
    ASSERT_TRUE(backend().sessions().insert(session("ses_j", Platform::kJoromi)));
    auto saved = backend().transcripts().save(transcript("trn_1", "ses_j"),
                                              {message("msg_1", "ses_j", core::MessageType::kTranscription)});
    ASSERT_FALSE(saved);
    EXPECT_EQ(saved.error().code, core::ErrorCode::kNotFound) << "the session belongs to another platform";
    auto found = backend().transcripts().find(Platform::kTetrix, "trn_1");
    ASSERT_TRUE(found);
    EXPECT_FALSE(found.value().has_value());
    auto timeline = backend().timeline().list({Platform::kJoromi, "ses_j", 50, std::nullopt});
    ASSERT_TRUE(timeline);
    EXPECT_TRUE(timeline->empty());
}

TEST_P(TranscriptStoreContract, AFailedMessageRollsBackTheTranscript) {
    ASSERT_TRUE(backend().sessions().insert(session("ses_1")));
    const std::vector<TimelineMessage> duplicate_ids{message("msg_1", "ses_1", core::MessageType::kTranscription),
                                                     message("msg_1", "ses_1", core::MessageType::kTranslation)};
    ASSERT_FALSE(backend().transcripts().save(transcript("trn_1", "ses_1"), duplicate_ids));
    auto found = backend().transcripts().find(Platform::kTetrix, "trn_1");
    ASSERT_TRUE(found);
    EXPECT_FALSE(found.value().has_value());
    auto marked = backend().sessions().find(Platform::kTetrix, "ses_1");
    ASSERT_TRUE(marked && marked.value());
    EXPECT_FALSE(marked.value()->has_transcription);
}

INSTANTIATE_TEST_SUITE_P(Stores, TranscriptStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
