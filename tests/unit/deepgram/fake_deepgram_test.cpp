// The fake must speak Deepgram's documented shapes (vendor-apis.md E) and refuse what Deepgram refuses: other
// tests, including the service's integration tests, trust it to catch a wrong request.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "core/wav.hpp"
#include "infra/curl_http_client.hpp"
#include "support/fake_stt_servers.hpp"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

std::string stereo_wav() {
    core::PcmAudio audio;
    audio.sample_rate = 16'000;
    audio.channels = 2;
    audio.samples.assign(2 * 8'000, 100);
    return core::write_wav(audio);
}

class FakeDeepgramTest : public ::testing::Test {
  protected:
    core::ports::HttpResponse post(const std::string& query, std::string body = stereo_wav(),
                                   std::string content_type = "audio/wav", std::string key = "test-deepgram-key") {
        core::ports::HttpRequest request;
        request.method = "POST";
        request.url = fake_.base_url() + "/v1/listen" + (query.empty() ? "" : "?" + query);
        request.headers = {{"Authorization", "Token " + key}, {"Content-Type", std::move(content_type)}};
        request.body = std::move(body);
        request.retry.max_attempts = 1;
        auto response = http_.send(request);
        EXPECT_TRUE(response.ok());
        return response.ok() ? *response : core::ports::HttpResponse{};
    }

    FakeDeepgram fake_;
    infra::CurlHttpClient http_;
};

TEST_F(FakeDeepgramTest, AnswersTheDocumentedShape) {
    const auto response = post("model=nova-3&punctuate=true");
    ASSERT_EQ(response.status, 200) << response.body;
    const auto body = json::parse(response.body);
    const auto& metadata = body.at("metadata");
    EXPECT_TRUE(metadata.at("request_id").is_string());
    EXPECT_DOUBLE_EQ(metadata.at("duration").get<double>(), 0.5);
    EXPECT_EQ(metadata.at("channels"), 1) << "multichannel not asked: one merged channel";
    const auto uuid = metadata.at("models").at(0).get<std::string>();
    EXPECT_EQ(metadata.at("model_info").at(uuid).at("arch"), "nova-3");
    const auto& alternative = body.at("results").at("channels").at(0).at("alternatives").at(0);
    EXPECT_EQ(alternative.at("transcript"), "Hello, I need help with my order. Sure, I can help with that.");
    const auto& word = alternative.at("words").at(0);
    EXPECT_EQ(word.at("word"), "hello");
    EXPECT_EQ(word.at("punctuated_word"), "Hello,");
    EXPECT_FALSE(word.contains("speaker")) << "only with diarize";
    EXPECT_FALSE(body.at("results").at("channels").at(0).contains("detected_language"));
    EXPECT_FALSE(body.at("results").contains("utterances"));
    EXPECT_FALSE(body.at("results").contains("summary"));
}

TEST_F(FakeDeepgramTest, OneChannelPerWavChannelWithMultichannel) {
    fake_.set_words({{"left", 0.1, 0.3, 0, 0}, {"right", 0.2, 0.4, 1, 1}});
    const auto body = json::parse(post("multichannel=true&diarize=true&utterances=true&detect_language=true").body);
    const auto& channels = body.at("results").at("channels");
    ASSERT_EQ(channels.size(), 2u);
    EXPECT_EQ(channels[0].at("alternatives").at(0).at("transcript"), "left");
    EXPECT_EQ(channels[1].at("alternatives").at(0).at("transcript"), "right");
    EXPECT_EQ(channels[1].at("alternatives").at(0).at("words").at(0).at("speaker"), 1);
    EXPECT_EQ(channels[0].at("detected_language"), "en");
    EXPECT_EQ(body.at("results").at("utterances").size(), 2u);
    EXPECT_EQ(body.at("results").at("utterances").at(1).at("channel"), 1);
}

TEST_F(FakeDeepgramTest, RefusesWhatDeepgramRefuses) {
    struct Case {
        std::string query;
        std::string message_part;
    };
    for (const Case& c :
         {Case{"modle=nova-3", "unknown query parameter: modle"}, Case{"diarize=yes", "diarize must be true or false"},
          Case{"model=nova-3&keywords=x", "Keywords are not supported"},
          Case{"model=nova-2&keyterm=x", "Keyterm is only supported"},
          Case{"summarize=true", "summarize must be v2"}}) {
        const auto response = post(c.query);
        EXPECT_EQ(response.status, 400) << c.query;
        const auto body = json::parse(response.body);
        EXPECT_EQ(body.at("err_code"), "Bad Request");
        EXPECT_NE(body.at("err_msg").get<std::string>().find(c.message_part), std::string::npos) << response.body;
        EXPECT_TRUE(body.at("request_id").is_string());
    }
}

TEST_F(FakeDeepgramTest, RefusesBadBodiesAndKeys) {
    EXPECT_EQ(post("", "").status, 400);
    EXPECT_EQ(post("", "RIFFjunk").status, 400);
    EXPECT_EQ(post("", R"({"link":"x"})", "application/json").status, 400);
    EXPECT_EQ(post("", "hello", "text/plain").status, 400);
    const auto refused = post("", stereo_wav(), "audio/wav", "wrong");
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(json::parse(refused.body).at("err_code"), "INVALID_AUTH");
    EXPECT_EQ(post("", "mp3 bytes", "audio/mpeg").status, 200) << "other containers are taken on trust";
    EXPECT_EQ(fake_.requests().size(), 6u);
}

TEST_F(FakeDeepgramTest, AnswersAnalysisWhenAskedAndACallbackWithOnlyTheRequestId) {
    const auto body =
        json::parse(post("summarize=v2&sentiment=true&topics=true&intents=true&detect_entities=true").body);
    const auto& results = body.at("results");
    EXPECT_EQ(results.at("summary").at("result"), "success");
    EXPECT_TRUE(results.at("sentiments").at("average").contains("sentiment_score"));
    EXPECT_FALSE(results.at("topics").at("segments").empty());
    EXPECT_FALSE(results.at("intents").at("segments").empty());
    EXPECT_TRUE(results.at("channels").at(0).at("alternatives").at(0).at("entities").is_array());

    const auto callback = json::parse(post("callback=https%3A%2F%2Fus.example%2Fhook").body);
    EXPECT_EQ(callback.size(), 1u);
    EXPECT_TRUE(callback.contains("request_id"));
}

}  // namespace
}  // namespace crossvoice::testing
