#include "language/redactor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "language/diarizer.hpp"
#include "language/entity_extractor.hpp"
#include "transcript_fixture.hpp"

namespace crossvoice::language {
namespace {

using testing::split;
using testing::transcript_of;

constexpr const char* kCall =
    "Card 4111 1111 1111 1111, SSN 123-45-6789, phone (415) 555-0123, email jo@example.com, account number "
    "12345678, order number AB-778899, and 4 items for 250 dollars.";

std::string redacted(const std::string& text, const std::vector<std::string>& classes) {
    auto result = redact(text, find_entities(text), classes);
    EXPECT_TRUE(result.ok());
    return result.ok() ? result->text : std::string();
}

TEST(Redact, EachClassReplacesOnlyItsOwnEntities) {
    const std::string text = kCall;
    EXPECT_EQ(redacted(text, {"pci"}),
              "Card [CARD], SSN 123-45-6789, phone (415) 555-0123, email jo@example.com, account number 12345678, "
              "order number AB-778899, and 4 items for 250 dollars.");
    EXPECT_EQ(redacted(text, {"ssn"}),
              "Card 4111 1111 1111 1111, SSN [SSN], phone (415) 555-0123, email jo@example.com, account number "
              "12345678, order number AB-778899, and 4 items for 250 dollars.");
    EXPECT_EQ(redacted(text, {"phone"}),
              "Card 4111 1111 1111 1111, SSN 123-45-6789, phone [PHONE], email jo@example.com, account number "
              "12345678, order number AB-778899, and 4 items for 250 dollars.");
    EXPECT_EQ(redacted(text, {"email"}),
              "Card 4111 1111 1111 1111, SSN 123-45-6789, phone (415) 555-0123, email [EMAIL], account number "
              "12345678, order number AB-778899, and 4 items for 250 dollars.");
}

TEST(Redact, PiiCoversCardsSsnsPhonesEmailsAccountsAndOrders) {
    EXPECT_EQ(redacted(kCall, {"pii"}),
              "Card [CARD], SSN [SSN], phone [PHONE], email [EMAIL], account number [ACCOUNT], order number "
              "[ORDER], and 4 items for 250 dollars.");
}

TEST(Redact, NumbersCoversEveryOtherRunOfThreeDigitsWrittenOrSpoken) {
    EXPECT_EQ(redacted(kCall, {"pii", "numbers"}),
              "Card [CARD], SSN [SSN], phone [PHONE], email [EMAIL], account number [ACCOUNT], order number "
              "[ORDER], and 4 items for [NUMBER] dollars.");
    EXPECT_EQ(redacted("code four two seven, room 12, pin one two three four.", {"numbers"}),
              "code [NUMBER], room 12, pin [NUMBER].");
    // Alone, "numbers" takes the card too, as a number.
    EXPECT_EQ(redacted("Card 4111 1111 1111 1111.", {"numbers"}), "Card [NUMBER].");
}

TEST(Redact, SpokenNumbersAreRedactedAcrossTheirWholeSpan) {
    EXPECT_EQ(
        redacted("my card number is four one one one one one one one one one one one one one one one thanks", {"pci"}),
        "my card number is [CARD] thanks");
    EXPECT_EQ(redacted("call me at four one five five five five zero one two three please", {"phone"}),
              "call me at [PHONE] please");
}

TEST(Redact, EngineEntityLabelsCountAndOverlapsBecomeOneSpan) {
    const std::string text = "Card 4111 1111 1111 1111 ok";
    // The engine's label and ours over slightly different stretches: one span, the card's token.
    const std::vector<core::Entity> entities{
        {"credit_card", "4111 1111", 5, 14, std::nullopt, std::nullopt, 0.7, "deepgram"},
        {"card_number", "4111111111111111", 5, 24, std::nullopt, std::nullopt, 1, "crossvoice"},
        {"name", "Card", 0, 4, std::nullopt, std::nullopt, 1, "deepgram"},
    };
    auto result = redact(text, entities, {"PCI", "numbers", "pci"});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->text, "Card [CARD] ok");
    ASSERT_EQ(result->spans.size(), 1U);
    EXPECT_EQ(result->spans[0].start, 5U);
    EXPECT_EQ(result->spans[0].end, 24U);
    EXPECT_EQ(result->classes, (std::vector<std::string>{"pci", "numbers"}));
}

TEST(Redact, AnUnknownClassIsRefusedNamingItAndTheValidOnes) {
    auto result = redact("text", {}, {"pci", "addresses"});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(result.error().message.find("'addresses'"), std::string::npos);
    EXPECT_NE(result.error().message.find("pci, ssn, phone, email, numbers, pii"), std::string::npos);
    EXPECT_TRUE(check_redaction_classes({"pii", "Numbers"}).ok());
}

TEST(ApplyRedaction, WordsUtterancesSegmentsAndEntitiesKeepNothingRedacted) {
    core::Transcript transcript = transcript_of(split("Hi, my card is 4111 1111 1111 1111. Call 415-555-0123 now."));
    transcript.utterances.push_back({0.0, 3.9, 0.9, 0, std::nullopt, "Hi, my card is 4111 1111 1111 1111."});
    transcript.utterances.push_back({4.0, 5.4, 0.9, 0, std::nullopt, "Call 415-555-0123 now."});
    diarize(transcript);
    transcript.entities = extract_entities(transcript);
    transcript.engine_summary = "The caller gave card 4111 1111 1111 1111 and phone +14155550123.";
    ASSERT_EQ(transcript.entities.size(), 2U);
    ASSERT_EQ(transcript.entities[1].start_word, 9U);

    auto redaction = redact(transcript.text, transcript.entities, {"pci", "phone"});
    ASSERT_TRUE(redaction.ok());
    apply_redaction(transcript, *redaction);

    const std::string expected = "Hi, my card is [CARD]. Call [PHONE] now.";
    EXPECT_EQ(transcript.text, expected);
    EXPECT_EQ(transcript.redacted_text, expected);
    EXPECT_EQ(transcript.redacted_classes, (std::vector<std::string>{"pci", "phone"}));
    // The four words of the card are one word now, from the first's start to the last's end.
    std::vector<std::string> words;
    for (const auto& word : transcript.words) words.push_back(word.punctuated);
    EXPECT_EQ(words, (std::vector<std::string>{"Hi,", "my", "card", "is", "[CARD].", "Call", "[PHONE]", "now."}));
    EXPECT_EQ(transcript.words[4].word, "[CARD]");
    EXPECT_DOUBLE_EQ(transcript.words[4].start, 2.0);
    EXPECT_DOUBLE_EQ(transcript.words[4].end, 3.9);
    ASSERT_TRUE(word_ranges(transcript).has_value());  // the words still join to the text

    EXPECT_EQ(transcript.utterances[0].text, "Hi, my card is [CARD].");
    EXPECT_EQ(transcript.utterances[1].text, "Call [PHONE] now.");
    EXPECT_EQ(transcript.speakers[0].segments[0].text, "Hi, my card is [CARD].");
    EXPECT_EQ(transcript.engine_summary, "The caller gave card [CARD] and phone [PHONE].");

    const core::Entity& card = transcript.entities[0];
    EXPECT_EQ(card.value, "[CARD]");
    EXPECT_EQ(testing::covered(transcript, card), "[CARD]");
    EXPECT_EQ(card.start_word, 4U);
    EXPECT_EQ(card.end_word, 4U);
    const core::Entity& phone = transcript.entities[1];
    EXPECT_EQ(phone.value, "[PHONE]");
    EXPECT_EQ(testing::covered(transcript, phone), "[PHONE]");
    EXPECT_EQ(phone.start_word, 6U);
}

TEST(ApplyRedaction, WordsThatAreNotTheTextAreRedactedOnTheirOwn) {
    core::Transcript transcript = transcript_of(split("my card is 4111 1111 1111 1111 ok"));
    transcript.text = "My card is 4111-1111-1111-1111, ok.";
    auto redaction = redact(transcript.text, find_entities(transcript.text), {"pci"});
    ASSERT_TRUE(redaction.ok());
    apply_redaction(transcript, *redaction);
    EXPECT_EQ(transcript.text, "My card is [CARD], ok.");
    for (const auto& word : transcript.words) {
        EXPECT_EQ(word.punctuated.find("1111"), std::string::npos) << word.punctuated;
        EXPECT_EQ(word.word.find("1111"), std::string::npos) << word.word;
    }
}

}  // namespace
}  // namespace crossvoice::language
