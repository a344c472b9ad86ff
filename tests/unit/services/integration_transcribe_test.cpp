#include "services/integration_transcribe.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "assistant_fixture.hpp"
#include "storage/files/file_blob_store.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_message_store.hpp"
#include "storage/sqlite/sqlite_replay_guard.hpp"
#include "support/error_detail.hpp"
#include "transcription_fakes.hpp"

namespace crossvoice::services::testing_assistant {
namespace {

using core::Channel;
using core::MessageAuthor;
using core::MessageType;
using transcription_testing::FakeAudioDecoder;
using transcription_testing::FakeHttpClient;
using transcription_testing::FakePipeline;
using transcription_testing::FakeSpeechToText;

class CountingSender final : public core::ports::ChannelSender {
  public:
    core::Result<core::ports::SentMessage> send(const core::ports::OutboundMessage& message) override {
        sent.push_back(message);
        return core::ports::SentMessage{"sinch", "sinch-" + std::to_string(sent.size())};
    }
    std::vector<core::ports::OutboundMessage> sent;
};

// The use-case over the real SQLite stores, the real SHANGO (knowledge responder) and messaging use-cases, with
// the transcription tests' scripted speech engine, decoder and pipeline.
class IntegrationTranscribeTest : public AssistantFixture {
  protected:
    static constexpr const char* kCustomer = "+12025550111";

    IntegrationTranscribeTest() {
        local_.answer.text = "How do I get a refund on my invoice?";
        local_.answer.language = "en";
    }

    static IntegrationTranscribeRequest upload(std::optional<std::string> session_id) {
        IntegrationTranscribeRequest request;
        request.transcription.upload = AudioUpload{"RIFF....WAVEfmt fake audio", "audio/x-wav", std::nullopt};
        request.transcription.session_id = std::move(session_id);
        return request;
    }

    std::string voice_session(std::optional<std::string> phone = std::string(kCustomer)) {
        auto session = sessions_.open(tetrix_, {"voice", std::move(phone), std::nullopt, "{}"});
        EXPECT_TRUE(session.ok()) << session.error().message;
        return session.ok() ? session->id : std::string();
    }

    std::int64_t rows(std::string_view table) {
        auto lease = db_->acquire();
        auto statement = lease->prepare("SELECT COUNT(*) FROM " + std::string(table), "count rows");
        EXPECT_TRUE(statement.ok());
        if (!statement.ok()) return -1;
        auto stepped = statement->step();
        EXPECT_TRUE(stepped.ok() && stepped.value());
        return statement->int64(0);
    }

    storage::SqliteCallStore call_store_{*db_};
    storage::SqliteJobQueue queue_{*db_};
    storage::FileBlobStore blobs_{dir_.path() / "blobs"};
    storage::SqliteMessageStore message_store_{*db_};
    storage::SqliteReplayGuard replay_{*db_};
    JobRunner jobs_{queue_, clock_, ids_, crypto_};
    VoiceMetrics voice_metrics_;
    FakeSpeechToText local_{"pocketsphinx"};
    FakeAudioDecoder decoder_;
    FakePipeline pipeline_;
    FakeHttpClient http_;
    TranscriptionService transcription_{TranscriptionSettings{},
                                        SpeechEngines{{"pocketsphinx", &local_}},
                                        decoder_,
                                        pipeline_,
                                        transcripts_,
                                        session_store_,
                                        call_store_,
                                        blobs_,
                                        http_,
                                        crypto_,
                                        jobs_,
                                        clock_,
                                        ids_,
                                        voice_metrics_};
    CountingSender sms_;
    CountingSender chat_;
    MessagingService messaging_{{message_store_, assistant_store_, replay_, sessions_, *shango_, jobs_,
                                 ChannelSenders{&sms_, &sms_, &chat_}, nullptr, nullptr, clock_, ids_},
                                MessagingSettings{}};
    IntegrationTranscribe use_case_{{transcription_, sessions_, *shango_, &messaging_, message_store_, transcripts_}};
};

TEST_F(IntegrationTranscribeTest, TheTranscriptJoinsTheSessionAndShangoAnswersIt) {
    const auto session = voice_session();
    auto done = use_case_.run(tetrix_, upload(session));
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_FALSE(done->transcription.queued);
    EXPECT_EQ(done->transcription.session_id, session);
    EXPECT_TRUE(done->errors.empty());
    ASSERT_TRUE(done->shango.has_value());
    ASSERT_TRUE(done->shango->answer.has_value());
    EXPECT_NE(done->shango->reply.text.find("30 days"), std::string::npos) << done->shango->reply.text;
    EXPECT_EQ(done->shango->reply.persona, "shango-billing");
    EXPECT_FALSE(done->reply.has_value());

    // The transcription is SHANGO's question: written once, by the transcription, then the answer.
    const auto messages = timeline(session, core::Platform::kTetrix);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].type, MessageType::kTranscription);
    EXPECT_EQ(messages[0].content, "How do I get a refund on my invoice?");
    EXPECT_EQ(messages[1].author, MessageAuthor::kAssistant);
    EXPECT_EQ(done->message_ids, (std::vector<std::string>{messages[0].id, messages[1].id}));
    EXPECT_EQ(done->shango->question.id, messages[0].id);
}

