#include "openai/transcription_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <deque>
#include <string>
#include <vector>

#include "core/wav.hpp"
#include "infra/curl_http_client.hpp"
#include "support/error_detail.hpp"
#include "support/fake_stt_servers.hpp"
#include "support/scripted_http_client.hpp"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace crossvoice::openai {
namespace {

using core::ErrorCode;
using core::ports::HttpRequest;
using core::ports::HttpResponse;
using core::ports::SttRequest;
using Ms = std::chrono::milliseconds;

using crossvoice::testing::detail;

std::string wav(double seconds) {
    core::PcmAudio audio;
    audio.sample_rate = 16'000;
    audio.samples.assign(static_cast<std::size_t>(seconds * 16'000), 7);
    return core::write_wav(audio);
}

SttRequest wav_request() {
    SttRequest request;
    request.audio = wav(2.0);
    request.content_type = "audio/wav";
    return request;
}

std::vector<std::string> field(const testing::FakeSttRequest& request, std::string_view name) {
    std::vector<std::string> values;
    for (const auto& [key, value] : request.form_fields) {
        if (key == name) values.push_back(value);
    }
    return values;
}

using FakeHttpClient = testing::ScriptedHttpClient;

class TranscriptionClientTest : public ::testing::Test {
  protected:
    static infra::CurlHttpClientOptions no_waiting() {
        infra::CurlHttpClientOptions options;
        options.sleep = [](Ms) {};
        return options;
    }

    TranscriptionOptions options() const {
        TranscriptionOptions options;
        options.base_url = fake_.base_url() + "/";
        options.api_key = "sk-test";
        options.model = "whisper-1";
        options.timeout = Ms{5'000};
        return options;
    }

    testing::FakeOpenAiTranscription fake_{std::string("sk-test")};
    infra::CurlHttpClient http_{no_waiting()};
};

TEST_F(TranscriptionClientTest, SendsTheDocumentedFormAndMapsVerboseJson) {
    TranscriptionClient client(options(), http_);
    auto request = wav_request();
    request.language = "en-GB";
    request.keywords = {"Crossvoice", "refund"};
    const auto result = client.transcribe(request);
    ASSERT_TRUE(result.ok()) << result.error().message;

    const auto seen = fake_.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].target, "/v1/audio/transcriptions");
    EXPECT_EQ(seen[0].header("authorization"), "Bearer sk-test");
    EXPECT_TRUE(seen[0].header("content-type")->starts_with("multipart/form-data; boundary="));
    EXPECT_EQ(seen[0].file_name, "audio.wav");
    EXPECT_EQ(seen[0].file_content_type, "audio/wav");
    EXPECT_EQ(field(seen[0], "model"), std::vector<std::string>{"whisper-1"});
    EXPECT_EQ(field(seen[0], "language"), std::vector<std::string>{"en"});
    EXPECT_EQ(field(seen[0], "response_format"), std::vector<std::string>{"verbose_json"});
    EXPECT_EQ(field(seen[0], "timestamp_granularities[]"), (std::vector<std::string>{"word", "segment"}));
    EXPECT_EQ(field(seen[0], "prompt"), std::vector<std::string>{"Crossvoice, refund"});

    const auto& t = *result;
    EXPECT_EQ(t.provider, "openai");
    EXPECT_EQ(t.model, "whisper-1");
    EXPECT_EQ(t.text, "Hello, I need help with my order. Sure, I can help with that.");
    EXPECT_EQ(t.language, "en") << "Whisper's \"english\" as ISO 639-1";
    EXPECT_EQ(t.language_source, "engine");
    EXPECT_DOUBLE_EQ(t.duration, 2.0);
    ASSERT_EQ(t.words.size(), 13u);
    EXPECT_EQ(t.words[0].word, "hello");
    EXPECT_EQ(t.words[0].punctuated, "Hello");
    EXPECT_DOUBLE_EQ(t.words[0].start, 0.10);
    ASSERT_EQ(t.utterances.size(), 2u) << "one segment per speaker turn";
    EXPECT_EQ(t.utterances[0].text, "Hello, I need help with my order.");
    EXPECT_DOUBLE_EQ(t.utterances[1].start, 2.40);
    // exp(avg_logprob) gives back the fake's mean word confidence; words inherit their segment's.
    const double first = (0.99 + 0.98 + 0.97 + 0.98 + 0.96 + 0.97 + 0.95) / 7;
    EXPECT_NEAR(t.utterances[0].confidence, first, 1e-9);
    EXPECT_NEAR(t.words[0].confidence, first, 1e-9);
    EXPECT_NEAR(t.words[12].confidence, t.utterances[1].confidence, 1e-9);
    EXPECT_GT(t.confidence, 0.9);
}

TEST_F(TranscriptionClientTest, APlainTextReplyIsEnough) {
    fake_.set_plain_text_replies(true);
    TranscriptionClient client(options(), http_);
    const auto result = client.transcribe(wav_request());
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->text, "Hello, I need help with my order. Sure, I can help with that.");
    EXPECT_TRUE(result->words.empty());
    EXPECT_TRUE(result->utterances.empty());
    EXPECT_FALSE(result->language.has_value());
}

TEST_F(TranscriptionClientTest, AnErrorReplyBecomesAVendorErrorWithItsMessage) {
    fake_.fail_next(400, R"({"error":{"message":"The model `whisper-9` does not exist","type":"invalid_request_error",
                                      "param":"model","code":"model_not_found"}})");
    TranscriptionClient client(options(), http_);
    const auto result = client.transcribe(wav_request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kVendor);
    EXPECT_EQ(result.error().message, "The transcription engine answered 400: The model `whisper-9` does not exist");
    EXPECT_EQ(detail(result.error(), "vendor_code"), "model_not_found");
    EXPECT_EQ(detail(result.error(), "vendor_type"), "invalid_request_error");
    EXPECT_EQ(detail(result.error(), "status"), "400");
}

