#include "assistant/sentences.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace crossvoice::assistant {
namespace {

TEST(Sentences, SplitsAtSentenceEndsOnly) {
    const auto sentences =
        split_sentences("Pay by card, e.g. a Visa. It costs $5.50 a month! Why? 3 days later it renews. Last");
    EXPECT_EQ(sentences, (std::vector<std::string_view>{"Pay by card, e.g. a Visa.", "It costs $5.50 a month!", "Why?",
                                                        "3 days later it renews.", "Last"}));
    EXPECT_EQ(split_sentences("It renews. then stops"), std::vector<std::string_view>{"It renews. then stops"});
    EXPECT_TRUE(split_sentences("").empty());
    EXPECT_TRUE(split_sentences("   ").empty());
}

TEST(Sentences, ReplacesUrlsKeepingTheFullStop) {
    EXPECT_EQ(replace_urls("See https://tetrix.example/help. Or www.tetrix.example, or (http://a.b/c).", "our website"),
              "See our website. Or our website, or (our website).");
    EXPECT_EQ(replace_urls("nohttps://x stays", "our website"), "nohttps://x stays");
}

TEST(Sentences, SpeakableTextHasNoMarkdownOrUrls) {
    EXPECT_EQ(speakable("Press **1** | see `docs` at https://x.test/a_b #now"), "Press 1 see docs at our website now");
}

TEST(Sentences, ShortensLongSentencesAtAClause) {
    EXPECT_EQ(shorten_sentence("Short one.", 45), "Short one.");
    const std::string long_sentence =
        "one two three four five, six seven eight nine ten eleven twelve; thirteen fourteen fifteen";
    EXPECT_EQ(shorten_sentence(long_sentence, 12), "one two three four five, six seven eight nine ten eleven twelve.");
    EXPECT_EQ(shorten_sentence("a b c d e f g h", 4), "a b c d.");
    EXPECT_EQ(count_words(" a  b\tc\n"), 3U);
}

}  // namespace
}  // namespace crossvoice::assistant
