#include "deepgram/response_mapper.hpp"
#include "support/error_detail.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace crossvoice::deepgram {
namespace {

using core::ErrorCode;
using nlohmann::json;

using crossvoice::testing::detail;

// Modelled on the documented response (vendor-apis.md E): a two-channel call recording transcribed with
// multichannel, diarize, utterances, detect_language, detect_entities, summarize=v2, sentiment, topics, intents.
constexpr std::string_view kFullResponse = R"({
  "metadata": {
    "transaction_key": "deprecated",
    "request_id": "6e1d6f3c-8a1b-4c5e-9f7a-2b3c4d5e6f70",
    "sha256": "154e291ecfa8be6ab8343560bcc109008fa7853eb5372533e8efdefc9b504c33",
    "created": "2025-03-04T10:11:12.345Z",
    "duration": 4.2,
    "channels": 2,
    "models": ["30089e05-99d1-4376-b32e-c263170674af"],
    "model_info": {
      "30089e05-99d1-4376-b32e-c263170674af": {"name": "general-nova-3", "version": "2024-12-20.0", "arch": "nova-3"}
    }
  },
  "results": {
    "channels": [
      {
        "detected_language": "en",
        "language_confidence": 0.99,
        "alternatives": [{
          "transcript": "Hello, my number is 555 0100.",
          "confidence": 0.98,
          "words": [
            {"word": "hello", "start": 0.08, "end": 0.4, "confidence": 0.99, "punctuated_word": "Hello,", "speaker": 0, "speaker_confidence": 0.91},
            {"word": "my", "start": 0.48, "end": 0.6, "confidence": 0.98, "punctuated_word": "my", "speaker": 0, "speaker_confidence": 0.9},
            {"word": "number", "start": 0.6, "end": 0.9, "confidence": 0.97, "punctuated_word": "number", "speaker": 0, "speaker_confidence": 0.9},
            {"word": "is", "start": 0.9, "end": 1.0, "confidence": 0.99, "punctuated_word": "is", "speaker": 0, "speaker_confidence": 0.9},
            {"word": "555", "start": 1.1, "end": 1.5, "confidence": 0.95, "punctuated_word": "555", "speaker": 0, "speaker_confidence": 0.88},
            {"word": "0100", "start": 1.5, "end": 2.0, "confidence": 0.94, "punctuated_word": "0100.", "speaker": 0, "speaker_confidence": 0.88}
          ],
          "entities": [
            {"label": "PHONE_NUMBER", "value": "555 0100", "confidence": 0.93, "start_word": 4, "end_word": 5}
          ]
        }]
      },
      {
        "detected_language": "en",
        "language_confidence": 0.97,
        "alternatives": [{
          "transcript": "Thanks. Call me tomorrow.",
          "confidence": 0.9,
          "words": [
            {"word": "thanks", "start": 2.3, "end": 2.6, "confidence": 0.92, "punctuated_word": "Thanks.", "speaker": 1, "speaker_confidence": 0.8},
            {"word": "call", "start": 2.7, "end": 2.9, "confidence": 0.9, "punctuated_word": "Call", "speaker": 1, "speaker_confidence": 0.8},
            {"word": "me", "start": 2.9, "end": 3.0, "confidence": 0.91, "punctuated_word": "me", "speaker": 1, "speaker_confidence": 0.8},
            {"word": "tomorrow", "start": 3.0, "end": 3.6, "confidence": 0.88, "punctuated_word": "tomorrow.", "speaker": 1, "speaker_confidence": 0.8}
          ],
          "entities": [
            {"label": "DATE", "value": "tomorrow", "confidence": 0.8, "start_word": 3, "end_word": 3}
          ]
        }]
      }
    ],
    "utterances": [
      {"start": 0.08, "end": 2.0, "confidence": 0.97, "channel": 0, "transcript": "Hello, my number is 555 0100.",
       "words": [], "speaker": 0, "id": "a1b2c3d4-0000-4000-8000-000000000001"},
      {"start": 2.3, "end": 3.6, "confidence": 0.9, "channel": 1, "transcript": "Thanks. Call me tomorrow.",
       "words": [], "speaker": 1, "id": "a1b2c3d4-0000-4000-8000-000000000002"}
    ],
    "summary": {"result": "success", "short": "The caller gave a number and asked to be called tomorrow."},
    "sentiments": {
      "segments": [{"text": "Thanks.", "start_word": 0, "end_word": 0, "sentiment": "positive", "sentiment_score": 0.6}],
      "average": {"sentiment": "Positive", "sentiment_score": 0.31}
    },
    "topics": {"segments": [
      {"text": "Hello, my number is 555 0100.", "start_word": 0, "end_word": 5, "topics": [{"topic": "Contact details", "confidence_score": 0.7}]},
      {"text": "Thanks. Call me tomorrow.", "start_word": 6, "end_word": 9, "topics": [{"topic": "Callback", "confidence_score": 0.6}, {"topic": "Contact details", "confidence_score": 0.5}]}
    ]},
    "intents": {"segments": [
      {"text": "Call me tomorrow.", "start_word": 7, "end_word": 9, "intents": [{"intent": "Request callback", "confidence_score": 0.8}]},
      {"text": "Call me tomorrow.", "start_word": 7, "end_word": 9, "intents": [{"intent": "Request callback", "confidence_score": 0.7}]}
    ]}
  }
})";

