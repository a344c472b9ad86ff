// TranscriptionService::transcribe answered at once: what the engine and the pipeline are asked, what is stored,
// the session timeline, provider selection and request validation.
#include "services/transcription_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "transcription_test_base.hpp"

namespace crossvoice::services::transcription_testing {
namespace {

using nlohmann::json;

class TranscriptionServiceTest : public TranscriptionTestBase {};

TEST_F(TranscriptionServiceTest, AnUploadReachesTheEngineWithTheDecodedAudioAndTheRequestedOptions) {
    decoder_.set(3.5, 2);
    auto request = upload("the uploaded bytes", "application/octet-stream");
    request.language = "en-US";
    request.options.keywords = {"billing", "support"};
    request.options.model = "tiny";

    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_FALSE(outcome->queued);

    ASSERT_EQ(decoder_.inputs.size(), 1U);
    EXPECT_EQ(decoder_.inputs[0], "the uploaded bytes");
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_TRUE(deepgram_.requests.empty());
    const auto& stt = local_.requests[0];
    EXPECT_EQ(stt.audio, "the uploaded bytes");
    EXPECT_EQ(stt.content_type, "audio/wav");  // the decoder's finding, not the client's label
    ASSERT_NE(stt.decoded, nullptr);
    EXPECT_EQ(stt.decoded->samples, decoder_.answer.pcm.samples);
    EXPECT_EQ(stt.decoded->channels, 2);
    EXPECT_EQ(stt.language, std::optional<std::string>("en-US"));
    EXPECT_FALSE(stt.detect_language);  // a language was given
    EXPECT_TRUE(stt.multichannel);      // two channels: caller and agent
    EXPECT_EQ(stt.keywords, (std::vector<std::string>{"billing", "support"}));
    EXPECT_EQ(stt.model, std::optional<std::string>("tiny"));
    EXPECT_TRUE(stt.diarize);
}

TEST_F(TranscriptionServiceTest, LanguageDetectionIsAskedOnlyWithoutALanguage) {
    ASSERT_TRUE(service().transcribe(tetrix_, upload()).ok());
    auto no_detection = upload();
    no_detection.options.detect_language = false;
    ASSERT_TRUE(service().transcribe(tetrix_, no_detection).ok());
    ASSERT_EQ(local_.requests.size(), 2U);
    EXPECT_EQ(local_.requests[0].language, std::nullopt);
    EXPECT_TRUE(local_.requests[0].detect_language);
    EXPECT_FALSE(local_.requests[1].detect_language);
}

TEST_F(TranscriptionServiceTest, MultichannelFollowsTheChannelsUnlessTheOptionsSay) {
    decoder_.set(2.0, 1);
    ASSERT_TRUE(service().transcribe(tetrix_, upload()).ok());
    decoder_.set(2.0, 2);
    auto mixed = upload();
    mixed.options.multichannel = false;
    ASSERT_TRUE(service().transcribe(tetrix_, mixed).ok());
    decoder_.set(2.0, 1);
    auto forced = upload();
    forced.options.multichannel = true;
    ASSERT_TRUE(service().transcribe(tetrix_, forced).ok());

    ASSERT_EQ(local_.requests.size(), 3U);
    EXPECT_FALSE(local_.requests[0].multichannel);
    EXPECT_FALSE(local_.requests[1].multichannel);
    EXPECT_TRUE(local_.requests[2].multichannel);
}

TEST_F(TranscriptionServiceTest, ThePipelineGetsThePlatformsRedactionAndTheVocabulary) {
    settings_.platform_redaction[core::Platform::kTetrix] = {"pci", "ssn"};
    auto request = upload();
    request.options.redact = {"ssn", "email"};
    request.options.entities = false;
    request.options.translate_to = "es";
    request.options.diarize = false;

    ASSERT_TRUE(service().transcribe(tetrix_, request).ok());
    ASSERT_EQ(pipeline_.ran.size(), 1U);
    const auto& options = pipeline_.ran[0];
    EXPECT_EQ(options.redact, (std::vector<std::string>{"ssn", "email", "pci"}));
    EXPECT_TRUE(options.entities);  // redaction finds what to hide with the entity stage
    EXPECT_EQ(options.translate_to, std::optional<std::string>("es"));
    EXPECT_FALSE(options.diarize);
    EXPECT_TRUE(options.analyze);
    ASSERT_EQ(options.intents.size(), 1U);
    EXPECT_EQ(options.intents[0].name, "billing");
    EXPECT_EQ(options.intents[0].persona, std::optional<std::string>("shango-billing"));
    ASSERT_FALSE(vocabulary_asked_.empty());
    EXPECT_EQ(vocabulary_asked_.back(), core::Platform::kTetrix);
    // The same options were checked before any work was done.
    ASSERT_FALSE(pipeline_.checked.empty());
    EXPECT_EQ(pipeline_.checked[0].redact, options.redact);
}

TEST_F(TranscriptionServiceTest, APlatformWithoutRedactionKeepsTheCallersChoices) {
    settings_.platform_redaction[core::Platform::kTetrix] = {"pci"};
    auto request = upload();
    request.options.entities = false;
    request.options.analyze = false;
    ASSERT_TRUE(service().transcribe(joromi_, request).ok());
    ASSERT_EQ(pipeline_.ran.size(), 1U);
    EXPECT_TRUE(pipeline_.ran[0].redact.empty());
    EXPECT_FALSE(pipeline_.ran[0].entities);
    EXPECT_FALSE(pipeline_.ran[0].analyze);
    EXPECT_TRUE(pipeline_.ran[0].intents.empty());  // no analysis, no vocabulary
}

TEST_F(TranscriptionServiceTest, TheRedactedTranscriptIsWhatIsStoredAndReturned) {
    decoder_.set(3.5, 1);
    pipeline_.effect = [](core::Transcript& transcript) {
        transcript.redacted_text = "I want to pay my [CARD]";
        transcript.redacted_classes = {"pci"};
        transcript.language = "en";
    };
    auto outcome = service().transcribe(tetrix_, upload());
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome->transcription["text"], "I want to pay my [CARD]");
    EXPECT_EQ(outcome->transcription["id"], outcome->transcript_id);
    EXPECT_EQ(outcome->job_id, "");
    EXPECT_EQ(outcome->session_id, std::nullopt);

