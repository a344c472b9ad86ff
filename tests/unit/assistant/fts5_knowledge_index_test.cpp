#include "assistant/fts5_knowledge_index.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace crossvoice::assistant {
namespace {

using core::ErrorCode;
using core::KnowledgeDocument;
using core::KnowledgePassage;
using core::Platform;

KnowledgeDocument doc(Platform platform, std::string name, std::string markdown) {
    KnowledgeDocument document;
    document.platform = platform;
    document.name = std::move(name);
    document.markdown = std::move(markdown);
    return document;
}

std::vector<std::string> ids(const std::vector<KnowledgePassage>& passages) {
    std::vector<std::string> out;
    for (const auto& passage : passages) out.push_back(passage.id);
    return out;
}

const std::string kBilling =
    "# TETRIX Billing\n\nHow TETRIX bills you.\n\n"
    "## Refunds\nNew customers get their money back within 30 days of the first invoice.\n\n"
    "## Payment methods\nWe accept Visa and bank debit. A refund goes back to the card that paid.\n\n"
    "## Invoices\nEvery invoice is emailed on the billing date; a refund shows as a credit line.\n";

const std::string kVoicemail =
    "# TETRIX Voicemail\n\n## Voicemail greetings\nRecord a greeting in the app under Settings.\n\n"
    "## Voicemail to email\nEach message is emailed with a transcript.\n";

const std::string kJoromiBilling =
    "# JoRoMi Billing\n\n## Refunds\nJoRoMi refunds annual subscriptions within 14 days.\n";

TEST(Fts5KnowledgeIndex, RebuildReportsDocumentsAndPassages) {
    Fts5KnowledgeIndex index(":memory:");
    auto stats =
        index.rebuild({doc(Platform::kTetrix, "billing", kBilling), doc(Platform::kTetrix, "voicemail", kVoicemail)});
    ASSERT_TRUE(stats) << stats.error().message;
    EXPECT_EQ(stats->documents, 2);
    EXPECT_EQ(stats->passages, 6);
}

TEST(Fts5KnowledgeIndex, FindsPassagesWithPositiveDescendingScores) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "billing", kBilling)}));
    auto found = index.search(Platform::kTetrix, "Which cards do you accept? Visa?", 3);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_FALSE(found->empty());
    EXPECT_EQ(found->front().id, "billing#payment-methods");
    EXPECT_EQ(found->front().document, "billing");
    EXPECT_EQ(found->front().heading, "Payment methods");
    EXPECT_EQ(found->front().text, "We accept Visa and bank debit. A refund goes back to the card that paid.");
    for (std::size_t i = 0; i < found->size(); ++i) {
        EXPECT_GT((*found)[i].score, 0);
        if (i > 0) {
            EXPECT_GE((*found)[i - 1].score, (*found)[i].score);
        }
    }
}

TEST(Fts5KnowledgeIndex, ASectionsExampleQuestionsFindItAndComeBackForMatchingOnly) {
    const std::string with_asks =
        "# Help\n## Delivery reports\n<!-- ask: did my text reach the customer -->\n"
        "Each message gets a status callback when the carrier accepts or rejects it.\n"
        "## Sending\nCustomers receive each text within seconds of sending it.\n";
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "help", with_asks)}));
    auto found = index.search(Platform::kTetrix, "did my text reach the customer", 2);
    ASSERT_TRUE(found);
    ASSERT_FALSE(found->empty());
    EXPECT_EQ(found->front().id, "help#delivery-reports");
    EXPECT_EQ(found->front().asks, "did my text reach the customer");
    EXPECT_EQ(found->front().text.find("reach"), std::string::npos);  // never part of what is said
}

TEST(Fts5KnowledgeIndex, HeadingMatchRanksFirst) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "billing", kBilling)}));
    // "refund" is in the body of two other passages; the passage headed Refunds says it once, in other words.
    auto found = index.search(Platform::kTetrix, "how do refunds work", 3);
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 3U);
    EXPECT_EQ(found->front().id, "billing#refunds");
}

TEST(Fts5KnowledgeIndex, TheIntroductionGivesWayToASection) {
    // The introduction says "refunds" twice, the section once: plain BM25 prefers the introduction.
    const auto documents = std::vector<KnowledgeDocument>{
        doc(Platform::kTetrix, "billing",
            "# Billing\nBilling covers invoices and refunds. Refunds are explained below.\n\n"
            "## Money back\nA refund goes to the card within ten days.\n")};
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild(documents));
    auto found = index.search(Platform::kTetrix, "refunds", 2);
    ASSERT_TRUE(found);
    EXPECT_EQ(ids(*found), (std::vector<std::string>{"billing#money-back", "billing#billing"}));

    Fts5KnowledgeIndex undiscounted(":memory:", Fts5KnowledgeIndexOptions{.introduction_weight = 1.0});
    ASSERT_TRUE(undiscounted.rebuild(documents));
    found = undiscounted.search(Platform::kTetrix, "refunds", 2);
    ASSERT_TRUE(found);
    EXPECT_EQ(ids(*found), (std::vector<std::string>{"billing#billing", "billing#money-back"}));
}

