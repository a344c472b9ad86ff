#include "assistant/markdown_sections.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "assistant/utf8_text.hpp"

namespace crossvoice::assistant {
namespace {

std::vector<std::string> ids(const std::vector<core::KnowledgePassage>& passages) {
    std::vector<std::string> out;
    for (const auto& passage : passages) out.push_back(passage.id);
    return out;
}

bool valid_utf8(const std::string& text) {
    // Round trip through the cleaner: valid UTF-8 without control characters comes back unchanged.
    return clean_utf8(text) == text;
}

TEST(MarkdownSections, LevelsOneToThreeStartPassagesAndDeeperHeadingsStayInside) {
    const auto passages = split_markdown("billing",
                                         "# Billing\nIntro text.\n\n## Refunds\nRefunds take 5 days.\n\n"
                                         "### Partial refunds\nPartial ones too.\n#### Small print\nNone.\n");
    ASSERT_EQ(passages.size(), 3U);
    EXPECT_EQ(ids(passages),
              (std::vector<std::string>{"billing#billing", "billing#refunds", "billing#partial-refunds"}));
    EXPECT_EQ(passages[0].heading, "Billing");
    EXPECT_EQ(passages[0].text, "Intro text.");
    EXPECT_EQ(passages[1].heading, "Refunds");
    EXPECT_EQ(passages[1].document, "billing");
    EXPECT_EQ(passages[2].text, "Partial ones too. Small print. None.");
}

TEST(MarkdownSections, AskCommentsNameQuestionsAndNoCommentIsText) {
    const auto sections = parse_markdown_sections("billing",
                                                  "# Billing\n\n## Refunds\n<!-- ask: can I get my money back -->\n"
                                                  "<!-- ask: refund *after* 30 days? -->\n<!-- a note -->\n"
                                                  "Refunds take five days.\n\n## Invoices\nMonthly.\n");
    ASSERT_EQ(sections.passages.size(), 2u);
    ASSERT_EQ(sections.asks.size(), 2u);
    EXPECT_EQ(sections.passages[0].id, "billing#refunds");
    EXPECT_EQ(sections.passages[0].text, "Refunds take five days.");
    EXPECT_EQ(sections.asks[0], "can I get my money back refund after 30 days?");
    EXPECT_EQ(sections.asks[1], "");
}

TEST(MarkdownSections, HashWithoutSpaceIsNotAHeading) {
    const auto passages = split_markdown("doc", "## Topic\n#hashtag and ##not a heading\n");
    ASSERT_EQ(passages.size(), 1U);
    EXPECT_EQ(passages[0].text, "#hashtag and ##not a heading.");
}

TEST(MarkdownSections, SlugsAreLowerCaseRunsJoinedByDashes) {
    EXPECT_EQ(heading_slug("Taxes & Regulatory   Fees!"), "taxes-regulatory-fees");
    EXPECT_EQ(heading_slug("  --Wi-Fi Calling (beta)-- "), "wi-fi-calling-beta");
    EXPECT_EQ(heading_slug("Plan 2024: Über"), "plan-2024-ber");
    EXPECT_EQ(heading_slug("???"), "section");
    EXPECT_EQ(heading_slug("日本語"), "section");
}

TEST(MarkdownSections, DuplicateSlugsGetNumbered) {
    const auto passages =
        split_markdown("faq", "## FAQ\none\n## faq\ntwo\n## FAQ!\nthree\n## FAQ 2\nfour\n## Empty\n## faq\nfive\n");
    EXPECT_EQ(ids(passages),
              (std::vector<std::string>{"faq#faq", "faq#faq-2", "faq#faq-3", "faq#faq-2-2", "faq#faq-4"}));
}

TEST(MarkdownSections, PreambleIsHeadedByTheDocumentName) {
    const auto sections = parse_markdown_sections("support", "Call us any time.\n\n## Hours\nAlways open.\n");
    ASSERT_EQ(sections.passages.size(), 2U);
    EXPECT_EQ(sections.passages[0].id, "support#support");
    EXPECT_EQ(sections.passages[0].heading, "support");
    EXPECT_EQ(sections.passages[0].text, "Call us any time.");
    EXPECT_EQ(sections.title, "support");  // no "# " heading
}

TEST(MarkdownSections, TitleIsTheFirstLevelOneHeading) {
    const auto sections = parse_markdown_sections("plans", "## Before\ntext\n# TETRIX *Plans*\nmore\n# Second\nx\n");
    EXPECT_EQ(sections.title, "TETRIX Plans");
}

TEST(MarkdownSections, FencedCodeIsLeftOut) {
    const auto passages = split_markdown("api",
                                         "## Use\nBefore.\n```bash\n## not a heading\ncurl "
                                         "https://x\n```\nAfter.\n~~~~\ncode\n~~~\nstill code\n~~~~\nEnd.\n");
    ASSERT_EQ(passages.size(), 1U);
    EXPECT_EQ(passages[0].text, "Before. After. End.");
}

TEST(MarkdownSections, UnclosedFenceHidesTheRestOfTheDocument) {
    const auto passages = split_markdown("api", "## Use\nBefore.\n```\n## Hidden\ntext\n");
    ASSERT_EQ(passages.size(), 1U);
    EXPECT_EQ(passages[0].text, "Before.");
}

TEST(MarkdownSections, InlineMarkdownIsStrippedForSpeech) {
    const auto passages = split_markdown(
        "help",
        "## **Getting** _started_\nSee [our guide](https://x.test/guide) and ![logo](l.png), run `setup`,\n"
        "then *relax*. Keep snake_case and <https://tetrix.example/help>.<br>\n> Quoted   tip\n");
    ASSERT_EQ(passages.size(), 1U);
    EXPECT_EQ(passages[0].heading, "Getting started");
    EXPECT_EQ(passages[0].id, "help#getting-started");
    EXPECT_EQ(passages[0].text,
              "See our guide and logo, run setup, then relax. Keep snake_case and https://tetrix.example/help. "
              "Quoted tip.");
}

TEST(MarkdownSections, ListItemsAndTableRowsBecomeSentences) {
    const auto passages = split_markdown("pay",
                                         "## Methods\nWe accept:\n- Visa\n* Mastercard!\n2. Bank debit\n\n"
                                         "| Plan | Price |\n|---|:--:|\n| Starter | $20 |\n\n---\nDone\n");
    ASSERT_EQ(passages.size(), 1U);
    EXPECT_EQ(passages[0].text, "We accept. Visa. Mastercard! Bank debit. Plan, Price. Starter, $20. Done.");
}

TEST(MarkdownSections, PassagesWithoutTextAreSkipped) {
    const auto passages = split_markdown("doc", "# Title\n\n## Empty\n```\ncode only\n```\n## Full\nText\n");
    EXPECT_EQ(ids(passages), std::vector<std::string>{"doc#full"});
    EXPECT_TRUE(split_markdown("doc", "").empty());
    EXPECT_TRUE(split_markdown("doc", "# Only a heading\n\n---\n").empty());
}

TEST(MarkdownSections, ClosingHashesAndCrLfAreRemoved) {
    const auto passages = split_markdown("doc", "## Refunds ##\r\nMoney back.\r\n");
    ASSERT_EQ(passages.size(), 1U);
    EXPECT_EQ(passages[0].heading, "Refunds");
    EXPECT_EQ(passages[0].text, "Money back.");
}

TEST(MarkdownSections, JunkBytesGiveValidUtf8AndBoundedHeadings) {
    std::string junk = "## Caf\xc3\xa9 \xff\xfe bad\x01\n";
    junk += "text \xe2\x82 broken \xed\xa0\x80 surrogate \xc0\xaf overlong";
    junk += std::string("\0 nul\x7f\n", 7);
    junk += "## " + std::string(1000, 'x') + "\xc3\xa9\n" + "body\n";
    junk += "## " + std::string(199, 'y') + "\xc3\xa9" + "tail\nbody\n";
    const auto passages = split_markdown("doc\xff", junk);
    ASSERT_EQ(passages.size(), 3U);
    EXPECT_EQ(passages[0].heading, "Caf\xc3\xa9 bad");
    EXPECT_EQ(passages[0].id, "doc#caf-bad");
    for (const auto& passage : passages) {
        EXPECT_TRUE(valid_utf8(passage.id)) << passage.id;
        EXPECT_TRUE(valid_utf8(passage.heading));
        EXPECT_TRUE(valid_utf8(passage.text)) << passage.text;
        EXPECT_LE(passage.heading.size(), kMaxHeadingBytes);
    }
    EXPECT_EQ(passages[1].heading, std::string(200, 'x'));
    EXPECT_EQ(passages[2].heading, std::string(199, 'y'));  // the 2-byte character does not fit whole
}

}  // namespace
}  // namespace crossvoice::assistant
