#include "language/language_pipeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transcript_fixture.hpp"

namespace crossvoice::language {
namespace {

using core::ports::LanguagePair;
using core::ports::PipelineOptions;
using testing::split;
using testing::transcript_of;

// Stands in for Apertium/LibreTranslate: prefixes the text, remembers what it was given.
class FakeTranslator final : public core::ports::Translator {
  public:
    explicit FakeTranslator(std::vector<LanguagePair> pairs) : pairs_(std::move(pairs)) {}
    std::string_view name() const override { return "fake"; }
    std::vector<LanguagePair> pairs() const override { return pairs_; }
    core::Result<std::string> translate(std::string_view text, std::string_view source,
                                        std::string_view target) override {
        ++calls;
        received = std::string(text);
        if (failure) return *failure;
        return std::string(source) + ">" + std::string(target) + ": " + std::string(text);
    }

    int calls = 0;
    std::string received;
    std::optional<core::Error> failure;

  private:
    std::vector<LanguagePair> pairs_;
};

const std::vector<LanguagePair> kPairs{{"en", "es"}, {"es", "en"}};

constexpr std::string_view kCall =
    "Hello, I want to pay my bill with my credit card. The card number is 4111 1111 1111 1111. My social "
    "security number is 123-45-6789 and you can call me back at (415) 555-0123 or write to jo@example.com. "
    "My account number is 12345678. Thank you so much for your help today.";

// Every string the transcript holds, so a test can look for anything that should not be there.
std::vector<std::string> all_strings(const core::Transcript& t) {
    std::vector<std::string> out{t.text,
                                 t.language.value_or(""),
                                 t.language_source,
                                 t.provider,
                                 t.model,
                                 t.request_id.value_or(""),
                                 t.redacted_text.value_or(""),
                                 t.engine_summary.value_or("")};
    for (const auto& w : t.words) {
        out.push_back(w.word);
        out.push_back(w.punctuated);
    }
    for (const auto& u : t.utterances) out.push_back(u.text);
    for (const auto& s : t.speakers) {
        out.push_back(s.label);
        for (const auto& segment : s.segments) out.push_back(segment.text);
    }
    for (const auto& e : t.entities) {
        out.push_back(e.type);
        out.push_back(e.value);
        out.push_back(e.source);
    }
    if (t.engine_sentiment) out.push_back(t.engine_sentiment->label);
    out.insert(out.end(), t.engine_topics.begin(), t.engine_topics.end());
    out.insert(out.end(), t.engine_intents.begin(), t.engine_intents.end());
    out.insert(out.end(), t.redacted_classes.begin(), t.redacted_classes.end());
    if (t.translation) {
        out.insert(out.end(), {t.translation->original_text, t.translation->translated_text,
                               t.translation->source_language, t.translation->target_language, t.translation->engine});
    }
    if (t.analysis) {
        out.insert(out.end(), {t.analysis->intent, t.analysis->persona.value_or(""), t.analysis->sentiment.label,
                               t.analysis->summary});
        out.insert(out.end(), t.analysis->keywords.begin(), t.analysis->keywords.end());
    }
    for (const auto& timing : t.timings) out.push_back(timing.stage);
    return out;
}

std::vector<std::string> stages(const core::Transcript& transcript) {
    std::vector<std::string> names;
    for (const auto& timing : transcript.timings) {
        EXPECT_GE(timing.milliseconds, 0.0) << timing.stage;
        names.push_back(timing.stage);
    }
    return names;
}

core::Transcript call_transcript() {
    core::Transcript transcript = transcript_of(split(kCall));
    transcript.utterances.push_back({0, 20, 0.9, 0, std::nullopt, std::string(kCall.substr(0, 100))});
    transcript.utterances.push_back({20, 40, 0.9, 0, std::nullopt, std::string(kCall.substr(100))});
    transcript.engine_summary = "Caller paid with card 4111 1111 1111 1111 and left 415-555-0123.";
    return transcript;
}

PipelineOptions full_options() {
    PipelineOptions options;
    options.redact = {"pii"};
    options.translate_to = "es";
    options.intents = {{"billing", {"pay my bill", "payment", "invoice"}, "billing"},
                       {"technical_support", {"internet is down", "router"}, "technical"}};
    return options;
}

TEST(LanguagePipelineCheck, RefusesAnUnknownRedactionClass) {
    LanguagePipeline pipeline(nullptr);
    PipelineOptions options;
    options.redact = {"pci", "faces"};
    const auto status = pipeline.check(options);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(status.error().message.find("'faces'"), std::string::npos);
}

TEST(LanguagePipelineCheck, RefusesTranslationWithoutATranslator) {
    LanguagePipeline pipeline(nullptr);
    PipelineOptions options;
    options.translate_to = "es";
    const auto status = pipeline.check(options);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(status.error().message.find("translation is not configured"), std::string::npos);
    core::Transcript transcript = call_transcript();
    EXPECT_FALSE(pipeline.run(transcript, options).ok());
    EXPECT_TRUE(transcript.timings.empty());  // refused before any work
}

TEST(LanguagePipelineCheck, RefusesATargetNoPairLeadsToListingThePairs) {
    FakeTranslator translator(kPairs);
    LanguagePipeline pipeline(&translator);
    PipelineOptions options;
    options.translate_to = "fr";
    const auto status = pipeline.check(options);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(status.error().message.find("en\u2192es, es\u2192en"), std::string::npos) << status.error().message;
    options.translate_to = "ES";
    EXPECT_TRUE(pipeline.check(options).ok());

    FakeTranslator unreachable({});
    LanguagePipeline without_pairs(&unreachable);
    const auto down = without_pairs.check(options);
    ASSERT_FALSE(down.ok());
    EXPECT_EQ(down.error().code, core::ErrorCode::kUnavailable);
}

TEST(LanguagePipeline, RunsEveryStageInOrderAndLeaksNothingRedacted) {
    FakeTranslator translator(kPairs);
    LanguagePipeline pipeline(&translator);
    core::Transcript transcript = call_transcript();
    const auto options = full_options();
    ASSERT_TRUE(pipeline.check(options).ok());

    ASSERT_TRUE(pipeline.run(transcript, options).ok());

    EXPECT_EQ(stages(transcript),
              (std::vector<std::string>{"language", "diarize", "entities", "redact", "translate", "analyze"}));
    EXPECT_EQ(transcript.language, "en");
    EXPECT_EQ(transcript.language_source, "detected");
    EXPECT_GT(transcript.language_confidence, 0.5);
    ASSERT_EQ(transcript.speakers.size(), 1U);

    // Redaction ran before translation and analysis: both saw the redacted text only.
    ASSERT_TRUE(transcript.redacted_text.has_value());
    const std::string& redacted = *transcript.redacted_text;
    EXPECT_NE(redacted.find("The card number is [CARD]."), std::string::npos) << redacted;
    EXPECT_NE(redacted.find("[SSN]"), std::string::npos);
    EXPECT_NE(redacted.find("[PHONE]"), std::string::npos);
    EXPECT_NE(redacted.find("[EMAIL]"), std::string::npos);
    EXPECT_NE(redacted.find("[ACCOUNT]"), std::string::npos);
    EXPECT_EQ(translator.received, redacted);
    ASSERT_TRUE(transcript.translation.has_value());
    EXPECT_EQ(transcript.translation->original_text, redacted);
    EXPECT_EQ(transcript.translation->translated_text, "en>es: " + redacted);
    EXPECT_EQ(transcript.translation->engine, "fake");
    ASSERT_TRUE(transcript.analysis.has_value());
    EXPECT_EQ(transcript.analysis->intent, "billing");

    std::vector<std::string> types;
    for (const auto& entity : transcript.entities) types.push_back(entity.type);
    for (const char* type : {"card_number", "ssn", "phone_number", "email", "account_number"}) {
        EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
    }

    const std::vector<std::string> secrets{"4111",     "1111",       "123-45-6789",    "6789",
                                           "555-0123", "4155550123", "jo@example.com", "12345678"};
    for (const std::string& field : all_strings(transcript)) {
        for (const std::string& secret : secrets) {
            EXPECT_EQ(field.find(secret), std::string::npos) << "'" << secret << "' left in: " << field;
        }
    }
}

TEST(LanguagePipeline, SpokenDigitsFromTheLocalEngineAreRedactedInEveryWord) {
    LanguagePipeline pipeline(nullptr);
    core::Transcript transcript =
        transcript_of(split("my card number is four one one one one one one one one one one one one one one one "
                            "and my phone is four one five five five five zero one two three thank you"));
    PipelineOptions options;
    options.redact = {"pci", "phone"};
    options.analyze = false;
    ASSERT_TRUE(pipeline.run(transcript, options).ok());
    EXPECT_EQ(transcript.text, "my card number is [CARD] and my phone is [PHONE] thank you");
    std::vector<std::string> words;
    for (const auto& word : transcript.words) words.push_back(word.word);
    EXPECT_EQ(words, split("my card number is [CARD] and my phone is [PHONE] thank you"));
    ASSERT_EQ(transcript.speakers.size(), 1U);
    EXPECT_EQ(transcript.speakers[0].segments[0].text, transcript.text);
}

TEST(LanguagePipeline, KeepsTheEnginesLanguageAndEntities) {
    LanguagePipeline pipeline(nullptr);
    core::Transcript transcript = call_transcript();
    transcript.language = "en-US";
    transcript.language_source = "engine";
    const auto card_at = std::string_view(transcript.text).find("4111");
    transcript.entities.push_back(
        {"credit_card", "4111 1111 1111 1111", card_at, card_at + 19, std::nullopt, std::nullopt, 0.7, "deepgram"});
    PipelineOptions options;
    options.redact = {"pci"};

    ASSERT_TRUE(pipeline.run(transcript, options).ok());

    EXPECT_EQ(stages(transcript), (std::vector<std::string>{"diarize", "entities", "redact", "analyze"}));
    EXPECT_EQ(transcript.language, "en-US");
    EXPECT_EQ(transcript.language_source, "engine");
    std::size_t cards = 0;
    for (const auto& entity : transcript.entities) {
        if (entity.type == "credit_card" || entity.type == "card_number") {
            ++cards;
            EXPECT_EQ(entity.source, "deepgram");  // ours overlapped it, so only the engine's stays
            EXPECT_EQ(entity.value, "[CARD]");
        }
    }
    EXPECT_EQ(cards, 1U);
}

TEST(LanguagePipeline, RedactsWithoutTheEntitiesStage) {
    LanguagePipeline pipeline(nullptr);
    core::Transcript transcript = call_transcript();
    PipelineOptions options;
    options.entities = false;
    options.diarize = false;
    options.detect_language = false;
    options.analyze = false;
    options.redact = {"email"};
    ASSERT_TRUE(pipeline.run(transcript, options).ok());
    EXPECT_EQ(stages(transcript), (std::vector<std::string>{"redact"}));
    EXPECT_TRUE(transcript.entities.empty());
    EXPECT_EQ(transcript.text.find("jo@example.com"), std::string::npos);
    EXPECT_NE(transcript.text.find("[EMAIL]"), std::string::npos);
    EXPECT_NE(transcript.text.find("4111"), std::string::npos);  // only what was asked for
}

TEST(LanguagePipeline, SameLanguageTranslationIsTheTextItself) {
    FakeTranslator translator(kPairs);
    LanguagePipeline pipeline(&translator);
    core::Transcript transcript = call_transcript();
    transcript.language = "en-GB";
    PipelineOptions options;
    options.translate_to = "en";
    ASSERT_TRUE(pipeline.run(transcript, options).ok());
    ASSERT_TRUE(transcript.translation.has_value());
    EXPECT_EQ(transcript.translation->translated_text, transcript.text);
    EXPECT_EQ(transcript.translation->source_language, "en");
    EXPECT_EQ(transcript.translation->engine, "none");
    EXPECT_EQ(translator.calls, 0);
}

TEST(LanguagePipeline, AnUnsupportedPairIsRefusedListingThePairsAndAnalysisStillRuns) {
    FakeTranslator translator(kPairs);
    LanguagePipeline pipeline(&translator);
    core::Transcript transcript = call_transcript();
    transcript.language = "de";
    PipelineOptions options;
    options.translate_to = "es";
    const auto status = pipeline.run(transcript, options);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(status.error().message.find("en\u2192es, es\u2192en"), std::string::npos);
    EXPECT_FALSE(transcript.translation.has_value());
    EXPECT_TRUE(transcript.analysis.has_value());
    EXPECT_EQ(translator.calls, 0);
}

TEST(LanguagePipeline, ATranslatorFailureIsReturnedAfterTheOtherStages) {
    FakeTranslator translator(kPairs);
    translator.failure = core::Error{core::ErrorCode::kUnavailable, "apertium is not running", {}};
    LanguagePipeline pipeline(&translator);
    core::Transcript transcript = call_transcript();
    const auto status = pipeline.run(transcript, full_options());
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::kUnavailable);
    EXPECT_FALSE(transcript.translation.has_value());
    EXPECT_TRUE(transcript.analysis.has_value());
    EXPECT_TRUE(transcript.redacted_text.has_value());
    EXPECT_EQ(stages(transcript).back(), "analyze");
}

TEST(LanguagePipeline, AnUndetectableLanguageCannotBeTranslated) {
    FakeTranslator translator(kPairs);
    LanguagePipeline pipeline(&translator);
    core::Transcript transcript = transcript_of(split("ok"));
    PipelineOptions options;
    options.translate_to = "es";
    const auto status = pipeline.run(transcript, options);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, core::ErrorCode::kUnprocessable);
    EXPECT_FALSE(transcript.language.has_value());
}

TEST(LanguagePipeline, WithEveryStageOffNothingChanges) {
    LanguagePipeline pipeline(nullptr);
    core::Transcript transcript = call_transcript();
    const std::string before = transcript.text;
    PipelineOptions options;
    options.detect_language = false;
    options.diarize = false;
    options.entities = false;
    options.analyze = false;
    ASSERT_TRUE(pipeline.run(transcript, options).ok());
    EXPECT_EQ(transcript.text, before);
    EXPECT_TRUE(transcript.timings.empty());
    EXPECT_TRUE(transcript.speakers.empty());
    EXPECT_TRUE(transcript.entities.empty());
    EXPECT_FALSE(transcript.analysis.has_value());
}

}  // namespace
}  // namespace crossvoice::language