TEST(Fts5KnowledgeIndex, TheIndexIgnoresItsOwnPlatformsName) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "billing", kBilling)}));
    // "TETRIX" is in the title of every passage; the query's only other word decides.
    auto found = index.search(Platform::kTetrix, "TETRIX invoice", 1);
    ASSERT_TRUE(found);
    EXPECT_EQ(ids(*found), std::vector<std::string>{"billing#invoices"});
    EXPECT_TRUE(index.search(Platform::kTetrix, "TETRIX", 3)->empty());
}

TEST(Fts5KnowledgeIndex, StemsQueryAndText) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "voicemail", kVoicemail)}));
    auto found = index.search(Platform::kTetrix, "recording greetings", 1);
    ASSERT_TRUE(found);
    EXPECT_EQ(ids(*found), std::vector<std::string>{"voicemail#voicemail-greetings"});
}

TEST(Fts5KnowledgeIndex, RebuildReplacesTheWholeIndex) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "billing", kBilling)}));
    ASSERT_FALSE(index.search(Platform::kTetrix, "refund", 5)->empty());
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "voicemail", kVoicemail)}));
    EXPECT_TRUE(index.search(Platform::kTetrix, "refund", 5)->empty());
    EXPECT_EQ(index.search(Platform::kTetrix, "greeting", 5)->size(), 1U);
}

TEST(Fts5KnowledgeIndex, PlatformsNeverSeeEachOthersPassages) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(
        index.rebuild({doc(Platform::kTetrix, "billing", kBilling), doc(Platform::kTetrix, "voicemail", kVoicemail),
                       doc(Platform::kJoromi, "billing", kJoromiBilling)}));
    auto joromi = index.search(Platform::kJoromi, "refund invoice voicemail visa TETRIX", 10);
    ASSERT_TRUE(joromi);
    EXPECT_EQ(ids(*joromi), std::vector<std::string>{"billing#refunds"});
    EXPECT_NE(joromi->front().text.find("JoRoMi"), std::string::npos);
    auto tetrix = index.search(Platform::kTetrix, "JoRoMi annual subscriptions", 10);
    ASSERT_TRUE(tetrix);
    EXPECT_TRUE(tetrix->empty());
}

TEST(Fts5KnowledgeIndex, QueryOperatorsAndQuotesAreSafe) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "billing", kBilling)}));
    for (const char* query : {R"("AND" OR * NEAR()", "refund\" OR \"", "NOT refund", "body:refund", "refund*", "(((",
                              "'", "^refund", "refund AND NOT OR", "\xff\xfe refund", "NEAR(refund visa, 2)"}) {
        auto found = index.search(Platform::kTetrix, query, 3);
        EXPECT_TRUE(found) << query << ": " << found.error().message;
    }
    // The operators are words: "NOT refund" looks for refunds rather than excluding them.
    EXPECT_FALSE(index.search(Platform::kTetrix, "NOT refund", 3)->empty());
}

TEST(Fts5KnowledgeIndex, EmptyQueriesAndLimitsGiveNothing) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "billing", kBilling)}));
    EXPECT_TRUE(index.search(Platform::kTetrix, "", 3)->empty());
    EXPECT_TRUE(index.search(Platform::kTetrix, "what is the", 3)->empty());
    EXPECT_TRUE(index.search(Platform::kTetrix, "refund", 0)->empty());
    EXPECT_EQ(index.search(Platform::kTetrix, "refund", 1)->size(), 1U);
}

TEST(Fts5KnowledgeIndex, SearchBeforeAnyRebuildIsEmpty) {
    Fts5KnowledgeIndex index(":memory:");
    auto found = index.search(Platform::kTetrix, "refund", 3);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_TRUE(found->empty());
}

TEST(Fts5KnowledgeIndex, ValidationFailureLeavesTheOldIndex) {
    Fts5KnowledgeIndex index(":memory:");
    ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "billing", kBilling)}));
    auto refused = index.rebuild({doc(Platform::kTetrix, "voicemail", kVoicemail),
                                  doc(Platform::kJoromi, "empty", "# Only a title\n\n```\ncode\n```\n")});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    EXPECT_NE(refused.error().message.find("'empty'"), std::string::npos) << refused.error().message;
    EXPECT_FALSE(index.search(Platform::kTetrix, "refund", 3)->empty());
    EXPECT_TRUE(index.search(Platform::kTetrix, "greeting", 3)->empty());
}