TEST(ResponseMapperTest, MapsTheDocumentedFullResponse) {
    const auto result = map_listen_response(kFullResponse);
    ASSERT_TRUE(result.ok()) << result.error().message;
    const auto& t = *result;

    EXPECT_EQ(t.request_id, "6e1d6f3c-8a1b-4c5e-9f7a-2b3c4d5e6f70");
    EXPECT_DOUBLE_EQ(t.duration, 4.2);
    EXPECT_EQ(t.channels, 2);
    EXPECT_EQ(t.model, "general-nova-3");
    EXPECT_EQ(t.text, "Hello, my number is 555 0100.\nThanks. Call me tomorrow.");
    EXPECT_DOUBLE_EQ(t.confidence, (0.98 + 0.9) / 2);
    EXPECT_EQ(t.language, "en");
    EXPECT_DOUBLE_EQ(t.language_confidence, 0.99);
    EXPECT_EQ(t.language_source, "engine");

    ASSERT_EQ(t.words.size(), 10u);
    EXPECT_EQ(t.words[0].word, "hello");
    EXPECT_EQ(t.words[0].punctuated, "Hello,");
    EXPECT_DOUBLE_EQ(t.words[0].start, 0.08);
    EXPECT_DOUBLE_EQ(t.words[0].end, 0.4);
    EXPECT_DOUBLE_EQ(t.words[0].confidence, 0.99);
    EXPECT_EQ(t.words[0].speaker, 0);
    EXPECT_EQ(t.words[0].channel, 0);
    EXPECT_EQ(t.words[6].word, "thanks");
    EXPECT_EQ(t.words[6].speaker, 1);
    EXPECT_EQ(t.words[6].channel, 1);
    EXPECT_EQ(t.words[9].punctuated, "tomorrow.");

    ASSERT_EQ(t.entities.size(), 2u);
    const auto& phone = t.entities[0];
    EXPECT_EQ(phone.type, "phone_number");
    EXPECT_EQ(phone.value, "555 0100");
    EXPECT_DOUBLE_EQ(phone.confidence, 0.93);
    EXPECT_EQ(phone.start_word, 4u);
    EXPECT_EQ(phone.end_word, 5u);
    EXPECT_EQ(t.text.substr(phone.start_char, phone.end_char - phone.start_char), "555 0100");
    EXPECT_EQ(phone.source, "deepgram");
    const auto& date = t.entities[1];
    EXPECT_EQ(date.type, "date");
    EXPECT_EQ(date.start_word, 9u) << "indices into Transcript::words, across channels";
    EXPECT_EQ(date.end_word, 9u);
    EXPECT_EQ(t.text.substr(date.start_char, date.end_char - date.start_char), "tomorrow");

    ASSERT_EQ(t.utterances.size(), 2u);
    EXPECT_DOUBLE_EQ(t.utterances[1].start, 2.3);
    EXPECT_DOUBLE_EQ(t.utterances[1].end, 3.6);
    EXPECT_DOUBLE_EQ(t.utterances[1].confidence, 0.9);
    EXPECT_EQ(t.utterances[1].channel, 1);
    EXPECT_EQ(t.utterances[1].speaker, 1);
    EXPECT_EQ(t.utterances[1].text, "Thanks. Call me tomorrow.");

    EXPECT_EQ(t.engine_summary, "The caller gave a number and asked to be called tomorrow.");
    ASSERT_TRUE(t.engine_sentiment.has_value());
    EXPECT_EQ(t.engine_sentiment->label, "positive");
    EXPECT_DOUBLE_EQ(t.engine_sentiment->score, 0.31);
    EXPECT_EQ(t.engine_topics, (std::vector<std::string>{"Contact details", "Callback"}));
    EXPECT_EQ(t.engine_intents, (std::vector<std::string>{"Request callback"}));
    EXPECT_TRUE(t.provider.empty()) << "the client names the provider";
}

