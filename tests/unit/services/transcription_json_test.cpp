#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "services/transcript_json.hpp"

namespace crossvoice::services {
namespace {

using nlohmann::json;

const core::TimePoint kWhen = core::from_unix_ms(1'790'000'000'123);

core::Transcript full_transcript() {
    core::Transcript t;
    t.text = "Call me at [PHONE]";
    t.confidence = 0.912345;
    t.language = "en-US";
    t.language_confidence = 0.87;
    t.language_source = "engine";
    t.duration = 12.34567;
    t.channels = 2;
    t.words = {{"call", "Call", 0.1234, 0.5, 0.95, 0, 1}};
    t.utterances = {{0.1, 2.0, 0.9, 1, 0, "Call me at [PHONE]"}};
    t.speakers = {{0, "caller", 1, 1.9, {{0.1, 2.0, "Call me at [PHONE]"}}}};
    t.entities = {{"phone_number", "[PHONE]", 11, 18, 3, 3, 0.99, "crossvoice"}};
    t.redacted_text = "Call me at [PHONE]";
    t.redacted_classes = {"phone"};
    t.translation = core::Translation{"Call me at [PHONE]", "Llámame al [PHONE]", "en", "es", "apertium"};
    // Field by field: GCC 12 at -O3 reports a brace-initialised Analysis inside an optional as maybe-uninitialized.
    auto& analysis = t.analysis.emplace();
    analysis.intent = "callback";
    analysis.intent_confidence = 0.8;
    analysis.persona = "shango-general";
    analysis.sentiment.label = "neutral";
    analysis.sentiment.score = 0.1;
    analysis.keywords = {"call"};
    analysis.summary = "Call me.";
    t.provider = "deepgram";
    t.model = "nova-2";
    t.request_id = "req-1";
    t.engine_summary = "A call-back request.";
    t.timings = {{"stt", 12.3456}};
    return t;
}

TEST(TranscriptJson, EveryFieldOfTheContractIsThere) {
    const auto out = transcript_json(full_transcript(), kWhen);
    for (const char* field : {"text",         "confidence",      "language",    "languageConfidence", "languageSource",
                              "timestamp",    "duration",        "channels",    "provider",           "model",
                              "requestId",    "words",           "speakers",    "utterances",         "entities",
                              "redactedText", "redactedClasses", "translation", "analysis",           "engineAnalysis",
                              "timingsMs"}) {
        EXPECT_TRUE(out.contains(field)) << field;
    }
    EXPECT_EQ(out["text"], "Call me at [PHONE]");
    EXPECT_DOUBLE_EQ(out["confidence"].get<double>(), 0.9123);
    EXPECT_EQ(out["language"], "en-US");
    EXPECT_EQ(out["languageSource"], "engine");
    EXPECT_EQ(out["timestamp"], core::format_rfc3339(kWhen));
    EXPECT_DOUBLE_EQ(out["duration"].get<double>(), 12.346);
    EXPECT_EQ(out["channels"], 2);
    EXPECT_EQ(out["requestId"], "req-1");
    EXPECT_EQ(out["redactedText"], "Call me at [PHONE]");
    EXPECT_EQ(out["redactedClasses"], json::array({"phone"}));

    const auto& word = out["words"].at(0);
    EXPECT_EQ(word["word"], "call");
    EXPECT_EQ(word["punctuatedWord"], "Call");
    EXPECT_DOUBLE_EQ(word["start"].get<double>(), 0.123);
    EXPECT_EQ(word["speaker"], 0);
    EXPECT_EQ(word["channel"], 1);
    for (const char* field : {"end", "confidence"}) EXPECT_TRUE(word.contains(field)) << field;

    const auto& speaker = out["speakers"].at(0);
    EXPECT_EQ(speaker["label"], "caller");
    EXPECT_EQ(speaker["channel"], 1);
    EXPECT_DOUBLE_EQ(speaker["talkTime"].get<double>(), 1.9);
    EXPECT_EQ(speaker["segments"].at(0)["text"], "Call me at [PHONE]");
    for (const char* field : {"id", "segments"}) EXPECT_TRUE(speaker.contains(field)) << field;

    const auto& utterance = out["utterances"].at(0);
    for (const char* field : {"start", "end", "confidence", "channel", "speaker", "text"}) {
        EXPECT_TRUE(utterance.contains(field)) << field;
    }

    const auto& entity = out["entities"].at(0);
    EXPECT_EQ(entity["type"], "phone_number");
    EXPECT_EQ(entity["start"], 11);
    EXPECT_EQ(entity["end"], 18);
    EXPECT_EQ(entity["startWord"], 3);
    EXPECT_EQ(entity["source"], "crossvoice");
    for (const char* field : {"value", "endWord", "confidence"}) EXPECT_TRUE(entity.contains(field)) << field;

    const auto& translation = out["translation"];
    EXPECT_EQ(translation["originalText"], "Call me at [PHONE]");
    EXPECT_EQ(translation["translatedText"], "Llámame al [PHONE]");
    EXPECT_EQ(translation["sourceLanguage"], "en");
    EXPECT_EQ(translation["targetLanguage"], "es");
    EXPECT_EQ(translation["engine"], "apertium");

    const auto& analysis = out["analysis"];
    EXPECT_EQ(analysis["intent"], "callback");
    EXPECT_EQ(analysis["persona"], "shango-general");
    EXPECT_EQ(analysis["sentiment"]["label"], "neutral");
    EXPECT_EQ(analysis["keywords"], json::array({"call"}));
    EXPECT_EQ(analysis["summary"], "Call me.");
    EXPECT_TRUE(analysis.contains("intentConfidence"));

    EXPECT_EQ(out["engineAnalysis"]["summary"], "A call-back request.");
    EXPECT_DOUBLE_EQ(out["timingsMs"]["stt"].get<double>(), 12.35);
}

TEST(TranscriptJson, AbsentPartsAreNull) {
    core::Transcript bare;
    bare.text = "hello";
    const auto out = transcript_json(bare, kWhen);
    EXPECT_TRUE(out["translation"].is_null());
    EXPECT_TRUE(out["analysis"].is_null());
    EXPECT_TRUE(out["language"].is_null());
    EXPECT_TRUE(out["languageSource"].is_null());
    EXPECT_TRUE(out["redactedText"].is_null());
    EXPECT_TRUE(out["requestId"].is_null());
    EXPECT_EQ(out["words"], json::array());
    EXPECT_EQ(out["speakers"], json::array());
    EXPECT_EQ(out["utterances"], json::array());
    EXPECT_EQ(out["entities"], json::array());
    EXPECT_EQ(out["engineAnalysis"], json::object());
}

}  // namespace
}  // namespace crossvoice::services