    auto stored = transcript_store_.find(core::Platform::kTetrix, outcome->transcript_id);
    ASSERT_TRUE(stored.ok() && stored.value().has_value());
    const auto& row = *stored.value();
    EXPECT_TRUE(row.id.starts_with("trn_"));
    EXPECT_EQ(row.platform, core::Platform::kTetrix);
    EXPECT_EQ(row.session_id, std::nullopt);
    EXPECT_EQ(row.call_id, std::nullopt);
    EXPECT_EQ(row.job_id, std::nullopt);
    EXPECT_EQ(row.source, "upload");
    EXPECT_EQ(row.provider, "pocketsphinx");
    EXPECT_EQ(row.language, std::optional<std::string>("en"));
    EXPECT_DOUBLE_EQ(row.duration, 3.5);  // the engine gave none: the decoder's
    EXPECT_EQ(row.text, "I want to pay my [CARD]");
    EXPECT_EQ(row.created_at, clock_.now());
    const auto body = json::parse(row.body_json);
    EXPECT_EQ(body["text"], "I want to pay my [CARD]");
    EXPECT_EQ(body["redactedClasses"], json::array({"pci"}));
    EXPECT_EQ(row.body_json.find("pay my bill"), std::string::npos);  // the original never reaches storage
    // Invisible to another platform.
    auto other = transcript_store_.find(core::Platform::kJoromi, outcome->transcript_id);
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(other.value().has_value());
}

TEST_F(TranscriptionServiceTest, ARequestedLanguageIsKeptWhenTheEngineNamesNone) {
    auto request = upload();
    request.language = "es";
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome->transcription["language"], "es");
    EXPECT_EQ(outcome->transcription["languageSource"], "requested");
}

TEST_F(TranscriptionServiceTest, ASessionGetsOneTranscriptionMessageAndIsMarked) {
    const auto session = open_session(tetrix_);
    auto request = upload();
    request.session_id = session;
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(outcome->session_id, std::optional<std::string>(session));

    const auto messages = timeline(session);
    ASSERT_EQ(messages.size(), 1U);
    const auto& said = messages[0];
    EXPECT_EQ(said.type, core::MessageType::kTranscription);
    EXPECT_EQ(said.author, core::MessageAuthor::kCaller);
    EXPECT_EQ(said.direction, core::MessageDirection::kInbound);
    EXPECT_EQ(said.channel, core::Channel::kVoice);
    EXPECT_EQ(said.content, "I want to pay my bill");
    const auto metadata = json::parse(said.metadata_json);
    EXPECT_EQ(metadata["transcriptId"], outcome->transcript_id);
    EXPECT_EQ(metadata["provider"], "pocketsphinx");

    auto stored = transcript_store_.find(core::Platform::kTetrix, outcome->transcript_id);
    ASSERT_TRUE(stored.ok() && stored.value().has_value());
    EXPECT_EQ(stored.value()->session_id, std::optional<std::string>(session));
    auto marked = session_store_.find(core::Platform::kTetrix, session);
    ASSERT_TRUE(marked.ok() && marked.value().has_value());
    EXPECT_TRUE(marked.value()->has_transcription);
}

