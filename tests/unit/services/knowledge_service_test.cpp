#include "assistant_fixture.hpp"

namespace crossvoice::services::testing_assistant {
namespace {

class KnowledgeServiceTest : public AssistantFixture {
  protected:
    std::vector<std::string> top_ids(KnowledgeService& service, core::Platform platform, std::string_view query) {
        auto found = service.search(platform, query, 3);
        EXPECT_TRUE(found.ok());
        std::vector<std::string> ids;
        if (found.ok()) {
            for (const auto& passage : *found) ids.push_back(passage.id);
        }
        return ids;
    }
};

TEST_F(KnowledgeServiceTest, ShippedFilesAreStoredOnceAndAnApiEditIsNotOverwrittenAtTheNextStart) {
    auto listed = knowledge_->list(core::Platform::kTetrix);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].origin, "file");
    ASSERT_TRUE(
        knowledge_->put(core::Platform::kTetrix, "billing", "# Billing\n## Refunds\nNo refunds at all.\n").ok());
    auto again = knowledge_->load_files({{core::Platform::kTetrix, "billing", kTetrixBilling}});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, 0);
    auto billing = knowledge_->get(core::Platform::kTetrix, "billing");
    ASSERT_TRUE(billing.ok());
    EXPECT_EQ(billing->origin, "api");
    EXPECT_EQ(billing->version, 2);
}

TEST_F(KnowledgeServiceTest, APutIsSearchableAtOnceAndADeleteIsGone) {
    ASSERT_TRUE(knowledge_
                    ->put(core::Platform::kTetrix, "fax",
                          "# Fax\n## Sending a fax\nFaxes go out from the Fax "
                          "tab; each page counts as one message.\n")
                    .ok());
    EXPECT_EQ(top_ids(*knowledge_, core::Platform::kTetrix, "how do I send a fax").front(), "fax#sending-a-fax");
    EXPECT_TRUE(top_ids(*knowledge_, core::Platform::kJoromi, "how do I send a fax").empty());
    ASSERT_TRUE(knowledge_->remove(core::Platform::kTetrix, "fax").ok());
    for (const auto& id : top_ids(*knowledge_, core::Platform::kTetrix, "send a fax"))
        EXPECT_NE(id.rfind("fax#", 0), 0u);
    auto missing = knowledge_->remove(core::Platform::kTetrix, "fax");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

TEST_F(KnowledgeServiceTest, BadDocumentsAreRefusedAndNothingChanges) {
    for (const std::string& name :
         {std::string(), std::string("Billing"), std::string("../etc"), std::string("-x"), std::string(65, 'a')}) {
        auto bad = knowledge_->put(core::Platform::kTetrix, name, "# Title\nText.\n");
        ASSERT_FALSE(bad.ok()) << name;
        EXPECT_EQ(bad.error().code, core::ErrorCode::kValidation) << name;
    }
    auto empty = knowledge_->put(core::Platform::kTetrix, "empty", " \n\t");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, core::ErrorCode::kValidation);
    auto huge =
        knowledge_->put(core::Platform::kTetrix, "huge", std::string(KnowledgeService::kMaxDocumentBytes + 1, 'a'));
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error().code, core::ErrorCode::kPayloadTooLarge);
    auto listed = knowledge_->list(core::Platform::kTetrix);
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(listed->size(), 2u);
    EXPECT_EQ(top_ids(*knowledge_, core::Platform::kTetrix, "refund").front(), "billing#refunds");
}

TEST_F(KnowledgeServiceTest, AnotherInstancesEditReachesThisIndexOnItsNextSearch) {
    // A second instance: the same database, its own index.
    assistant::Fts5KnowledgeIndex other_index(":memory:");
    KnowledgeService other(knowledge_store_, other_index, clock_);
    ASSERT_TRUE(other.reindex().ok());
    ASSERT_TRUE(knowledge_
                    ->put(core::Platform::kTetrix, "parking",
                          "# Parking\n## Visitor parking\nVisitors park "
                          "in the north garage, level two.\n")
                    .ok());
    EXPECT_EQ(top_ids(other, core::Platform::kTetrix, "where can visitors park").front(), "parking#visitor-parking");
}

}  // namespace
}  // namespace crossvoice::services::testing_assistant