TEST_F(IntegrationTranscribeTest, TargetLanguageTranslatesThroughThePipeline) {
    pipeline_.effect = [](core::Transcript& transcript) {
        transcript.translation =
            core::Translation{transcript.text, "[es] " + transcript.text, "en", "es", "phrasebook"};
    };
    const auto session = voice_session();
    auto request = upload(session);
    request.target_language = "es";
    request.ask_shango = false;
    auto done = use_case_.run(tetrix_, std::move(request));
    ASSERT_TRUE(done.ok()) << done.error().message;
    ASSERT_FALSE(pipeline_.ran.empty());
    EXPECT_EQ(pipeline_.ran.back().translate_to, "es");
    EXPECT_EQ(done->transcription.transcription["translation"]["targetLanguage"], "es");
    EXPECT_FALSE(done->shango.has_value()) << "askShango false";
    const auto messages = timeline(session, core::Platform::kTetrix);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[1].type, MessageType::kTranslation);
    EXPECT_EQ(done->message_ids.size(), 2u);
}

TEST_F(IntegrationTranscribeTest, ReplyOnSmsSendsShangosAnswerToTheSessionsCustomer) {
    const auto session = voice_session();
    auto request = upload(session);
    request.reply_on = "sms";
    auto done = use_case_.run(tetrix_, std::move(request));
    ASSERT_TRUE(done.ok()) << done.error().message;
    ASSERT_TRUE(done->errors.empty()) << done->errors.front().error.message;
    ASSERT_TRUE(done->reply.has_value());
    EXPECT_EQ(done->reply->channel, Channel::kSms);
    EXPECT_EQ(done->reply->author, MessageAuthor::kAssistant);
    EXPECT_EQ(done->reply->content, done->shango->reply.text);
    EXPECT_EQ(done->message_ids.size(), 3u);
    EXPECT_EQ(done->message_ids.back(), done->reply->id);
    // Queued for the send job, like every outbound message.
    auto job = jobs_.find_by_dedupe_key("send:" + done->reply->id);
    ASSERT_TRUE(job.ok());
    EXPECT_TRUE(job->has_value());
}

TEST_F(IntegrationTranscribeTest, ReplyOnChatWritesNoSecondCopy) {
    const auto session = voice_session();
    auto request = upload(session);
    request.reply_on = "chat";
    auto done = use_case_.run(tetrix_, std::move(request));
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_FALSE(done->reply.has_value());
    EXPECT_EQ(timeline(session, core::Platform::kTetrix).size(), 2u);
}