TEST(Fts5KnowledgeIndex, ADocumentListedTwiceIsRefused) {
    Fts5KnowledgeIndex index(":memory:");
    auto refused =
        index.rebuild({doc(Platform::kTetrix, "billing", kBilling), doc(Platform::kTetrix, "billing", kVoicemail)});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    // The same name on two platforms is two documents.
    EXPECT_TRUE(index.rebuild(
        {doc(Platform::kTetrix, "billing", kBilling), doc(Platform::kJoromi, "billing", kJoromiBilling)}));
}

TEST(Fts5KnowledgeIndex, AFileIndexPersistsAndIsReplacedInPlace) {
    testing::TempDir dir;
    const std::string path = (dir.path() / "knowledge.db").string();
    {
        Fts5KnowledgeIndex index(path);
        ASSERT_TRUE(index.rebuild({doc(Platform::kTetrix, "billing", kBilling)}));
    }
    Fts5KnowledgeIndex reopened(path);
    EXPECT_FALSE(reopened.search(Platform::kTetrix, "refund", 3)->empty());
    ASSERT_TRUE(reopened.rebuild({doc(Platform::kTetrix, "voicemail", kVoicemail)}));
    EXPECT_TRUE(reopened.search(Platform::kTetrix, "refund", 3)->empty());
    EXPECT_FALSE(reopened.search(Platform::kTetrix, "greeting", 3)->empty());
}

TEST(Fts5KnowledgeIndex, AnUnusablePathIsUnavailable) {
    testing::TempDir dir;
    Fts5KnowledgeIndex index((dir.path() / "missing" / "knowledge.db").string());
    auto rebuilt = index.rebuild({doc(Platform::kTetrix, "billing", kBilling)});
    ASSERT_FALSE(rebuilt);
    EXPECT_EQ(rebuilt.error().code, ErrorCode::kUnavailable);
    auto found = index.search(Platform::kTetrix, "refund", 3);
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, ErrorCode::kUnavailable);
}

// Two versions of one knowledge base, each with kSections passages that all contain "shared"; every passage of a
// version names it. A search during a rebuild must see every passage of exactly one version.
constexpr int kSections = 12;

std::vector<KnowledgeDocument> version(const std::string& name) {
    std::string markdown;
    for (int i = 0; i < kSections; ++i) {
        markdown += "## Topic " + std::to_string(i) + "\nshared words of version " + name + ".\n\n";
    }
    return {doc(Platform::kTetrix, "kb", markdown)};
}

void expect_concurrent_searches_see_whole_versions(const std::string& path) {
    Fts5KnowledgeIndex index(path);
    ASSERT_TRUE(index.rebuild(version("alpha")));
    std::atomic<bool> done{false};
    std::atomic<int> searches{0};
    std::atomic<int> failures{0};
    std::string first_failure;  // written by the reader only, read after join
    std::thread reader([&] {
        const auto fail = [&](std::string why) {
            if (failures.fetch_add(1) == 0) first_failure = std::move(why);
        };
        while (!done.load() || searches.load() < 50) {
            auto found = index.search(Platform::kTetrix, "shared", 50);
            searches.fetch_add(1);
            if (!found) {
                fail("search failed: " + found.error().message);
                continue;
            }
            if (found->size() != static_cast<std::size_t>(kSections)) {
                fail("search found " + std::to_string(found->size()) + " passages");
                continue;
            }
            const bool alpha = found->front().text.find("alpha") != std::string::npos;
            for (const auto& passage : *found) {
                if ((passage.text.find("alpha") != std::string::npos) != alpha) fail("a search mixed two versions");
            }
        }
    });
    for (int i = 0; i < 30; ++i) {
        if (auto rebuilt = index.rebuild(version(i % 2 == 0 ? "beta" : "alpha")); !rebuilt) {
            ADD_FAILURE() << "rebuild " << i << " failed: " << rebuilt.error().message;
            break;
        }
    }
    done.store(true);
    reader.join();
    EXPECT_EQ(failures.load(), 0) << "first: " << first_failure;
    EXPECT_GE(searches.load(), 50);
}

TEST(Fts5KnowledgeIndex, ConcurrentSearchesSeeAWholeIndexInMemory) {
    expect_concurrent_searches_see_whole_versions(":memory:");
}

TEST(Fts5KnowledgeIndex, ConcurrentSearchesSeeAWholeIndexInAFile) {
    testing::TempDir dir;
    expect_concurrent_searches_see_whole_versions((dir.path() / "knowledge.db").string());
}

}  // namespace
}  // namespace crossvoice::assistant
