#include "assistant/fts5_query.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "assistant/words.hpp"

namespace crossvoice::assistant {
namespace {

TEST(Fts5Query, QuotesContentWordsJoinedWithOr) {
    EXPECT_EQ(fts5_query("How do I get a REFUND for my invoice?"), R"("refund" OR "invoice")");
}

TEST(Fts5Query, DropsStopwordsShortWordsAndRepeats) {
    EXPECT_EQ(fts5_query("what is the size of a plan x plan"), R"("size" OR "plan")");
    EXPECT_EQ(fts5_query("what is it?"), "");
    EXPECT_EQ(fts5_query(""), "");
}

TEST(Fts5Query, OperatorsAndQuotesBecomePlainWords) {
    EXPECT_EQ(fts5_query(R"("AND" OR * NEAR( col:value) ^start -x {a b})"), R"("near" OR "col" OR "value" OR "start")");
    EXPECT_EQ(fts5_query("\"\"\"**((("), "");
}

TEST(Fts5Query, ApostrophesStayInsideAWord) {
    EXPECT_EQ(fts5_query("TETRIX's voicemail isn't working"), R"("tetrix" OR "voicemail" OR "working")");
    EXPECT_EQ(fts5_query("'quoted' o'brien"), R"("quoted" OR "o'brien")");
}

TEST(Fts5Query, LeavesOutTheIgnoredWord) {
    EXPECT_EQ(fts5_query("what plans does TETRIX offer", "tetrix"), R"("plans" OR "offer")");
    EXPECT_EQ(fts5_query("tetrix", "tetrix"), "");
}

TEST(Fts5Query, AddsTheWordsAParaphraseImplies) {
    EXPECT_EQ(fts5_query("can I get my money back"), R"("money" OR "back" OR "refund")");
    EXPECT_EQ(fts5_query("update the credit card on file"),
              R"("update" OR "credit" OR "card" OR "file" OR "payment" OR "method")");
    // An implied word the question already says is not repeated; words in a row must be in a row.
    EXPECT_EQ(fts5_query("refund my money back"), R"("refund" OR "money" OR "back")");
    EXPECT_EQ(fts5_query("back my money"), R"("back" OR "money")");
}

TEST(Fts5Query, NonAsciiSeparatesWords) {
    EXPECT_EQ(fts5_query("caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9"), R"("caf" OR "sum")");
}

TEST(Fts5Query, BoundsTheNumberOfTerms) {
    std::string many;
    for (int i = 0; i < 100; ++i) many += "word" + std::to_string(i) + " ";
    const std::string query = fts5_query(many);
    EXPECT_EQ(std::count(query.begin(), query.end(), '"'), 64);
}

TEST(Words, StopwordsAreFoundFromFirstToLast) {
    for (const char* word : {"about", "how", "please", "what's", "your"}) EXPECT_TRUE(is_stopword(word)) << word;
    for (const char* word : {"refund", "voicemail", "number", "call", "a1", ""})
        EXPECT_FALSE(is_stopword(word)) << word;
}

TEST(Words, ContentWordsKeepOrderWithoutRepeats) {
    EXPECT_EQ(content_words("Refunds? REFUNDS for my 2 invoices, O'Brien's invoices!"),
              (std::vector<std::string>{"refunds", "invoices", "o'brien"}));
}

TEST(Words, StemMatchesCommonInflections) {
    EXPECT_EQ(stem("refunds"), "refund");
    EXPECT_EQ(stem("refunded"), "refund");
    EXPECT_EQ(stem("refunding"), "refund");
    EXPECT_EQ(stem("charges"), stem("charge"));
    EXPECT_EQ(stem("charged"), stem("charge"));
    EXPECT_EQ(stem("messages"), stem("message"));
    EXPECT_EQ(stem("access"), "access");
    EXPECT_EQ(stem("bus"), "bus");
}

}  // namespace
}  // namespace crossvoice::assistant