TEST_F(TranscriptionServiceTest, TheTimelineMessageCarriesWhereTheEntitiesAre) {
    pipeline_.effect = [](core::Transcript& transcript) {
        transcript.text = "call me at +12025550142 tomorrow";
        core::Entity phone;
        phone.type = "phone_number";
        phone.value = "+12025550142";
        phone.start_char = 11;
        phone.end_char = 23;
        transcript.entities = {phone};
    };
    const auto session = open_session(tetrix_);
    auto request = upload();
    request.session_id = session;
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;

    const auto messages = timeline(session);
    ASSERT_EQ(messages.size(), 1U);
    const auto metadata = json::parse(messages[0].metadata_json);
    ASSERT_EQ(metadata["entities"].size(), 1U) << metadata.dump();
    EXPECT_EQ(metadata["entities"][0], (json{{"type", "phone_number"}, {"start", 11}, {"end", 23}}));
    EXPECT_EQ(messages[0].content.substr(11, 12), "+12025550142");
}

TEST_F(TranscriptionServiceTest, ATranslationAddsASecondTimelineMessage) {
    pipeline_.effect = [](core::Transcript& transcript) {
        transcript.language = "en";
        transcript.translation = core::Translation{transcript.text, "Quiero pagar mi factura", "en", "es", "apertium"};
    };
    const auto session = open_session(tetrix_);
    auto request = upload();
    request.session_id = session;
    request.options.translate_to = "es";
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;

    const auto messages = timeline(session);
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_EQ(messages[0].type, core::MessageType::kTranscription);
    EXPECT_EQ(messages[0].language, std::optional<std::string>("en"));
    EXPECT_EQ(messages[1].type, core::MessageType::kTranslation);
    EXPECT_EQ(messages[1].author, core::MessageAuthor::kSystem);
    EXPECT_EQ(messages[1].content, "Quiero pagar mi factura");
    EXPECT_EQ(messages[1].language, std::optional<std::string>("es"));
    const auto metadata = json::parse(messages[1].metadata_json);
    EXPECT_EQ(metadata["transcriptId"], outcome->transcript_id);
    EXPECT_EQ(metadata["sourceLanguage"], "en");
    EXPECT_EQ(metadata["engine"], "apertium");
}

TEST_F(TranscriptionServiceTest, MetricsCountSuccessesFailuresAndAudio) {
    decoder_.set(3.5, 1);
    ASSERT_TRUE(service().transcribe(tetrix_, upload()).ok());
    EXPECT_EQ(metrics_.transcriptions_succeeded.value(), 1U);
    EXPECT_EQ(metrics_.transcriptions_failed.value(), 0U);
    EXPECT_EQ(metrics_.transcription_audio_ms.value(), 3500U);

    local_.error = core::Error{core::ErrorCode::kVendor, "engine refused", {}};
    auto failed = service().transcribe(tetrix_, upload());
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, core::ErrorCode::kVendor);
    EXPECT_EQ(metrics_.transcriptions_succeeded.value(), 1U);
    EXPECT_EQ(metrics_.transcriptions_failed.value(), 1U);
    EXPECT_EQ(count_rows("transcripts"), 1);
}

TEST_F(TranscriptionServiceTest, APipelineFailureStoresNothing) {
    pipeline_.run_error = core::Error::unavailable("translator down");
    auto outcome = service().transcribe(tetrix_, upload());
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(count_rows("transcripts"), 0);
}

// ---- providers