TEST_F(IntegrationTranscribeTest, LongAudioIsQueuedAndShangoIsNotAsked) {
    decoder_.set(600, 1);
    const auto session = voice_session();
    auto done = use_case_.run(tetrix_, upload(session));
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_TRUE(done->transcription.queued);
    EXPECT_FALSE(done->transcription.job_id.empty());
    EXPECT_FALSE(done->shango.has_value());
    EXPECT_TRUE(timeline(session, core::Platform::kTetrix).empty());
}

TEST_F(IntegrationTranscribeTest, EveryBadInputIsRefusedNamingTheFieldBeforeAnythingIsHeard) {
    const auto session = voice_session();
    const auto no_phone = voice_session(std::nullopt);
    struct Case {
        std::string field;
        IntegrationTranscribeRequest request;
    };
    std::vector<Case> cases;
    cases.push_back({"sessionId", upload(std::nullopt)});
    cases.push_back({"sessionId", upload(std::string())});
    auto language = upload(session);
    language.target_language = "spanish!";
    cases.push_back({"targetLanguage", language});
    auto disagree = upload(session);
    disagree.target_language = "es";
    disagree.transcription.options.translate_to = "fr";
    cases.push_back({"targetLanguage", disagree});
    auto channel = upload(session);
    channel.reply_on = "voice";
    cases.push_back({"replyOn", channel});
    auto silent = upload(session);
    silent.reply_on = "sms";
    silent.ask_shango = false;
    cases.push_back({"replyOn", silent});
    auto unreachable = upload(no_phone);
    unreachable.reply_on = "whatsapp";
    cases.push_back({"replyOn", unreachable});
    auto callback = upload(session);
    callback.transcription.callback_url = "https://client.example.com/hook";
    cases.push_back({"callbackUrl", callback});
    for (auto& item : cases) {
        auto refused = use_case_.run(tetrix_, item.request);
        ASSERT_FALSE(refused.ok()) << item.field;
        EXPECT_EQ(refused.error().code, core::ErrorCode::kValidation) << item.field;
        EXPECT_EQ(testing::detail(refused.error(), "field"), item.field) << refused.error().message;
    }
    EXPECT_TRUE(local_.requests.empty()) << "nothing was transcribed";
    EXPECT_TRUE(decoder_.inputs.empty());
    EXPECT_EQ(rows("transcripts"), 0);
    EXPECT_TRUE(timeline(session, core::Platform::kTetrix).empty());
}

TEST_F(IntegrationTranscribeTest, AnotherPlatformsSessionIsNotFoundAndAnEndedOneConflicts) {
    const auto session = voice_session();
    auto hidden = use_case_.run(joromi_, upload(session));
    ASSERT_FALSE(hidden.ok());
    EXPECT_EQ(hidden.error().code, core::ErrorCode::kNotFound);

    ASSERT_TRUE(sessions_.end(tetrix_, session).ok());
    auto ended = use_case_.run(tetrix_, upload(session));
    ASSERT_FALSE(ended.ok());
    EXPECT_EQ(ended.error().code, core::ErrorCode::kConflict);
    EXPECT_TRUE(local_.requests.empty());
    EXPECT_EQ(rows("transcripts"), 0);
}

TEST_F(IntegrationTranscribeTest, SilenceAsksShangoNothing) {
    local_.answer.text = "";
    local_.answer.words.clear();
    const auto session = voice_session();
    auto done = use_case_.run(tetrix_, upload(session));
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_FALSE(done->shango.has_value());
    EXPECT_TRUE(done->errors.empty());
}

TEST_F(IntegrationTranscribeTest, ALanguageThePipelineCannotReachIsRefusedAsTargetLanguage) {
    pipeline_.check_error = core::Error::validation("translate_to", "cannot translate to 'xx'");
    const auto session = voice_session();
    auto request = upload(session);
    request.target_language = "xx";
    auto refused = use_case_.run(tetrix_, std::move(request));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(testing::detail(refused.error(), "field"), "targetLanguage");
    EXPECT_TRUE(local_.requests.empty());
    EXPECT_EQ(rows("transcripts"), 0);
}

}  // namespace
}  // namespace crossvoice::services::testing_assistant
