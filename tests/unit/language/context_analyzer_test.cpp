#include "language/context_analyzer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <string>
#include <vector>

namespace crossvoice::language {
namespace {

using core::ports::IntentCandidate;

const std::vector<IntentCandidate>& call_intents() {
    static const std::vector<IntentCandidate> intents{
        {"billing", {"bill", "invoice", "payment", "charge", "pay my bill", "refund"}, "ada"},
        {"technical_support", {"internet", "router", "connection", "outage", "not working"}, "tesla"},
        {"sales", {"new plan", "upgrade", "buy"}, std::nullopt},
    };
    return intents;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(ContextAnalyzerTest, PicksTheBillingIntentWithItsPersona) {
    const auto analysis =
        analyze_context("Hi, I want to pay my bill. The last payment was charged twice.", call_intents());
    EXPECT_EQ(analysis.intent, "billing");
    EXPECT_EQ(analysis.persona, "ada");
    EXPECT_GT(analysis.intent_confidence, 0.5);
    EXPECT_LE(analysis.intent_confidence, 1.0);
}

TEST(ContextAnalyzerTest, PicksTechnicalSupportFromItsPhrases) {
    const auto analysis =
        analyze_context("My INTERNET keeps dropping and the router is not working since this morning.", call_intents());
    EXPECT_EQ(analysis.intent, "technical_support");
    EXPECT_EQ(analysis.persona, "tesla");
}

TEST(ContextAnalyzerTest, MatchesWholeWordsCaseInsensitivelyAndWordForms) {
    EXPECT_EQ(analyze_context("Where are my BILLS?", call_intents()).intent, "billing");
    EXPECT_EQ(analyze_context("I was billed for nothing", call_intents()).intent, "billing");
    EXPECT_EQ(analyze_context("Your billboard on Main Street is crooked", call_intents()).intent, "unknown")
        << "'bill' is not a part of 'billboard'";
    EXPECT_EQ(analyze_context("rebuying", call_intents()).intent, "unknown");
}

TEST(ContextAnalyzerTest, ALongerPhraseOutweighsSingleWordsAndAMixedCallIsLessCertain) {
    // "not working" (two words) beats "bill" (one word).
    const auto mixed = analyze_context("The bill is fine, it is just not working.", call_intents());
    EXPECT_EQ(mixed.intent, "technical_support");
    const auto clear = analyze_context("The router is not working, no internet connection.", call_intents());
    EXPECT_EQ(clear.intent, "technical_support");
    EXPECT_LT(mixed.intent_confidence, clear.intent_confidence);
}

TEST(ContextAnalyzerTest, NoMatchingPhraseIsUnknown) {
    const auto analysis = analyze_context("What time do you open on Saturday?", call_intents());
    EXPECT_EQ(analysis.intent, "unknown");
    EXPECT_EQ(analysis.intent_confidence, 0);
    EXPECT_FALSE(analysis.persona.has_value());
    EXPECT_EQ(analyze_context("pay my bill", {}).intent, "unknown");
}

TEST(ContextAnalyzerTest, PhrasesInOtherLanguagesMatchToo) {
    const std::vector<IntentCandidate> intents{{"facturacion", {"factura", "pagar"}, "ada"}};
    const auto analysis = analyze_context("Quiero pagar mi factura, por favor.", intents);
    EXPECT_EQ(analysis.intent, "facturacion");
    EXPECT_EQ(analysis.sentiment.label, "neutral");
}

TEST(ContextAnalyzerTest, SentimentPositive) {
    const auto analysis = analyze_context("Thank you so much, that was great and really helpful!", {});
    EXPECT_EQ(analysis.sentiment.label, "positive");
    EXPECT_GT(analysis.sentiment.score, 0.3);
    EXPECT_LE(analysis.sentiment.score, 1.0);
}

TEST(ContextAnalyzerTest, SentimentNegative) {
    const auto analysis = analyze_context("This is terrible. I am so frustrated and angry, I want to cancel.", {});
    EXPECT_EQ(analysis.sentiment.label, "negative");
    EXPECT_LT(analysis.sentiment.score, -0.3);
    EXPECT_GE(analysis.sentiment.score, -1.0);
}

TEST(ContextAnalyzerTest, NegationFlipsSentiment) {
    EXPECT_EQ(analyze_context("I am happy with the service", {}).sentiment.label, "positive");
    EXPECT_EQ(analyze_context("I am not happy with the service", {}).sentiment.label, "negative");
    EXPECT_EQ(analyze_context("I don't think it was helpful", {}).sentiment.label, "negative");
    EXPECT_EQ(analyze_context("Honestly it was not bad at all", {}).sentiment.label, "positive");
    // The negation ends with its clause.
    EXPECT_EQ(analyze_context("No, it is great", {}).sentiment.label, "positive");
}

TEST(ContextAnalyzerTest, IntensifiersStrengthenAndNeutralTextIsNeutral) {
    const double plain = analyze_context("I am happy today okay", {}).sentiment.score;
    const double strong = analyze_context("I am very happy today", {}).sentiment.score;
    EXPECT_GT(strong, plain);
    const auto neutral = analyze_context("I would like to update the address on my account", {});
    EXPECT_EQ(neutral.sentiment.label, "neutral");
    EXPECT_EQ(neutral.sentiment.score, 0);
}

TEST(ContextAnalyzerTest, KeywordsAreFrequentContentWordsWithRepeatedPairs) {
    const std::string text =
        "My internet connection dropped again. The router restarted and the internet connection came back. "
        "Then the router lights went red and the router stopped. I called about the internet connection "
        "yesterday too.";
    const auto analysis = analyze_context(text, call_intents());
    ASSERT_GE(analysis.keywords.size(), 2U);
    EXPECT_LE(analysis.keywords.size(), 8U);
    EXPECT_EQ(analysis.keywords[0], "internet connection");
    EXPECT_EQ(analysis.keywords[1], "router");
    for (const char* stopword : {"the", "and", "my", "then", "too", "again"}) {
        EXPECT_FALSE(contains(analysis.keywords, stopword)) << stopword;
    }
    EXPECT_FALSE(contains(analysis.keywords, "internet")) << "already part of the pair";
    EXPECT_EQ(analyze_context(text, call_intents()).keywords, analysis.keywords) << "deterministic";
}

TEST(ContextAnalyzerTest, RedactionPlaceholdersNeverBecomeKeywords) {
    const auto analysis = analyze_context(
        "My number is [ACCOUNT_NUMBER] and the card is [CARD]. Charge [CARD] for the invoice, the invoice.", {});
    for (const auto& keyword : analysis.keywords) {
        EXPECT_EQ(keyword.find("account"), std::string::npos) << keyword;
        EXPECT_EQ(keyword.find('['), std::string::npos) << keyword;
    }
    EXPECT_TRUE(contains(analysis.keywords, "invoice"));
}

TEST(ContextAnalyzerTest, SummaryQuotesTheKeySentencesInTheirOrder) {
    const std::string text =
        "Hello there. Thanks for calling. I want to pay my bill because the bill shows a late fee. "
        "The weather is lovely. My bill was paid last month so the fee is wrong.";
    const auto analysis = analyze_context(text, call_intents());
    EXPECT_LE(analysis.summary.size(), 200U);
    EXPECT_FALSE(analysis.summary.empty());
    const std::string first = "I want to pay my bill because the bill shows a late fee.";
    const std::string second = "My bill was paid last month so the fee is wrong.";
    EXPECT_EQ(analysis.summary, first + " " + second);
}

TEST(ContextAnalyzerTest, SummaryOfUnpunctuatedEngineTextIsShortAndFromTheText) {
    std::string text;
    for (int i = 0; i < 12; ++i) text += "so yeah the thing is we have been waiting a long time and ";
    text += "my router keeps restarting every hour and the internet drops ";
    for (int i = 0; i < 12; ++i) text += "anyway i called before and nothing happened at all really ";
    const auto analysis = analyze_context(text, call_intents());
    ASSERT_FALSE(analysis.summary.empty());
    EXPECT_LE(analysis.summary.size(), 200U);
    std::string quoted = analysis.summary;
    if (quoted.ends_with("…")) quoted.resize(quoted.size() - std::string("…").size());
    EXPECT_NE(text.find(quoted), std::string::npos) << analysis.summary;
    EXPECT_TRUE(analysis.summary.find("router") != std::string::npos ||
                analysis.summary.find("internet") != std::string::npos)
        << "the part stating the intent, not the filler: " << analysis.summary;
}

TEST(ContextAnalyzerTest, ALongSingleSentenceIsCutAtAWord) {
    std::string text = "The";
    for (int i = 0; i < 25; ++i) text += " reimbursement";
    text += ".";
    const auto summary = analyze_context(text, {}).summary;
    EXPECT_LE(summary.size(), 200U);
    EXPECT_GT(summary.size(), 150U);
    EXPECT_TRUE(summary.ends_with(" reimbursement…")) << summary;
}

TEST(ContextAnalyzerTest, EmptyTextGivesAnEmptyNeutralAnalysis) {
    for (const char* text : {"", "   \n ", "...", "[CARD]"}) {
        const auto analysis = analyze_context(text, call_intents());
        EXPECT_EQ(analysis.intent, "unknown") << text;
        EXPECT_EQ(analysis.sentiment.label, "neutral") << text;
        EXPECT_EQ(analysis.sentiment.score, 0) << text;
        EXPECT_TRUE(analysis.keywords.empty()) << text;
    }
    EXPECT_EQ(analyze_context("", {}).summary, "");
}

TEST(ContextAnalyzerTest, ConcurrentCallsAgree) {
    const std::string text = "I am not happy: my bill doubled and the router is not working. Please refund me.";
    const auto expected = analyze_context(text, call_intents());
    std::vector<std::future<bool>> runs;
    for (int thread = 0; thread < 4; ++thread) {
        runs.push_back(std::async(std::launch::async, [&] {
            bool same = true;
            for (int i = 0; i < 200; ++i) {
                const auto analysis = analyze_context(text, call_intents());
                same = same && analysis.intent == expected.intent && analysis.keywords == expected.keywords &&
                       analysis.summary == expected.summary && analysis.sentiment.score == expected.sentiment.score;
            }
            return same;
        }));
    }
    for (auto& run : runs) EXPECT_TRUE(run.get());
}

}  // namespace
}  // namespace crossvoice::language