TEST_F(TranscriptionServiceTest, TheDefaultProviderAndTheLocalAliasPickTheLocalEngine) {
    ASSERT_TRUE(service().transcribe(tetrix_, upload()).ok());
    auto local = upload();
    local.options.provider = "local";
    ASSERT_TRUE(service().transcribe(tetrix_, local).ok());
    EXPECT_EQ(local_.requests.size(), 2U);
    EXPECT_TRUE(deepgram_.requests.empty());

    auto vendor = upload();
    vendor.options.provider = "Deepgram";
    auto outcome = service().transcribe(tetrix_, vendor);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(deepgram_.requests.size(), 1U);
    EXPECT_EQ(outcome->transcription["provider"], "deepgram");
}

TEST_F(TranscriptionServiceTest, AnotherDefaultProviderIsHonoured) {
    settings_.default_provider = "deepgram";
    ASSERT_TRUE(service().transcribe(tetrix_, upload()).ok());
    EXPECT_EQ(deepgram_.requests.size(), 1U);
    EXPECT_TRUE(local_.requests.empty());
    EXPECT_EQ(service().providers(), (std::vector<std::string>{"deepgram", "pocketsphinx"}));
}

TEST_F(TranscriptionServiceTest, AnUnknownOrUnconfiguredProviderListsTheAvailableOnes) {
    EXPECT_EQ(service().providers(), (std::vector<std::string>{"pocketsphinx", "deepgram"}));
    for (const char* name : {"whisper", "openai"}) {  // openai is known but not configured here
        auto request = upload();
        request.options.provider = name;
        auto outcome = service().transcribe(tetrix_, request);
        ASSERT_FALSE(outcome.ok()) << name;
        EXPECT_EQ(outcome.error().code, core::ErrorCode::kValidation);
        EXPECT_EQ(detail(outcome.error(), "field"), "options.provider");
        EXPECT_NE(outcome.error().message.find(name), std::string::npos) << outcome.error().message;
        EXPECT_NE(outcome.error().message.find("pocketsphinx, deepgram"), std::string::npos) << outcome.error().message;
    }
    EXPECT_TRUE(local_.requests.empty());
    EXPECT_TRUE(decoder_.inputs.empty());
}

// ---- validation

TEST_F(TranscriptionServiceTest, BadRequestsNameTheFieldAndDoNoWork) {
    struct Case {
        const char* name;
        TranscribeRequest request;
        const char* field;
    };
    std::vector<Case> cases;
    cases.push_back({"no source", TranscribeRequest{}, "audioUrl"});
    auto two = upload();
    two.audio_url = "https://media.example.com/a.wav";
    cases.push_back({"two sources", two, "audioUrl"});
    auto recording_and_url = from_url();
    recording_and_url.recording_id = "ev-1";
    cases.push_back({"url and recording", recording_and_url, "audioUrl"});
    for (const char* tag : {"english", "e", "en_US", "en-", "en-toolongsubtag"}) {
        auto bad_language = upload();
        bad_language.language = tag;
        cases.push_back({"language", bad_language, "language"});
    }
    for (const char* url : {"ftp://client.example.com/hook", "client.example.com/hook", "javascript:alert(1)"}) {
        auto bad_callback = upload();
        bad_callback.callback_url = url;
        cases.push_back({"callback", bad_callback, "callbackUrl"});
    }
    auto bad_target = upload();
    bad_target.options.translate_to = "spanish!";
    cases.push_back({"translateTo", bad_target, "options.translateTo"});
    auto many_keywords = upload();
    many_keywords.options.keywords.assign(101, "word");
    cases.push_back({"keywords", many_keywords, "options.keywords"});

    for (const auto& [name, request, field] : cases) {
        auto outcome = service().transcribe(tetrix_, request);
        ASSERT_FALSE(outcome.ok()) << name;
        EXPECT_EQ(outcome.error().code, core::ErrorCode::kValidation) << name << ": " << outcome.error().message;
        EXPECT_EQ(detail(outcome.error(), "field"), field) << name;
    }
    EXPECT_TRUE(decoder_.inputs.empty());
    EXPECT_TRUE(local_.requests.empty());
    EXPECT_TRUE(http_.requests.empty());
    EXPECT_FALSE(any_queued(kTranscriptionJob));
    EXPECT_EQ(metrics_.transcriptions_failed.value(), cases.size());
}

TEST_F(TranscriptionServiceTest, TheLimitsThemselvesAreAccepted) {
    auto request = upload();
    request.options.keywords.assign(100, "word");
    request.language = "zh-Hant-TW";
    request.callback_url = std::nullopt;
    EXPECT_TRUE(service().transcribe(tetrix_, request).ok());
}