TEST_F(TranscriptionClientTest, AWrongKeyIsRefused) {
    auto wrong = options();
    wrong.api_key = "sk-wrong";
    TranscriptionClient client(wrong, http_);
    const auto result = client.transcribe(wav_request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kVendor);
    EXPECT_TRUE(result.error().message.starts_with("The transcription engine refused the API key (401)"));
    EXPECT_EQ(detail(result.error(), "vendor_code"), "invalid_api_key");
}

TEST_F(TranscriptionClientTest, CorruptWavIsUnsupportedMediaType) {
    TranscriptionClient client(options(), http_);
    SttRequest request;
    request.audio = "RIFFbroken";
    request.content_type = "audio/wav";
    const auto result = client.transcribe(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kUnsupportedMediaType);
}

TEST_F(TranscriptionClientTest, AServerErrorIsRetriedAndATimeoutReported) {
    fake_.fail_next(502, R"({"error":"upstream restarting"})");
    TranscriptionClient client(options(), http_);
    ASSERT_TRUE(client.transcribe(wav_request()).ok());
    EXPECT_EQ(fake_.requests().size(), 2u);

    fake_.delay_next(Ms{10'000});
    auto quick = options();
    quick.timeout = Ms{300};
    quick.max_attempts = 1;
    TranscriptionClient impatient(quick, http_);
    const auto result = impatient.transcribe(wav_request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
    EXPECT_EQ(detail(result.error(), "vendor"), "openai");
}

TEST(TranscriptionClientUnitTest, AUrlCannotBeSent) {
    FakeHttpClient http;
    TranscriptionClient client({.base_url = "http://whisper.test"}, http);
    SttRequest request;
    request.url = "https://example.com/a.wav";
    const auto result = client.transcribe(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_EQ(detail(result.error(), "field"), "url");
    EXPECT_TRUE(http.requests.empty());
}

TEST(TranscriptionClientUnitTest, NoKeyMeansNoAuthorizationAndFilenamesFollowTheType) {
    FakeHttpClient http;
    for (int i = 0; i < 3; ++i) http.replies.emplace_back(HttpResponse{200, {}, R"({"text":"ok"})", 1});
    TranscriptionClient client({.base_url = "http://whisper.test"}, http);
    for (const auto& [type, name] : std::vector<std::pair<std::string, std::string>>{
             {"audio/mpeg", "audio.mp3"}, {"audio/ogg; codecs=opus", "audio.ogg"}, {"", "audio.bin"}}) {
        SttRequest request;
        request.audio = "x";
        request.content_type = type;
        ASSERT_TRUE(client.transcribe(request).ok());
        const auto& sent = http.requests.back();
        EXPECT_EQ(sent.url, "http://whisper.test/v1/audio/transcriptions");
        for (const auto& [key, value] : sent.headers) EXPECT_NE(key, "Authorization");
        EXPECT_NE(sent.body.find("filename=\"" + name + "\""), std::string::npos) << type;
    }
}

TEST(TranscriptionClientUnitTest, ToleratesWhatCompatibleServersVary) {
    FakeHttpClient http;
    // faster-whisper: words carry their own probability; language a code; a segment without avg_logprob.
    http.replies.emplace_back(HttpResponse{200,
                                           {},
                                           R"({"text":" Hola.","language":"es","duration":"n/a",
        "segments":[{"start":0,"end":1,"text":" Hola."},"junk"],
        "words":[{"word":" Hola.","start":0.1,"end":0.5,"probability":0.42},{"word":7},{"word":"  "}]})",
                                           1});
    http.replies.emplace_back(HttpResponse{200, {}, R"({"text":"x","language":"klingonese"})", 1});
    http.replies.emplace_back(HttpResponse{200, {}, R"(["not","an","object"])", 1});
    http.replies.emplace_back(HttpResponse{500, {}, "<html>oops</html>", 1});
    TranscriptionClient client({.base_url = "http://whisper.test", .max_attempts = 1}, http);
    SttRequest request;
    request.audio = "x";

    auto first = client.transcribe(request);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->text, "Hola.");
    EXPECT_EQ(first->language, "es");
    ASSERT_EQ(first->words.size(), 1u);
    EXPECT_EQ(first->words[0].word, "hola");
    EXPECT_DOUBLE_EQ(first->words[0].confidence, 0.42);
    EXPECT_DOUBLE_EQ(first->utterances.at(0).confidence, 1.0) << "no logprob: exp(0)";
    EXPECT_DOUBLE_EQ(first->duration, 1.0) << "the last segment's end when duration is unusable";

    auto second = client.transcribe(request);
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(second->language.has_value()) << "an unknown language name is not passed on as a code";

    auto third = client.transcribe(request);
    ASSERT_FALSE(third.ok());
    EXPECT_EQ(third.error().code, ErrorCode::kVendor);

    auto fourth = client.transcribe(request);
    ASSERT_FALSE(fourth.ok());
    EXPECT_EQ(fourth.error().code, ErrorCode::kVendor);
    EXPECT_EQ(fourth.error().message, "The transcription engine answered 500: <html>oops</html>");
}

}  // namespace
}  // namespace crossvoice::openai
