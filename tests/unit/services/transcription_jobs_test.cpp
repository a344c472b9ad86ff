// Queued transcriptions: long audio and callback requests become jobs, run_job turns them into transcripts once,
// failures are final or retried, callbacks are signed deliveries, and job() is scoped to the caller's platform.
#include <gtest/gtest.h>

#include "services/recording_jobs.hpp"
#include "transcription_test_base.hpp"

namespace crossvoice::services::transcription_testing {
namespace {

using nlohmann::json;

class TranscriptionJobsTest : public TranscriptionTestBase {
  protected:
    // Queues an upload by its length (the decoder says it is long) and returns the job as stored.
    core::Job queue_long_upload(TranscribeRequest request = upload("long audio bytes")) {
        decoder_.set(settings_.sync_max_seconds + 1, 1);
        auto outcome = service().transcribe(tetrix_, std::move(request));
        EXPECT_TRUE(outcome.ok()) << outcome.error().message;
        if (!outcome.ok()) return {};
        EXPECT_TRUE(outcome->queued);
        return job(outcome->job_id);
    }

    core::Job callback_job_for(const std::string& job_id) {
        auto found = jobs_.find_by_dedupe_key("callback:" + job_id);
        EXPECT_TRUE(found.ok() && found.value().has_value()) << "no callback for " << job_id;
        return found.ok() && found.value() ? *found.value() : core::Job{};
    }
};

TEST_F(TranscriptionJobsTest, LongAudioIsQueuedWithItsBytesInTheBlobStore) {
    const auto session = open_session(tetrix_);
    auto request = upload("long audio bytes", "audio/wav");
    request.session_id = session;
    request.language = "en-US";
    decoder_.set(settings_.sync_max_seconds + 1, 1);
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_TRUE(outcome->queued);
    EXPECT_TRUE(outcome->transcript_id.empty());
    EXPECT_TRUE(outcome->transcription.is_null());
    EXPECT_EQ(outcome->session_id, std::optional<std::string>(session));
    EXPECT_TRUE(local_.requests.empty());  // nothing is transcribed while the client waits

    const auto queued = job(outcome->job_id);
    EXPECT_EQ(queued.kind, kTranscriptionJob);
    EXPECT_EQ(queued.platform, std::optional<std::string>("tetrix"));
    EXPECT_EQ(queued.status, core::JobStatus::kQueued);
    const auto payload = json::parse(queued.payload_json);
    EXPECT_EQ(payload["sessionId"], session);
    EXPECT_EQ(payload["language"], "en-US");
    EXPECT_EQ(payload["source"], "upload");
    ASSERT_TRUE(payload["audioKey"].is_string());
    EXPECT_TRUE(payload["audioKey"].get<std::string>().ends_with(".wav"));
    auto held = blobs_.get(payload["audioKey"].get<std::string>());
    ASSERT_TRUE(held.ok() && held.value().has_value());
    EXPECT_EQ(*held.value(), "long audio bytes");
}

TEST_F(TranscriptionJobsTest, AudioOfExactlyTheLimitIsAnsweredAtOnce) {
    decoder_.set(settings_.sync_max_seconds, 1);
    auto outcome = service().transcribe(tetrix_, upload());
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_FALSE(outcome->queued);
    EXPECT_FALSE(any_queued(kTranscriptionJob));
}

TEST_F(TranscriptionJobsTest, RunJobStoresTheTranscriptWithItsJobAndSession) {
    const auto session = open_session(tetrix_);
    auto request = upload("long audio bytes");
    request.session_id = session;
    request.options.keywords = {"refund"};
    const auto queued = queue_long_upload(request);

    auto ran = service().run_job(queued);
    ASSERT_TRUE(ran.ok()) << ran.error().message;
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(local_.requests[0].audio, "long audio bytes");
    EXPECT_EQ(local_.requests[0].keywords, std::vector<std::string>{"refund"});

    const auto stored = transcript_of_job(queued.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->job_id, std::optional<std::string>(queued.id));
    EXPECT_EQ(stored->session_id, std::optional<std::string>(session));
    EXPECT_EQ(stored->source, "upload");
    EXPECT_EQ(stored->text, "I want to pay my bill");
    EXPECT_EQ(timeline(session).size(), 1U);
    EXPECT_EQ(metrics_.transcriptions_succeeded.value(), 1U);
    EXPECT_FALSE(any_queued(kTranscriptionCallbackJob));  // no callback asked for
}

TEST_F(TranscriptionJobsTest, RunningAJobAgainStoresNothingMore) {
    const auto session = open_session(tetrix_);
    auto request = upload();
    request.session_id = session;
    const auto queued = queue_long_upload(request);
    ASSERT_TRUE(service().run_job(queued).ok());
    auto again = service().run_job(queued);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(count_rows("transcripts"), 1);
    EXPECT_EQ(timeline(session).size(), 1U);
}

TEST_F(TranscriptionJobsTest, AnAudioUrlIsFetchedOnceAndTheJobUsesTheCopy) {
    http_.replies.push_back(FakeHttpClient::ok("remote audio", "audio/mpeg"));
    auto request = from_url();
    request.callback_url = kCallbackUrl;
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_TRUE(outcome->queued);  // a callback URL always means later
    const auto queued = job(outcome->job_id);
    EXPECT_EQ(json::parse(queued.payload_json)["source"], "url");

    ASSERT_TRUE(service().run_job(queued).ok());
    EXPECT_EQ(http_.requests.size(), 1U);
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(local_.requests[0].audio, "remote audio");
    const auto stored = transcript_of_job(queued.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->source, "url");
}

TEST_F(TranscriptionJobsTest, HeaderlessAudioKeepsItsFormatThroughTheQueue) {
    auto request = upload("\x01\x02\x03\x04", "audio/basic");
    request.upload->raw = core::ports::RawAudioFormat{core::ports::RawEncoding::kAlaw, 16'000, 2};
    const auto queued = queue_long_upload(request);
    decoder_.set(5, 2);
    ASSERT_TRUE(service().run_job(queued).ok());
    ASSERT_EQ(decoder_.raws.size(), 2U);
    ASSERT_TRUE(decoder_.raws[1].has_value());
    EXPECT_EQ(decoder_.raws[1]->encoding, core::ports::RawEncoding::kAlaw);
    EXPECT_EQ(decoder_.raws[1]->sample_rate, 16'000);
    EXPECT_EQ(decoder_.raws[1]->channels, 2);
    EXPECT_EQ(decoder_.inputs[1], std::string("\x01\x02\x03\x04"));
}

TEST_F(TranscriptionJobsTest, AudioThatCannotBeReadIsAFinalFailure) {
    const auto queued = queue_long_upload();
    decoder_.error = core::Error{core::ErrorCode::kUnprocessable, "corrupt audio", {}};
    auto ran = service().run_job(queued);
    ASSERT_FALSE(ran.ok());
    EXPECT_EQ(ran.error().code, core::ErrorCode::kUnprocessable);
    EXPECT_TRUE(is_final(ran.error()));
    EXPECT_EQ(metrics_.transcriptions_failed.value(), 1U);
    EXPECT_EQ(count_rows("transcripts"), 0);
}

TEST_F(TranscriptionJobsTest, AnUnavailableEngineIsRetriedAndSendsNoCallbackYet) {
    auto request = upload();
    request.callback_url = kCallbackUrl;
    const auto queued = queue_long_upload(request);
    local_.error = core::Error::unavailable("engine busy");
    auto ran = service().run_job(queued);
    ASSERT_FALSE(ran.ok());
    EXPECT_EQ(ran.error().code, core::ErrorCode::kUnavailable);
    EXPECT_FALSE(is_final(ran.error()));
    EXPECT_FALSE(any_queued(kTranscriptionCallbackJob));
    EXPECT_EQ(count_rows("transcripts"), 0);

    local_.error.reset();  // the retry succeeds
    ASSERT_TRUE(service().run_job(queued).ok());
    EXPECT_TRUE(transcript_of_job(queued.id).has_value());
}

// ---- callbacks

TEST_F(TranscriptionJobsTest, ACompletedJobQueuesASignedCallback) {
    settings_.callback_secret = "whsec_test";
    const auto session = open_session(tetrix_);
    auto request = upload();
    request.callback_url = kCallbackUrl;
    request.session_id = session;
    decoder_.set(3, 1);  // short, but a callback URL queues it anyway
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_TRUE(outcome->queued);
    ASSERT_TRUE(service().run_job(job(outcome->job_id)).ok());
    const auto stored = transcript_of_job(outcome->job_id);
    ASSERT_TRUE(stored.has_value());

    const auto callback = callback_job_for(outcome->job_id);
    EXPECT_EQ(callback.kind, kTranscriptionCallbackJob);
    EXPECT_EQ(callback.platform, std::optional<std::string>("tetrix"));
    auto delivered = service().run_callback_job(callback);
    ASSERT_TRUE(delivered.ok()) << delivered.error().message;

    ASSERT_EQ(http_.requests.size(), 1U);
    const auto& sent = http_.requests[0];
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.url, kCallbackUrl);
    EXPECT_EQ(sent.address_policy, core::ports::AddressPolicy::kPublicOnly);
    EXPECT_EQ(sent.retry.max_attempts, 1);  // the job runner retries, with its own backoff
    const auto body = json::parse(sent.body);
    EXPECT_EQ(body["event"], "transcription.completed");
    EXPECT_EQ(body["jobId"], outcome->job_id);
    EXPECT_EQ(body["sessionId"], session);
    EXPECT_EQ(body["transcriptId"], stored->id);
    EXPECT_EQ(body["transcription"]["text"], "I want to pay my bill");
    EXPECT_EQ(body["transcription"]["id"], stored->id);
    EXPECT_FALSE(body.contains("error"));

    std::optional<std::string> content_type;
    std::optional<std::string> signature;
    for (const auto& [name, value] : sent.headers) {
        if (name == "Content-Type") content_type = value;
        if (name == "X-Crossvoice-Signature") signature = value;
    }
    EXPECT_EQ(content_type, std::optional<std::string>("application/json"));
    const std::string timestamp = "1790000000";  // the fake clock's second
    ASSERT_TRUE(signature.has_value());
    EXPECT_EQ(*signature,
              "t=" + timestamp + ",v1=" + crypto_.hmac_sha256_hex("whsec_test", timestamp + "." + sent.body));
}

TEST_F(TranscriptionJobsTest, WithoutASecretCallbacksAreUnsigned) {
    auto request = upload();
    request.callback_url = kCallbackUrl;
    const auto queued = queue_long_upload(request);
    ASSERT_TRUE(service().run_job(queued).ok());
    ASSERT_TRUE(service().run_callback_job(callback_job_for(queued.id)).ok());
    ASSERT_EQ(http_.requests.size(), 1U);
    for (const auto& [name, value] : http_.requests[0].headers) EXPECT_NE(name, "X-Crossvoice-Signature");
}

TEST_F(TranscriptionJobsTest, ACallbackThatIsNotAcceptedIsAnErrorForTheRunnerToRetry) {
    auto request = upload();
    request.callback_url = kCallbackUrl;
    const auto queued = queue_long_upload(request);
    ASSERT_TRUE(service().run_job(queued).ok());
    const auto callback = callback_job_for(queued.id);

    http_.replies.push_back(FakeHttpClient::status(500));
    http_.replies.push_back(FakeHttpClient::status(302));
    http_.replies.push_back(core::Error::unavailable("connection refused"));
    http_.replies.push_back(FakeHttpClient::status(204));
    for (int i = 0; i < 3; ++i) {
        auto delivered = service().run_callback_job(callback);
        ASSERT_FALSE(delivered.ok()) << "reply " << i;
        EXPECT_FALSE(is_final(delivered.error()));
    }
    EXPECT_TRUE(service().run_callback_job(callback).ok());
    EXPECT_EQ(http_.requests.size(), 4U);
}

TEST_F(TranscriptionJobsTest, AFailedTranscriptionIsReportedToTheCallback) {
    auto request = upload();
    request.callback_url = kCallbackUrl;
    const auto queued = queue_long_upload(request);
    decoder_.error = core::Error{core::ErrorCode::kUnprocessable, "corrupt audio", {}};
    auto ran = service().run_job(queued);
    ASSERT_FALSE(ran.ok());
    EXPECT_TRUE(is_final(ran.error()));

    ASSERT_TRUE(service().run_callback_job(callback_job_for(queued.id)).ok());
    ASSERT_EQ(http_.requests.size(), 1U);
    const auto body = json::parse(http_.requests[0].body);
    EXPECT_EQ(body["event"], "transcription.failed");
    EXPECT_EQ(body["jobId"], queued.id);
    EXPECT_FALSE(body.contains("transcriptId"));
    EXPECT_EQ(body["error"]["code"], "unprocessable_content");
    EXPECT_EQ(body["error"]["message"], "corrupt audio");
}

TEST_F(TranscriptionJobsTest, ATrustedPrefixMayBeCalledBackOnAnyAddress) {
    settings_.fetch.trusted_prefixes = {"http://127.0.0.1:9000/"};
    auto request = upload();
    request.callback_url = "http://127.0.0.1:9000/hook";
    const auto queued = queue_long_upload(request);
    ASSERT_TRUE(service().run_job(queued).ok());
    ASSERT_TRUE(service().run_callback_job(callback_job_for(queued.id)).ok());
    ASSERT_EQ(http_.requests.size(), 1U);
    EXPECT_EQ(http_.requests[0].address_policy, core::ports::AddressPolicy::kAny);
}

// ---- job()

TEST_F(TranscriptionJobsTest, AJobIsVisibleToItsPlatformWithItsTranscriptOnceDone) {
    const auto queued = queue_long_upload();
    auto view = service().job(tetrix_, queued.id);
    ASSERT_TRUE(view.ok()) << view.error().message;
    EXPECT_EQ(view->job.id, queued.id);
    EXPECT_FALSE(view->transcript.has_value());

    ASSERT_TRUE(service().run_job(queued).ok());
    view = service().job(tetrix_, queued.id);
    ASSERT_TRUE(view.ok()) << view.error().message;
    ASSERT_TRUE(view->transcript.has_value());
    EXPECT_EQ(view->transcript->job_id, std::optional<std::string>(queued.id));
}

TEST_F(TranscriptionJobsTest, OtherPlatformsJobsAndOtherKindsAreNotFound) {
    const auto queued = queue_long_upload();
    auto foreign = service().job(joromi_, queued.id);
    ASSERT_FALSE(foreign.ok());
    EXPECT_EQ(foreign.error().code, core::ErrorCode::kNotFound);

    auto other_kind = jobs_.submit({std::string(kRecordingTranscribeJob), "{}", "tetrix", std::nullopt, 1});
    ASSERT_TRUE(other_kind.ok());
    auto wrong_kind = service().job(tetrix_, other_kind->id);
    ASSERT_FALSE(wrong_kind.ok());
    EXPECT_EQ(wrong_kind.error().code, core::ErrorCode::kNotFound);

    for (const char* id : {"job_01JAAAAAAAAAAAAAAAAAAAAAAA", "not-a-job-id", ""}) {
        auto missing = service().job(tetrix_, id);
        ASSERT_FALSE(missing.ok()) << id;
        EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound) << id;
    }
}

}  // namespace
}  // namespace crossvoice::services::transcription_testing