TEST_F(TranscriptionServiceTest, APipelineCheckFailureIsTheAnswer) {
    pipeline_.check_error = core::Error::validation("options.redact", "unknown redaction class 'dna'");
    auto request = upload();
    request.options.redact = {"dna"};
    auto outcome = service().transcribe(tetrix_, request);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(outcome.error().message, "unknown redaction class 'dna'");
    EXPECT_EQ(detail(outcome.error(), "field"), "options.redact");
    EXPECT_TRUE(decoder_.inputs.empty());
    EXPECT_TRUE(local_.requests.empty());
}

TEST_F(TranscriptionServiceTest, AnUnknownSessionIsNotFoundAndNothingIsStored) {
    const auto others = open_session(joromi_);
    for (const auto& session : {std::string("ses_01JAAAAAAAAAAAAAAAAAAAAAAA"), others}) {
        auto request = upload();
        request.session_id = session;
        auto outcome = service().transcribe(tetrix_, request);
        ASSERT_FALSE(outcome.ok()) << session;
        EXPECT_EQ(outcome.error().code, core::ErrorCode::kNotFound) << outcome.error().message;
    }
    EXPECT_EQ(count_rows("transcripts"), 0);
    EXPECT_EQ(count_rows("messages"), 0);
    EXPECT_EQ(metrics_.transcriptions_succeeded.value(), 0U);
}

TEST_F(TranscriptionServiceTest, DecoderErrorsAreTheAnswer) {
    decoder_.error = core::Error{core::ErrorCode::kUnsupportedMediaType, "found a PDF", {}};
    auto outcome = service().transcribe(tetrix_, upload());
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.error().code, core::ErrorCode::kUnsupportedMediaType);
    EXPECT_TRUE(local_.requests.empty());
    EXPECT_EQ(metrics_.transcriptions_failed.value(), 1U);
}

TEST_F(TranscriptionServiceTest, HeaderlessAudioReachesFileEnginesAsWav) {
    auto request = upload("\xff\x7f\xff\x7f", "audio/basic");
    request.upload->raw = core::ports::RawAudioFormat{core::ports::RawEncoding::kMulaw, 8'000, 1};
    ASSERT_TRUE(service().transcribe(tetrix_, request).ok());
    ASSERT_EQ(decoder_.raws.size(), 1U);
    ASSERT_TRUE(decoder_.raws[0].has_value());
    EXPECT_EQ(decoder_.raws[0]->encoding, core::ports::RawEncoding::kMulaw);
    ASSERT_EQ(local_.requests.size(), 1U);
    EXPECT_EQ(local_.requests[0].content_type, "audio/wav");
    EXPECT_EQ(local_.requests[0].audio, core::write_wav(decoder_.answer.pcm));
}

TEST_F(TranscriptionServiceTest, AudioUrlsAreFetchedAsTheSource) {
    http_.replies.push_back(FakeHttpClient::ok("fetched audio", "audio/mpeg"));
    auto outcome = service().transcribe(tetrix_, from_url("https://media.example.com/a.mp3?sig=1"));
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_EQ(http_.requests.size(), 1U);
    EXPECT_EQ(http_.requests[0].url, "https://media.example.com/a.mp3?sig=1");
    EXPECT_EQ(http_.requests[0].address_policy, core::ports::AddressPolicy::kPublicOnly);
    ASSERT_EQ(decoder_.inputs.size(), 1U);
    EXPECT_EQ(decoder_.inputs[0], "fetched audio");
    auto stored = transcript_store_.find(core::Platform::kTetrix, outcome->transcript_id);
    ASSERT_TRUE(stored.ok() && stored.value().has_value());
    EXPECT_EQ(stored.value()->source, "url");
}

TEST_F(TranscriptionServiceTest, TranscribeBytesUsesNoPlatformAndStoresNothing) {
    settings_.platform_redaction[core::Platform::kTetrix] = {"pci"};
    TranscriptionOptions options;
    auto transcript = service().transcribe_bytes("cli bytes", "audio/wav", std::string("en"), options);
    ASSERT_TRUE(transcript.ok()) << transcript.error().message;
    EXPECT_EQ(transcript->text, "I want to pay my bill");
    ASSERT_EQ(pipeline_.ran.size(), 1U);
    EXPECT_TRUE(pipeline_.ran[0].redact.empty());
    EXPECT_TRUE(vocabulary_asked_.empty());
    EXPECT_EQ(count_rows("transcripts"), 0);
}

}  // namespace
}  // namespace crossvoice::services::transcription_testing
