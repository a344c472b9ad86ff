#include "deepgram/deepgram_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/wav.hpp"
#include "infra/curl_http_client.hpp"
#include "support/error_detail.hpp"
#include "support/fake_stt_servers.hpp"

// Scripted words name only word, start and end; the rest keep their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace crossvoice::deepgram {
namespace {

using core::ErrorCode;
using core::ports::HttpRequest;
using core::ports::HttpResponse;
using core::ports::SttRequest;
using nlohmann::json;
using Ms = std::chrono::milliseconds;

constexpr std::string_view kMinimalReply =
    R"({"metadata":{"request_id":"r-1","duration":1.0,"channels":1,"models":["m"]},
        "results":{"channels":[{"alternatives":[{"transcript":"hi","confidence":0.9,"words":[]}]}]}})";

using crossvoice::testing::detail;

std::optional<std::string> header(const HttpRequest& request, std::string_view name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

std::string wav(int channels, double seconds = 1.0) {
    core::PcmAudio audio;
    audio.sample_rate = 8'000;
    audio.channels = channels;
    audio.samples.assign(static_cast<std::size_t>(seconds * 8'000) * static_cast<std::size_t>(channels), 0);
    for (std::size_t i = 0; i < audio.samples.size(); ++i) audio.samples[i] = static_cast<std::int16_t>(i % 200 * 50);
    return core::write_wav(audio);
}

SttRequest wav_request(int channels = 1) {
    SttRequest request;
    request.audio = wav(channels);
    request.content_type = "audio/wav";
    return request;
}

// Records every request and answers from a script; kMinimalReply once the script runs out.
class FakeHttpClient final : public core::ports::HttpClient {
  public:
    core::Result<HttpResponse> send(const HttpRequest& request) override {
        requests.push_back(request);
        if (replies.empty()) return HttpResponse{200, {}, std::string(kMinimalReply), 1};
        auto reply = std::move(replies.front());
        replies.pop_front();
        return reply;
    }
    std::vector<HttpRequest> requests;
    std::deque<core::Result<HttpResponse>> replies;
};

DeepgramOptions fake_options() {
    DeepgramOptions options;
    options.base_url = "https://deepgram.test/";
    options.api_key = "dg-key";
    options.model = "nova-3";
    options.timeout = Ms{12'345};
    options.max_attempts = 4;
    return options;
}

TEST(DeepgramClientTest, PostsRawAudioWithTheTokenAndTheQuery) {
    FakeHttpClient http;
    DeepgramClient client(fake_options(), http);
    auto request = wav_request();
    request.diarize = true;
    const auto result = client.transcribe(request);
    ASSERT_TRUE(result.ok()) << result.error().message;
    ASSERT_EQ(http.requests.size(), 1u);
    const auto& sent = http.requests[0];
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.url,
              "https://deepgram.test/v1/listen?model=nova-3&punctuate=true&smart_format=true&diarize=true&"
              "utterances=true");
    EXPECT_EQ(header(sent, "Authorization"), "Token dg-key");
    EXPECT_EQ(header(sent, "Content-Type"), "audio/wav");
    EXPECT_EQ(sent.body, request.audio);
    EXPECT_EQ(sent.attempt_timeout, Ms{12'345});
    EXPECT_EQ(sent.retry.max_attempts, 4);
    EXPECT_TRUE(sent.retry.retry_if_maybe_processed) << "a transcription is idempotent";
    EXPECT_EQ(result->provider, "deepgram");
    EXPECT_EQ(result->text, "hi");
    EXPECT_EQ(result->request_id, "r-1");
}

TEST(DeepgramClientTest, AUrlIsSentAsJson) {
    FakeHttpClient http;
    DeepgramClient client(fake_options(), http);
    SttRequest request;
    request.url = "https://example.com/a b.wav";
    ASSERT_TRUE(client.transcribe(request).ok());
    const auto& sent = http.requests.at(0);
    EXPECT_EQ(header(sent, "Content-Type"), "application/json");
    EXPECT_EQ(json::parse(sent.body), (json{{"url", "https://example.com/a b.wav"}}));
}

TEST(DeepgramClientTest, AudioWinsOverAUrlAndAnUnknownTypeIsSniffedByDeepgram) {
    FakeHttpClient http;
    DeepgramClient client(fake_options(), http);
    SttRequest request;
    request.audio = "bytes";
    request.url = "https://example.com/x.wav";
    ASSERT_TRUE(client.transcribe(request).ok());
    EXPECT_EQ(header(http.requests.at(0), "Content-Type"), "application/octet-stream");
    EXPECT_EQ(http.requests.at(0).body, "bytes");
}

TEST(DeepgramClientTest, NothingToTranscribeIsAValidationErrorAndNothingIsSent) {
    FakeHttpClient http;
    DeepgramClient client(fake_options(), http);
    const auto result = client.transcribe(SttRequest{});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(http.requests.empty());
}

TEST(DeepgramClientTest, NetworkErrorsSayWhose) {
    FakeHttpClient http;
    http.replies.emplace_back(core::Error{ErrorCode::kUnavailable, "connect failed", {{"reason", "connect_failed"}}});
    DeepgramClient client(fake_options(), http);
    const auto result = client.transcribe(wav_request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(detail(result.error(), "vendor"), "deepgram");
    EXPECT_EQ(detail(result.error(), "reason"), "connect_failed");
}

TEST(DeepgramClientTest, AnUnusable2xxIsAVendorError) {
    FakeHttpClient http;
    http.replies.emplace_back(HttpResponse{200, {}, R"({"request_id":"only"})", 1});
    DeepgramClient client(fake_options(), http);
    const auto result = client.transcribe(wav_request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(result.error(), "field"), "results.channels");
}

TEST(DeepgramClientTest, TheRequestedLanguageIsKeptWhenDeepgramNamesNone) {
    FakeHttpClient http;
    DeepgramClient client(fake_options(), http);
    auto request = wav_request();
    request.language = "es";
    const auto result = client.transcribe(request);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->language, "es");
    EXPECT_EQ(result->language_source, "requested");
}

// ---- end to end: the real HTTP client against the loopback fake

class DeepgramEndToEndTest : public ::testing::Test {
  protected:
    static infra::CurlHttpClientOptions no_waiting() {
        infra::CurlHttpClientOptions options;
        options.sleep = [](Ms) {};  // backoff is the HttpClient's business, tested there
        return options;
    }

    DeepgramOptions options() const {
        DeepgramOptions options;
        options.base_url = fake_.base_url();
        options.api_key = fake_.api_key();
        options.timeout = Ms{5'000};
        options.max_attempts = 3;
        return options;
    }

    testing::FakeDeepgram fake_;
    infra::CurlHttpClient http_{no_waiting()};
};

TEST_F(DeepgramEndToEndTest, TranscribesARawWavWithEveryFeature) {
    DeepgramClient client(options(), http_);
    auto request = wav_request(2);
    request.multichannel = true;
    request.diarize = true;
    request.detect_language = true;
    request.detect_entities = true;
    request.summarize = true;
    request.sentiment = true;
    request.topics = true;
    request.intents = true;
    request.redact = {"pci", "ssn"};
    request.keywords = {"order"};
    const auto result = client.transcribe(request);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->provider, "deepgram");
    EXPECT_EQ(result->channels, 2);
    EXPECT_EQ(result->text, "Hello, I need help with my order.\nSure, I can help with that.");
    EXPECT_DOUBLE_EQ(result->duration, 1.0);
    EXPECT_EQ(result->language, "en");
    EXPECT_EQ(result->language_source, "engine");
    EXPECT_EQ(result->model, "general-nova-3");
    ASSERT_EQ(result->words.size(), 13u);
    EXPECT_EQ(result->words.front().word, "hello");
    EXPECT_EQ(result->words.front().punctuated, "Hello,");
    EXPECT_EQ(result->words.back().channel, 1);
    EXPECT_EQ(result->words.back().speaker, 1);
    ASSERT_EQ(result->utterances.size(), 2u);
    EXPECT_EQ(result->utterances[1].text, "Sure, I can help with that.");
    EXPECT_TRUE(result->engine_summary.has_value());
    ASSERT_TRUE(result->engine_sentiment.has_value());
    EXPECT_EQ(result->engine_sentiment->label, "positive");
    EXPECT_EQ(result->engine_topics, std::vector<std::string>{"Customer support"});
    EXPECT_EQ(result->engine_intents, std::vector<std::string>{"Get help"});
    EXPECT_TRUE(result->request_id.has_value());

    const auto seen = fake_.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "POST");
    EXPECT_EQ(seen[0].header("authorization"), "Token " + fake_.api_key());
    EXPECT_EQ(seen[0].header("content-type"), "audio/wav");
    EXPECT_EQ(seen[0].body_size, request.audio.size());
    EXPECT_NE(seen[0].target.find("redact=pci&redact=ssn"), std::string::npos) << seen[0].target;
    EXPECT_NE(seen[0].target.find("keyterm=order"), std::string::npos) << seen[0].target;
}

TEST_F(DeepgramEndToEndTest, EntitiesComeBackPlacedInTheText) {
    fake_.set_words({{"My", 0.1, 0.2}, {"number", 0.2, 0.4}, {"is", 0.4, 0.5}, {"555", 0.6, 0.9}, {"0100.", 0.9, 1.3}});
    DeepgramClient client(options(), http_);
    auto request = wav_request();
    request.detect_entities = true;
    const auto result = client.transcribe(request);
    ASSERT_TRUE(result.ok()) << result.error().message;
    ASSERT_EQ(result->entities.size(), 1u);
    const auto& entity = result->entities[0];
    EXPECT_EQ(entity.type, "phone_number");
    EXPECT_EQ(entity.value, "555 0100");
    EXPECT_EQ(result->text.substr(entity.start_char, entity.end_char - entity.start_char), "555 0100");
    EXPECT_EQ(entity.start_word, 3u);
}

TEST_F(DeepgramEndToEndTest, TranscribesAUrl) {
    DeepgramClient client(options(), http_);
    SttRequest request;
    request.url = "https://recordings.example.com/call.wav";
    const auto result = client.transcribe(request);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->text, "Hello, I need help with my order. Sure, I can help with that.");
    const auto seen = fake_.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].header("content-type"), "application/json");
    EXPECT_EQ(json::parse(seen[0].body)["url"], "https://recordings.example.com/call.wav");
}

TEST_F(DeepgramEndToEndTest, AWrongKeyIsRefused) {
    auto wrong = options();
    wrong.api_key = "not-the-key";
    DeepgramClient client(wrong, http_);
    const auto result = client.transcribe(wav_request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kVendor);
    EXPECT_TRUE(result.error().message.starts_with("Deepgram refused the API key (401)")) << result.error().message;
    EXPECT_EQ(detail(result.error(), "vendor_code"), "INVALID_AUTH");
    EXPECT_TRUE(detail(result.error(), "request_id").has_value());
    EXPECT_EQ(fake_.requests().size(), 1u) << "a 401 is an answer, not retried";
}

TEST_F(DeepgramEndToEndTest, AServerErrorIsRetriedThenSucceeds) {
    fake_.fail_next(500, R"({"category":"INTERNAL_SERVER_ERROR","message":"try again","request_id":"r"})");
    DeepgramClient client(options(), http_);
    const auto result = client.transcribe(wav_request());
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(fake_.requests().size(), 2u);
    EXPECT_EQ(result->text, "Hello, I need help with my order. Sure, I can help with that.");
}

TEST_F(DeepgramEndToEndTest, PersistentServerErrorsBecomeAVendorError) {
    for (int i = 0; i < 3; ++i) fake_.fail_next(503, R"({"category":"UNAVAILABLE","message":"overloaded"})");
    DeepgramClient client(options(), http_);
    const auto result = client.transcribe(wav_request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kVendor);
    EXPECT_EQ(result.error().message, "Deepgram 503: overloaded");
    EXPECT_EQ(fake_.requests().size(), 3u);
}

TEST_F(DeepgramEndToEndTest, ASlowAnswerTimesOut) {
    fake_.delay_next(Ms{10'000});
    auto quick = options();
    quick.timeout = Ms{300};
    quick.max_attempts = 1;
    DeepgramClient client(quick, http_);
    const auto result = client.transcribe(wav_request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kTimeout);
    EXPECT_EQ(detail(result.error(), "vendor"), "deepgram");
}

TEST_F(DeepgramEndToEndTest, CorruptAudioIsUnsupportedMediaType) {
    DeepgramClient client(options(), http_);
    SttRequest request;
    request.audio = "RIFF....WAVEnot really";
    request.content_type = "audio/wav";
    const auto result = client.transcribe(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kUnsupportedMediaType);
}

TEST_F(DeepgramEndToEndTest, KeywordsOnNova2AreAcceptedToo) {
    auto nova2 = options();
    nova2.model = "nova-2-phonecall";
    DeepgramClient client(nova2, http_);
    auto request = wav_request();
    request.keywords = {"refund policy"};
    const auto result = client.transcribe(request);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->model, "general-nova-2-phonecall");
    EXPECT_NE(fake_.requests().at(0).target.find("keywords=refund%20policy"), std::string::npos);
}

}  // namespace
}  // namespace crossvoice::deepgram