TEST(ResponseMapperTest, AMinimalResponseNeedsOnlyChannels) {
    const auto result = map_listen_response(
        R"({"results":{"channels":[{"alternatives":[{"transcript":"yes","confidence":0.5,"words":[]}]}]}})");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->text, "yes");
    EXPECT_DOUBLE_EQ(result->confidence, 0.5);
    EXPECT_EQ(result->channels, 1);
    EXPECT_FALSE(result->request_id.has_value());
    EXPECT_FALSE(result->language.has_value());
    EXPECT_TRUE(result->words.empty());
    EXPECT_FALSE(result->engine_summary.has_value());
    EXPECT_FALSE(result->engine_sentiment.has_value());
}

TEST(ResponseMapperTest, WordsWithoutPunctuationOrSpeakerAndNullsAreAccepted) {
    const auto result = map_listen_response(R"({"metadata":{"request_id":null,"models":["uuid-only"]},
        "results":{"channels":[{"detected_language":null,"alternatives":[{"confidence":0.7,
        "words":[{"word":"yes","start":0.1,"end":0.3,"confidence":0.8,"speaker":null},
                 {"word":"please","start":0.4,"end":0.8,"confidence":0.6}]}]}]}})");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->model, "uuid-only");
    EXPECT_EQ(result->text, "yes please") << "built from the words when transcript is missing";
    ASSERT_EQ(result->words.size(), 2u);
    EXPECT_EQ(result->words[1].punctuated, "please");
    EXPECT_FALSE(result->words[0].speaker.has_value());
}

TEST(ResponseMapperTest, AnEntityWhoseWordsCannotBePlacedIsFoundByValue) {
    const auto result = map_listen_response(R"({"results":{"channels":[{"alternatives":[{
        "transcript":"Call 911 now","confidence":0.9,"words":[],
        "entities":[{"label":"CARDINAL","value":"911","start_word":7,"end_word":9}]}]}]}})");
    ASSERT_TRUE(result.ok()) << result.error().message;
    ASSERT_EQ(result->entities.size(), 1u);
    EXPECT_FALSE(result->entities[0].start_word.has_value()) << "word 7 does not exist";
    EXPECT_EQ(result->entities[0].start_char, 5u);
    EXPECT_EQ(result->entities[0].end_char, 8u);
    EXPECT_DOUBLE_EQ(result->entities[0].confidence, 1.0);
}

struct Misshapen {
    std::string body;
    std::string where;
};

class UnexpectedShapeTest : public ::testing::TestWithParam<Misshapen> {};

TEST_P(UnexpectedShapeTest, IsAVendorErrorNamingWhere) {
    const auto result = map_listen_response(GetParam().body);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kVendor);
    EXPECT_EQ(result.error().message, "Deepgram answered with an unexpected shape: " + GetParam().where);
    EXPECT_EQ(detail(result.error(), "field"), GetParam().where);
    EXPECT_EQ(detail(result.error(), "vendor"), "deepgram");
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, UnexpectedShapeTest,
    ::testing::Values(
        Misshapen{"", "not JSON"}, Misshapen{"<html>502</html>", "not JSON"}, Misshapen{"[1,2]", "document"},
        Misshapen{R"({"request_id":"x"})", "results.channels"}, Misshapen{R"({"results":{}})", "results.channels"},
        Misshapen{R"({"results":{"channels":{}}})", "results.channels"},
        Misshapen{R"({"results":{"channels":[{}]}})", "results.channels[0].alternatives"},
        Misshapen{R"({"results":{"channels":[{"alternatives":[]}]}})", "results.channels[0].alternatives"},
        Misshapen{R"({"metadata":{"duration":"4.2"},"results":{"channels":[]}})", "metadata.duration"},
        Misshapen{R"({"metadata":{"channels":-1},"results":{"channels":[]}})", "metadata.channels"},
        Misshapen{R"({"results":{"channels":[{"alternatives":[{"words":[{"word":"a","start":"0"}]}]}]}})",
                  "results.channels[0].alternatives[0].words[0].start"},
        Misshapen{R"({"results":{"channels":[{"alternatives":[{"words":[]}]},{"alternatives":[{"words":[1]}]}]}})",
                  "results.channels[1].alternatives[0].words[0]"},
        Misshapen{R"({"results":{"channels":[{"alternatives":[{"words":[{"word":"a","speaker":1.5}]}]}]}})",
                  "results.channels[0].alternatives[0].words[0].speaker"},
        Misshapen{R"({"results":{"channels":[{"alternatives":[{"words":[{"word":"a","speaker":99999999999}]}]}]}})",
                  "results.channels[0].alternatives[0].words[0].speaker"},
        Misshapen{R"({"results":{"channels":[],"utterances":[{"channel":"0"}]}})", "results.utterances[0].channel"},
        Misshapen{R"({"results":{"channels":[],"summary":"text"}})", "results.summary"},
        Misshapen{R"({"results":{"channels":[],"sentiments":{"average":{"sentiment_score":"high"}}}})",
                  "results.sentiments.average.sentiment_score"},
        Misshapen{R"({"results":{"channels":[],"topics":{"segments":[{"topics":[{"topic":3}]}]}}})",
                  "results.topics.segments[0].topics[0].topic"}));

