#include "language/entity_extractor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "transcript_fixture.hpp"

namespace crossvoice::language {
namespace {

using testing::covered;
using testing::split;
using testing::transcript_of;

std::vector<core::Entity> of_type(const std::vector<core::Entity>& entities, std::string_view type) {
    std::vector<core::Entity> out;
    for (const core::Entity& entity : entities) {
        if (entity.type == type) out.push_back(entity);
    }
    return out;
}

std::string_view span_of(std::string_view text, const core::Entity& entity) {
    return text.substr(entity.start_char, entity.end_char - entity.start_char);
}

TEST(FindEntities, CardNumbersThatPassTheLuhnCheck) {
    const std::string text = "My card is 4111 1111 1111 1111, and the other one 5500-0000-0000-0004.";
    const auto cards = of_type(find_entities(text), "card_number");
    ASSERT_EQ(cards.size(), 2U);
    EXPECT_EQ(cards[0].value, "4111111111111111");
    EXPECT_EQ(span_of(text, cards[0]), "4111 1111 1111 1111");
    EXPECT_EQ(cards[1].value, "5500000000000004");
    EXPECT_EQ(span_of(text, cards[1]), "5500-0000-0000-0004");
    EXPECT_EQ(cards[0].source, "crossvoice");
}

TEST(FindEntities, ADigitRunFailingTheLuhnCheckIsNoCard) {
    const auto entities = find_entities("My card is 4111 1111 1111 1112, or maybe 0000 0000 0000 0000.");
    EXPECT_TRUE(of_type(entities, "card_number").empty());
}

TEST(FindEntities, TheCardInsideALongerRunOfDigits) {
    // An age said just before the number joins its run; the card is still found on its own.
    const std::string text = "I am 42 4111 1111 1111 1111 thanks";
    const auto cards = of_type(find_entities(text), "card_number");
    ASSERT_EQ(cards.size(), 1U);
    EXPECT_EQ(span_of(text, cards[0]), "4111 1111 1111 1111");
}

TEST(FindEntities, PhoneNumbersAsE164) {
    const std::string text = "Call me at (415) 555-0123 or +44 20 7946 0958, not at 555-01.";
    const auto phones = of_type(find_entities(text), "phone_number");
    ASSERT_EQ(phones.size(), 2U);
    EXPECT_EQ(phones[0].value, "+14155550123");
    EXPECT_EQ(span_of(text, phones[0]), "(415) 555-0123");
    EXPECT_EQ(phones[1].value, "+442079460958");
}

TEST(FindEntities, SsnsWrittenDashedAndRefusesAreasNeverIssued) {
    const std::string text = "SSN 123-45-6789, not 000-12-3456, 666-12-3456, 900-12-3456 or 123-00-4567.";
    const auto ssns = of_type(find_entities(text), "ssn");
    ASSERT_EQ(ssns.size(), 1U);
    EXPECT_EQ(ssns[0].value, "123-45-6789");
    EXPECT_EQ(span_of(text, ssns[0]), "123-45-6789");
}

TEST(FindEntities, NineDigitsAfterSocialSecurityNumberAreAnSsn) {
    const std::string text = "my social security number is 123 45 6789 and my zip is 123456789";
    const auto ssns = of_type(find_entities(text), "ssn");
    ASSERT_EQ(ssns.size(), 1U);
    EXPECT_EQ(ssns[0].value, "123-45-6789");
    EXPECT_EQ(span_of(text, ssns[0]), "123 45 6789");
    EXPECT_TRUE(of_type(find_entities("my social security number is 666 45 6789"), "ssn").empty());
}

TEST(FindEntities, SpokenDigitsMakeCardsPhonesSsnsAndAccountNumbers) {
    const std::string card = "my card number is four one one one one one one one one one one one one one one one ok";
    const auto cards = of_type(find_entities(card), "card_number");
    ASSERT_EQ(cards.size(), 1U);
    EXPECT_EQ(cards[0].value, "4111111111111111");
    EXPECT_EQ(span_of(card, cards[0]), "four one one one one one one one one one one one one one one one");

    const std::string phone = "you can reach me at four one five, five five five, oh one two three.";
    const auto phones = of_type(find_entities(phone), "phone_number");
    ASSERT_EQ(phones.size(), 1U);
    EXPECT_EQ(phones[0].value, "+14155550123");
    EXPECT_EQ(span_of(phone, phones[0]), "four one five, five five five, oh one two three");

    const std::string ssn = "social security number one two three four five six seven eight nine";
    const auto ssns = of_type(find_entities(ssn), "ssn");
    ASSERT_EQ(ssns.size(), 1U);
    EXPECT_EQ(ssns[0].value, "123-45-6789");
    EXPECT_EQ(span_of(ssn, ssns[0]), "one two three four five six seven eight nine");

    const std::string account = "the account number is double four one two zero zero nine";
    const auto accounts = of_type(find_entities(account), "account_number");
    ASSERT_EQ(accounts.size(), 1U);
    EXPECT_EQ(accounts[0].value, "4412009");
    EXPECT_EQ(span_of(account, accounts[0]), "double four one two zero zero nine");
}

TEST(FindEntities, EmailsAndUrls) {
    const std::string text =
        "Write to John.Doe+billing@example.co.uk. Or see https://example.com/help?q=1, or "
        "www.shop.example.org.";
    const auto entities = find_entities(text);
    const auto emails = of_type(entities, "email");
    ASSERT_EQ(emails.size(), 1U);
    EXPECT_EQ(emails[0].value, "John.Doe+billing@example.co.uk");
    const auto urls = of_type(entities, "url");
    ASSERT_EQ(urls.size(), 2U);
    EXPECT_EQ(urls[0].value, "https://example.com/help?q=1");
    EXPECT_EQ(urls[1].value, "www.shop.example.org");
    EXPECT_TRUE(find_entities("meet me @ noon, or at user@localhost").empty());
}

TEST(FindEntities, Dates) {
    const std::string text =
        "Due March 5th, 2025, or 5 March 2025, the fifth of March, 2025-03-05, 03/05/2025, "
        "Jan. 3 and next Friday.";
    std::vector<std::string> dates;
    for (const core::Entity& entity : of_type(find_entities(text), "date")) dates.push_back(entity.value);
    const std::vector<std::string> expected{"March 5th, 2025", "5 March 2025", "fifth of March", "2025-03-05",
                                            "03/05/2025",      "Jan. 3",       "next Friday"};
    EXPECT_EQ(dates, expected);
    EXPECT_TRUE(of_type(find_entities("May I help you? It is 2025-13-45."), "date").empty());
}

TEST(FindEntities, Times) {
    const std::string text = "Open at 15:30, 3:30 p.m., 3pm, 9 AM and three o'clock; not 25:61 or one am.";
    std::vector<std::string> times;
    for (const core::Entity& entity : of_type(find_entities(text), "time")) times.push_back(entity.value);
    const std::vector<std::string> expected{"15:30", "3:30 p.m", "3pm", "9 AM", "three o'clock"};
    EXPECT_EQ(times, expected);
}

TEST(FindEntities, Money) {
    const std::string text = "It was $25, then $1,299.99, 25 dollars, \u20ac10 and 10 euros, not 25 people.";
    std::vector<std::string> amounts;
    for (const core::Entity& entity : of_type(find_entities(text), "money")) amounts.push_back(entity.value);
    const std::vector<std::string> expected{"$25", "$1,299.99", "25 dollars", "\u20ac10", "10 euros"};
    EXPECT_EQ(amounts, expected);
}

TEST(FindEntities, OrderAndAccountNumbers) {
    const std::string text =
        "Order number ABC-12345 arrived; order #98765 did not. My account number is 12345678. "
        "In order to help, the account is closed.";
    const auto entities = find_entities(text);
    const auto orders = of_type(entities, "order_number");
    ASSERT_EQ(orders.size(), 2U);
    EXPECT_EQ(orders[0].value, "ABC-12345");
    EXPECT_EQ(orders[1].value, "98765");
    EXPECT_EQ(span_of(text, orders[1]), "98765");
    const auto accounts = of_type(entities, "account_number");
    ASSERT_EQ(accounts.size(), 1U);
    EXPECT_EQ(accounts[0].value, "12345678");
}

TEST(FindEntities, TheMoreSpecificKindWinsAndNothingOverlaps) {
    // A card number said after "account number" is a card; a valid phone number there is a phone.
    const std::string text = "account number 4111 1111 1111 1111 and account number 415 555 0123";
    const auto entities = find_entities(text);
    ASSERT_EQ(entities.size(), 2U);
    EXPECT_EQ(entities[0].type, "card_number");
    EXPECT_EQ(entities[1].type, "phone_number");
    for (std::size_t i = 1; i < entities.size(); ++i) EXPECT_LE(entities[i - 1].end_char, entities[i].start_char);
}

TEST(FindDigitRuns, JoinsSpacesAndSingleCommasButNotSentences) {
    const auto runs = find_digit_runs("four, one one 2 - 3. 55 then oh");
    ASSERT_EQ(runs.size(), 3U);
    EXPECT_EQ(runs[0].digits, "41123");
    EXPECT_TRUE(runs[0].spoken);
    EXPECT_EQ(runs[1].digits, "55");
    EXPECT_FALSE(runs[1].spoken);
    EXPECT_EQ(runs[2].digits, "0");
}

TEST(ExtractEntities, WordIndicesAndConfidenceFromTheWords) {
    core::Transcript transcript = transcript_of(split("Hi. My card is 4111 1111 1111 1111, email me at a@b.io."));
    transcript.words[5].confidence = 0.5;
    const auto entities = extract_entities(transcript);
    ASSERT_EQ(entities.size(), 2U);
    const core::Entity& card = entities[0];
    EXPECT_EQ(card.type, "card_number");
    ASSERT_TRUE(card.start_word && card.end_word);
    EXPECT_EQ(*card.start_word, 4U);
    EXPECT_EQ(*card.end_word, 7U);
    EXPECT_EQ(transcript.words[*card.start_word].punctuated, "4111");
    EXPECT_EQ(transcript.words[*card.end_word].punctuated, "1111,");
    EXPECT_NEAR(card.confidence, (0.9 + 0.5 + 0.9 + 0.9) / 4, 1e-9);
    const core::Entity& email = entities[1];
    EXPECT_EQ(covered(transcript, email), "a@b.io");
    EXPECT_EQ(email.start_word, 11U);
    EXPECT_EQ(email.end_word, 11U);
}

TEST(ExtractEntities, NoWordIndicesWhenTheWordsAreNotTheText) {
    core::Transcript transcript = transcript_of(split("My card is 4111 1111 1111 1111"));
    transcript.text = "My card is 4111-1111-1111-1111";  // formatted apart from the words
    const auto entities = extract_entities(transcript);
    ASSERT_EQ(entities.size(), 1U);
    EXPECT_FALSE(entities[0].start_word.has_value());
    EXPECT_FALSE(entities[0].end_word.has_value());
    EXPECT_DOUBLE_EQ(entities[0].confidence, 1.0);
}

TEST(MergeEntities, KeepsTheEnginesAndAddsOursWhereTheyDoNotOverlap) {
    core::Entity engine{"credit_card", "4111 1111 1111 1111", 11, 30, std::nullopt, std::nullopt, 0.8, "deepgram"};
    core::Entity stale{"email", "old@example.com", 40, 55, std::nullopt, std::nullopt, 1, "crossvoice"};
    core::Entity card{"card_number", "4111111111111111", 11, 30, std::nullopt, std::nullopt, 1, "crossvoice"};
    core::Entity phone{"phone_number", "+14155550123", 60, 74, std::nullopt, std::nullopt, 1, "crossvoice"};
    const auto merged = merge_entities({stale, engine}, {card, phone});
    ASSERT_EQ(merged.size(), 2U);
    EXPECT_EQ(merged[0].source, "deepgram");
    EXPECT_EQ(merged[1].type, "phone_number");
}

}  // namespace
}  // namespace crossvoice::language
