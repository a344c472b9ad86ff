// Call recordings as the audio source (recordingId, callId, the recording.transcribe job) and batches.
#include <gtest/gtest.h>

#include "services/recording_jobs.hpp"
#include "transcription_test_base.hpp"

namespace crossvoice::services::transcription_testing {
namespace {

using nlohmann::json;

class TranscriptionRecordingTest : public TranscriptionTestBase {
  protected:
    TranscribeRequest for_recording(const std::string& event_id) {
        TranscribeRequest request;
        request.recording_id = event_id;
        return request;
    }
    TranscribeRequest for_call(const std::string& call_id) {
        TranscribeRequest request;
        request.call_id = call_id;
        return request;
    }

    // A recording.transcribe job as recording.fetch queues it, read back from the queue.
    core::Job recording_job(const core::Call& call, const std::string& event_id, const std::string& channels,
                            const std::optional<std::string>& session_id) {
        json payload{{"callId", call.id},
                     {"eventId", event_id},
                     {"recording", "recordings/" + call.id + "/" + event_id + ".wav"},
                     {"platform", "tetrix"},
                     {"language", "en-US"},
                     {"channels", channels}};
        if (session_id) payload["sessionId"] = *session_id;
        auto submitted = jobs_.submit(
            {std::string(kRecordingTranscribeJob), payload.dump(), "tetrix", "transcribe:" + event_id, std::nullopt});
        EXPECT_TRUE(submitted.ok());
        return submitted.ok() ? job(submitted->id) : core::Job{};
    }
};

TEST_F(TranscriptionRecordingTest, ARecordingIdTranscribesTheArchivedAudio) {
    const auto call = call_with_recording(core::Platform::kTetrix, "ev-rec-1", std::string("archived audio"));
    auto outcome = service().transcribe(tetrix_, for_recording("ev-rec-1"));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(local_.requests[0].audio, "archived audio");
    auto stored = transcript_store_.find(core::Platform::kTetrix, outcome->transcript_id);
    ASSERT_TRUE(stored.ok() && stored.value().has_value());
    EXPECT_EQ(stored.value()->source, "recording");
    EXPECT_EQ(stored.value()->call_id, std::optional<std::string>(call.id));
}

TEST_F(TranscriptionRecordingTest, ACallIdTranscribesItsLatestArchivedRecording) {
    const auto call = call_with_recording(core::Platform::kTetrix, "ev-rec-1", std::string("first recording"));
    // A second recording of the same call, newer.
    core::CallEvent event;
    event.id = "ev-rec-2";
    event.type = core::CallEventType::kRecordingSaved;
    event.event_type = "call.recording.saved";
    event.occurred_at = clock_.now();
    event.call_control_id = call.call_control_id;
    event.recording =
        core::CallRecording{std::nullopt, "https://carrier.example/2.wav", std::nullopt, std::nullopt, "single"};
    ASSERT_TRUE(call_store_
                    .ingest_event(
                        event, call.id, "{}", clock_.now(),
                        [](const core::Call& current, const core::CallEvent&) {
                            core::ports::CallChange change;
                            change.state = current.state;
                            return change;
                        },
                        core::ports::FollowUps::kNone)
                    .ok());
    ASSERT_TRUE(blobs_.put("recordings/second.wav", "second recording").ok());
    ASSERT_TRUE(call_store_.mark_recording_archived("ev-rec-2", "recordings/second.wav").ok());

    auto outcome = service().transcribe(tetrix_, for_call(call.id));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(local_.requests[0].audio, "second recording");
}

TEST_F(TranscriptionRecordingTest, AnotherPlatformsRecordingOrCallIsNotFound) {
    const auto call = call_with_recording(core::Platform::kJoromi, "ev-joromi", std::string("their audio"));
    for (auto request : {for_recording("ev-joromi"), for_call(call.id), for_recording("ev-missing"),
                         for_call("call_01JAAAAAAAAAAAAAAAAAAAAAAA")}) {
        auto outcome = service().transcribe(tetrix_, request);
        ASSERT_FALSE(outcome.ok());
        EXPECT_EQ(outcome.error().code, core::ErrorCode::kNotFound) << outcome.error().message;
    }
    EXPECT_TRUE(local_.requests.empty());
    EXPECT_TRUE(service().transcribe(joromi_, for_recording("ev-joromi")).ok());
}

TEST_F(TranscriptionRecordingTest, ARecordingIdOfAnotherCallThanCallIdIsRefused) {
    call_with_recording(core::Platform::kTetrix, "ev-a", std::string("a"));
    const auto other = call_with_recording(core::Platform::kTetrix, "ev-b", std::string("b"));
    auto request = for_recording("ev-a");
    request.call_id = other.id;
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(detail(outcome.error(), "field"), "recordingId");
}

TEST_F(TranscriptionRecordingTest, ARecordingNotCopiedYetIsAConflict) {
    const auto call = call_with_recording(core::Platform::kTetrix, "ev-pending", std::nullopt);
    for (auto request : {for_recording("ev-pending"), for_call(call.id)}) {
        auto outcome = service().transcribe(tetrix_, request);
        ASSERT_FALSE(outcome.ok());
        EXPECT_EQ(outcome.error().code, core::ErrorCode::kConflict) << outcome.error().message;
    }
    EXPECT_TRUE(decoder_.inputs.empty());
}

TEST_F(TranscriptionRecordingTest, TheRecordingJobStoresTheTranscriptOnItsCallAndSession) {
    const auto session = open_session(tetrix_);
    const auto call = call_with_recording(core::Platform::kTetrix, "ev-rec-1", std::string("call audio"), session);
    decoder_.set(30, 1);  // mono as decoded, but the carrier says dual: the payload decides
    const auto queued = recording_job(call, "ev-rec-1", "dual", session);

    auto ran = service().run_recording_job(queued);
    ASSERT_TRUE(ran.ok()) << ran.error().message;
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(local_.requests[0].audio, "call audio");
    EXPECT_TRUE(local_.requests[0].multichannel);
    EXPECT_EQ(local_.requests[0].language, std::optional<std::string>("en-US"));

    const auto stored = transcript_of_job(queued.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->call_id, std::optional<std::string>(call.id));
    EXPECT_EQ(stored->session_id, std::optional<std::string>(session));
    EXPECT_EQ(stored->source, "recording");
    const auto messages = timeline(session);
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(json::parse(messages[0].metadata_json)["callId"], call.id);

    auto again = service().run_recording_job(queued);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(count_rows("transcripts"), 1);
    EXPECT_EQ(timeline(session).size(), 1U);
}

TEST_F(TranscriptionRecordingTest, ASingleChannelRecordingIsNotSplit) {
    const auto call = call_with_recording(core::Platform::kTetrix, "ev-rec-1", std::string("call audio"));
    decoder_.set(30, 2);
    ASSERT_TRUE(service().run_recording_job(recording_job(call, "ev-rec-1", "single", std::nullopt)).ok());
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_FALSE(local_.requests[0].multichannel);
}

TEST_F(TranscriptionRecordingTest, ARecordingJobWithoutItsFieldsIsAnError) {
    auto submitted = jobs_.submit(
        {std::string(kRecordingTranscribeJob), R"({"callId":"call_x"})", "tetrix", std::nullopt, std::nullopt});
    ASSERT_TRUE(submitted.ok());
    auto ran = service().run_recording_job(job(submitted->id));
    ASSERT_FALSE(ran.ok());
    EXPECT_TRUE(local_.requests.empty());
}

// ---- batches

TEST_F(TranscriptionRecordingTest, ABatchTakesNoUploads) {
    auto outcome = service().transcribe_batch(tetrix_, {from_url(), upload()});
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(detail(outcome.error(), "field"), "items[1]");
    EXPECT_FALSE(any_queued(kTranscriptionJob));
}

TEST_F(TranscriptionRecordingTest, OneBadItemRefusesTheWholeBatch) {
    call_with_recording(core::Platform::kJoromi, "ev-joromi", std::string("their audio"));
    auto bad_language = from_url();
    bad_language.language = "not a tag";
    TranscribeRequest foreign;
    foreign.recording_id = "ev-joromi";
    struct Case {
        std::vector<TranscribeRequest> items;
        core::ErrorCode code;
        std::string item;
    };
    const std::vector<Case> cases{
        {{from_url(), bad_language}, core::ErrorCode::kValidation, "1"},
        {{from_url(), from_url(), foreign}, core::ErrorCode::kNotFound, "2"},
        {{TranscribeRequest{}, from_url()}, core::ErrorCode::kValidation, "0"},
    };
    for (const auto& [items, code, item] : cases) {
        auto outcome = service().transcribe_batch(tetrix_, items);
        ASSERT_FALSE(outcome.ok()) << item;
        EXPECT_EQ(outcome.error().code, code) << outcome.error().message;
        EXPECT_TRUE(outcome.error().message.starts_with("items[" + item + "]: ")) << outcome.error().message;
        EXPECT_EQ(detail(outcome.error(), "item"), item);
    }
    EXPECT_FALSE(any_queued(kTranscriptionJob));
    EXPECT_TRUE(http_.requests.empty());  // nothing was fetched to check a batch
}

TEST_F(TranscriptionRecordingTest, EachValidItemBecomesAJob) {
    call_with_recording(core::Platform::kTetrix, "ev-rec-1", std::string("call audio"));
    TranscribeRequest recording;
    recording.recording_id = "ev-rec-1";
    recording.callback_url = kCallbackUrl;
    auto outcomes = service().transcribe_batch(tetrix_, {from_url("https://media.example.com/1.wav"), recording});
    ASSERT_TRUE(outcomes.ok()) << outcomes.error().message;
    ASSERT_EQ(outcomes->size(), 2U);
    EXPECT_TRUE(http_.requests.empty());
    EXPECT_TRUE(decoder_.inputs.empty());

    const auto first = job((*outcomes)[0].job_id);
    const auto second = job((*outcomes)[1].job_id);
    EXPECT_NE(first.id, second.id);
    for (const auto& queued : {first, second}) {
        EXPECT_EQ(queued.kind, kTranscriptionJob);
        EXPECT_EQ(queued.platform, std::optional<std::string>("tetrix"));
        EXPECT_FALSE(json::parse(queued.payload_json).contains("audioKey"));  // fetched when the job runs
    }
    EXPECT_EQ(json::parse(first.payload_json)["audioUrl"], "https://media.example.com/1.wav");
    EXPECT_EQ(json::parse(second.payload_json)["recordingId"], "ev-rec-1");
    EXPECT_EQ(json::parse(second.payload_json)["callbackUrl"], kCallbackUrl);

    // The recording item, run: its audio comes from the archive, and the transcript names the call.
    ASSERT_TRUE(service().run_job(second).ok());
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(local_.requests[0].audio, "call audio");
    const auto stored = transcript_of_job(second.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->source, "recording");
    EXPECT_TRUE(stored->call_id.has_value());
}

}  // namespace
}  // namespace crossvoice::services::transcription_testing