TEST(ResponseMapperTest, ArbitraryBytesNeverCrash) {
    const std::string full(kFullResponse);
    // Every prefix of a real response, and a few byte flips: truncated and corrupted bodies happen.
    for (std::size_t size = 0; size < full.size(); size += 37) {
        const auto result = map_listen_response(std::string_view(full).substr(0, size));
        EXPECT_FALSE(result.ok());
    }
    for (std::size_t at = 0; at < full.size(); at += 53) {
        std::string flipped = full;
        flipped[at] = static_cast<char>(flipped[at] ^ 0x5a);
        static_cast<void>(map_listen_response(flipped));
        static_cast<void>(map_listen_error(500, flipped));
    }
}

// ---- errors

TEST(ListenErrorTest, TheErrCodeShape) {
    const auto error = map_listen_error(
        400, R"({"err_code":"Bad Request","err_msg":"Bad Request: unknown model","request_id":"r-1"})");
    EXPECT_EQ(error.code, ErrorCode::kVendor);
    EXPECT_EQ(error.message, "Deepgram 400: Bad Request: unknown model");
    EXPECT_EQ(detail(error, "vendor"), "deepgram");
    EXPECT_EQ(detail(error, "status"), "400");
    EXPECT_EQ(detail(error, "vendor_code"), "Bad Request");
    EXPECT_EQ(detail(error, "vendor_message"), "Bad Request: unknown model");
    EXPECT_EQ(detail(error, "request_id"), "r-1");
}

TEST(ListenErrorTest, TheCategoryShape) {
    const auto error =
        map_listen_error(402, R"({"category":"INSUFFICIENT_PERMISSIONS","message":"Project has no credits",
                 "details":"Add funds to the project","request_id":"r-2"})");
    EXPECT_EQ(error.code, ErrorCode::kVendor);
    EXPECT_EQ(detail(error, "vendor_code"), "INSUFFICIENT_PERMISSIONS");
    EXPECT_EQ(detail(error, "vendor_message"), "Project has no credits (Add funds to the project)");
    EXPECT_EQ(detail(error, "request_id"), "r-2");
    EXPECT_EQ(detail(error, "status"), "402");
}

TEST(ListenErrorTest, ARefusedKeySaysSo) {
    for (const int status : {401, 403}) {
        const auto error = map_listen_error(
            status, R"({"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"r"})");
        EXPECT_EQ(error.code, ErrorCode::kVendor);
        EXPECT_EQ(error.message, "Deepgram refused the API key (" + std::to_string(status) + "): Invalid credentials.");
        EXPECT_EQ(detail(error, "vendor_code"), "INVALID_AUTH");
    }
}

TEST(ListenErrorTest, UnreadableAudioIsUnsupportedMediaType) {
    const auto error = map_listen_error(
        400,
        R"({"err_code":"Bad Request","err_msg":"Bad Request: failed to process audio: corrupt or unsupported data","request_id":"r"})");
    EXPECT_EQ(error.code, ErrorCode::kUnsupportedMediaType);
}

TEST(ListenErrorTest, StatusesWithTheirOwnKinds) {
    EXPECT_EQ(map_listen_error(413, R"({"err_code":"PAYLOAD_TOO_LARGE","err_msg":"too big"})").code,
              ErrorCode::kPayloadTooLarge);
    EXPECT_EQ(map_listen_error(429, R"({"err_code":"TOO_MANY_REQUESTS","err_msg":"slow down"})").code,
              ErrorCode::kRateLimited);
    for (const int status : {500, 502, 503, 504}) {
        const auto error = map_listen_error(status, R"({"category":"INTERNAL_SERVER_ERROR","message":"oops"})");
        EXPECT_EQ(error.code, ErrorCode::kVendor) << status;
        EXPECT_EQ(error.message, "Deepgram " + std::to_string(status) + ": oops");
    }
}

TEST(ListenErrorTest, ABodyOfNeitherShapeIsExcerptedSafely) {
    const auto error = map_listen_error(502, "<html>\r\n<h1>Bad\x01gateway</h1>\n</html>" + std::string(500, 'x'));
    EXPECT_EQ(error.code, ErrorCode::kVendor);
    const auto message = detail(error, "vendor_message");
    ASSERT_TRUE(message.has_value());
    EXPECT_TRUE(message->starts_with("<html> <h1>Bad gateway</h1> </html>")) << *message;
    EXPECT_LE(message->size(), 203u);
    EXPECT_FALSE(detail(error, "vendor_code").has_value());
    EXPECT_EQ(map_listen_error(503, "").message, "Deepgram 503");
}

}  // namespace
}  // namespace crossvoice::deepgram
