#include "services/live_translations.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/transcript.hpp"

namespace crossvoice::services {
namespace {

using core::MessageAuthor;

// Translates es<->en by tagging the text, and refuses every other pair as a real engine does.
class TaggingTranslator final : public core::ports::Translator {
  public:
    std::string_view name() const override { return "tagging"; }
    std::vector<core::ports::LanguagePair> pairs() const override { return {{"es", "en"}, {"en", "es"}}; }
    core::Result<std::string> translate(std::string_view text, std::string_view source,
                                        std::string_view target) override {
        calls.push_back(std::string(source) + ">" + std::string(target));
        const bool supported = (source == "es" && target == "en") || (source == "en" && target == "es");
        if (!supported) return core::Error::validation("language", "supported pairs: es-en, en-es");
        return "[" + std::string(target) + "] " + std::string(text);
    }
    std::vector<std::string> calls;
};

// Detects Spanish by a word, English otherwise; confident only on lines of three words or more.
class WordDetector final : public core::ports::TranscriptPipeline {
  public:
    core::Status check(const core::ports::PipelineOptions&) const override { return {}; }
    core::Status run(core::Transcript& transcript, const core::ports::PipelineOptions&) override {
        transcript.language = transcript.text.find("hola") != std::string::npos ? "es" : "en";
        transcript.language_confidence =
            std::count(transcript.text.begin(), transcript.text.end(), ' ') >= 2 ? 0.9 : 0.2;
        return {};
    }
};

core::TimelineMessage message(MessageAuthor author, std::string content, std::string session = "ses_1") {
    core::TimelineMessage out;
    out.id = "msg_" + content.substr(0, 3);
    out.session_id = std::move(session);
    out.author = author;
    out.type = core::MessageType::kText;
    out.content = std::move(content);
    return out;
}

class LiveTranslationsTest : public ::testing::Test {
  protected:
    TaggingTranslator translator_;
    WordDetector detector_;
    LiveTranslations translations_{&translator_, &detector_, "en-US"};
};

TEST_F(LiveTranslationsTest, ACustomersMessageReachesTheStaffInTheirLanguageAndTheAnswerGoesBack) {
    const auto customer = translations_.for_message(message(MessageAuthor::kCaller, "hola necesito ayuda"));
    ASSERT_TRUE(customer);
    EXPECT_EQ((*customer)["language"], "en");
    EXPECT_EQ((*customer)["content"], "[en] hola necesito ayuda");
    EXPECT_EQ((*customer)["engine"], "tagging");

    const auto agent = translations_.for_message(message(MessageAuthor::kAgent, "How can I help?"));
    ASSERT_TRUE(agent);
    EXPECT_EQ((*agent)["language"], "es");
    EXPECT_EQ((*agent)["content"], "[es] How can I help?");
}

TEST_F(LiveTranslationsTest, NothingIsTranslatedWhenBothSidesShareALanguage) {
    EXPECT_FALSE(translations_.for_message(message(MessageAuthor::kCaller, "I need some help")));
    EXPECT_FALSE(translations_.for_message(message(MessageAuthor::kAgent, "Sure, one moment")));
    auto spanish_answer = message(MessageAuthor::kAssistant, "Claro", "ses_2");
    ASSERT_TRUE(translations_.for_message(message(MessageAuthor::kCaller, "hola otra vez amigos", "ses_2")));
    spanish_answer.language = "es";  // SHANGO already answered in the customer's language
    EXPECT_FALSE(translations_.for_message(spanish_answer));
    EXPECT_EQ(translator_.calls, std::vector<std::string>{"es>en"});
}

TEST_F(LiveTranslationsTest, AnUnsureDetectionAnUnknownCustomerOrAnUnsupportedPairGiveNoTranslation) {
    EXPECT_FALSE(translations_.for_message(message(MessageAuthor::kCaller, "hola"))) << "one word: not confident";
    EXPECT_FALSE(translations_.for_message(message(MessageAuthor::kAgent, "Hello?", "ses_new")))
        << "the customer's language is not known yet";
    auto french = message(MessageAuthor::kCaller, "bonjour", "ses_3");
    french.language = "fr-FR";
    EXPECT_FALSE(translations_.for_message(french)) << "fr>en is not a pair the engine has";
    auto event = message(MessageAuthor::kSystem, "hola a person took over");
    EXPECT_FALSE(translations_.for_message(event));
}

TEST_F(LiveTranslationsTest, ALanguageDeclaredForTheSessionTranslatesTheAgentsFirstWords) {
    const auto first = translations_.for_message(message(MessageAuthor::kAgent, "Hello, this is Ana", "ses_new"),
                                                 std::string("es-MX"));
    ASSERT_TRUE(first);
    EXPECT_EQ((*first)["language"], "es");
    // What the customer then writes tells their language, whatever was declared.
    auto english = message(MessageAuthor::kCaller, "thanks a lot", "ses_new");
    english.language = "en";
    EXPECT_FALSE(translations_.for_message(english, std::string("es")));
    EXPECT_FALSE(
        translations_.for_message(message(MessageAuthor::kAgent, "You're welcome", "ses_new"), std::string("es")));
}

TEST(LiveTranslationsWithoutEngine, GiveNothing) {
    LiveTranslations none(nullptr, nullptr, "en");
    EXPECT_FALSE(none.for_message(message(MessageAuthor::kCaller, "hola necesito ayuda")));
}

}  // namespace
}  // namespace crossvoice::services
