#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::KnowledgeDocument;
using core::Platform;
using core::ports::AssistantConversation;
using core::ports::ConversationOwner;

constexpr std::int64_t kBaseMs = 1'790'000'000'000;

KnowledgeDocument document(std::string name, std::string markdown, Platform platform = Platform::kTetrix) {
    KnowledgeDocument out;
    out.platform = platform;
    out.name = std::move(name);
    out.markdown = std::move(markdown);
    out.origin = "file";
    return out;
}

class KnowledgeStoreContract : public StoreContractTest {};

TEST_P(KnowledgeStoreContract, PutsVersionEachDocumentAndEveryChangeMovesTheGeneration) {
    auto& store = backend().knowledge();
    auto start = store.generation();
    ASSERT_TRUE(start);
    auto first = store.put(document("billing", "# Billing\nv1"), core::from_unix_ms(kBaseMs));
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->version, 1);
    auto second = store.put(document("billing", "# Billing\nv2"), core::from_unix_ms(kBaseMs + 1));
    ASSERT_TRUE(second);
    EXPECT_EQ(second->version, 2);
    auto after_puts = store.generation();
    ASSERT_TRUE(after_puts);
    EXPECT_EQ(*after_puts, *start + 2);

    auto found = store.find(Platform::kTetrix, "billing");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->markdown, "# Billing\nv2");
    EXPECT_EQ((*found)->origin, "file");
    EXPECT_EQ((*found)->updated_at, core::from_unix_ms(kBaseMs + 1));

    auto touched = store.touch();
    ASSERT_TRUE(touched);
    EXPECT_EQ(*touched, *after_puts + 1);
    ASSERT_TRUE(store.remove(Platform::kTetrix, "billing"));
    auto removed = store.generation();
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, *touched + 1);
    auto missing = store.remove(Platform::kTetrix, "billing");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

TEST_P(KnowledgeStoreContract, DocumentsBelongToOnePlatformAndListSortedByName) {
    auto& store = backend().knowledge();
    for (const char* name : {"plans", "billing", "ivr"}) ASSERT_TRUE(store.put(document(name, "# T\nx"), {}));
    ASSERT_TRUE(store.put(document("billing", "# J\ny", Platform::kJoromi), {}));
    auto tetrix = store.list(Platform::kTetrix);
    ASSERT_TRUE(tetrix);
    ASSERT_EQ(tetrix->size(), 3u);
    EXPECT_EQ((*tetrix)[0].name, "billing");
    EXPECT_EQ((*tetrix)[2].name, "plans");
    auto joromi = store.find(Platform::kJoromi, "billing");
    ASSERT_TRUE(joromi && *joromi);
    EXPECT_EQ((*joromi)->markdown, "# J\ny");
    EXPECT_FALSE(*store.find(Platform::kJoromi, "plans"));
    auto all = store.list_all();
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 4u);
}

class AssistantStoreContract : public StoreContractTest {
  protected:
    void SetUp() override {
        StoreContractTest::SetUp();
        core::Session session;
        session.id = "ses_1";
        session.platform = Platform::kTetrix;
        session.channel = core::Channel::kChat;
        session.start_time = core::from_unix_ms(kBaseMs);
        session.created_by_key = "key_1";
        ASSERT_TRUE(backend().sessions().insert(session));
    }

    static core::TimelineMessage message(std::string id, core::MessageAuthor author) {
        core::TimelineMessage out;
        out.id = std::move(id);
        out.session_id = "ses_1";
        out.channel = core::Channel::kChat;
        out.author = author;
        out.content = "hello";
        out.created_at = core::from_unix_ms(kBaseMs);
        return out;
    }
};

TEST_P(AssistantStoreContract, ATurnSavesTheConversationAndItsMessagesTogether) {
    AssistantConversation conversation;
    conversation.session_id = "ses_1";
    conversation.persona = "shango-billing";
    conversation.turns = 1;
    conversation.updated_at = core::from_unix_ms(kBaseMs);
    ASSERT_TRUE(backend().assistant().save_turn(conversation, {message("msg_1", core::MessageAuthor::kCaller),
                                                               message("msg_2", core::MessageAuthor::kAssistant)}));
    auto found = backend().assistant().find(Platform::kTetrix, "ses_1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->persona, "shango-billing");
    EXPECT_EQ((*found)->owner, ConversationOwner::kAssistant);
    EXPECT_EQ((*found)->turns, 1);

    conversation.owner = ConversationOwner::kAgent;
    conversation.agent_id = "agent-7";
    conversation.turns = 2;
    ASSERT_TRUE(backend().assistant().save_turn(conversation, {}));
    found = backend().assistant().find(Platform::kTetrix, "ses_1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->owner, ConversationOwner::kAgent);
    EXPECT_EQ((*found)->agent_id, std::optional<std::string>("agent-7"));
    EXPECT_EQ((*found)->turns, 2);

    core::ports::TimelineQuery query;
    query.session_id = "ses_1";
    auto timeline = backend().timeline().list(query);
    ASSERT_TRUE(timeline);
    EXPECT_EQ(timeline->size(), 2u);
    EXPECT_FALSE(*backend().assistant().find(Platform::kJoromi, "ses_1"));
}

TEST_P(AssistantStoreContract, AnUnknownSessionOrAFailedMessageWritesNothing) {
    AssistantConversation conversation;
    conversation.session_id = "ses_elsewhere";
    auto unknown = backend().assistant().save_turn(conversation, {});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);

    conversation.session_id = "ses_1";
    auto duplicate = backend().assistant().save_turn(conversation, {message("msg_1", core::MessageAuthor::kCaller),
                                                                    message("msg_1", core::MessageAuthor::kAssistant)});
    ASSERT_FALSE(duplicate);
    EXPECT_FALSE(*backend().assistant().find(Platform::kTetrix, "ses_1"));
}

TEST_P(AssistantStoreContract, TheNewestPageOfATimelineComesOldestFirst) {
    AssistantConversation conversation;
    conversation.session_id = "ses_1";
    std::vector<core::TimelineMessage> messages;
    for (int i = 0; i < 5; ++i) messages.push_back(message("msg_" + std::to_string(i), core::MessageAuthor::kCaller));
    ASSERT_TRUE(backend().assistant().save_turn(conversation, messages));
    core::ports::TimelineQuery query;
    query.session_id = "ses_1";
    query.limit = 2;
    query.newest = true;
    auto newest = backend().timeline().list(query);
    ASSERT_TRUE(newest);
    ASSERT_EQ(newest->size(), 2u);
    EXPECT_EQ((*newest)[0].id, "msg_3");
    EXPECT_EQ((*newest)[1].id, "msg_4");
}

INSTANTIATE_TEST_SUITE_P(Stores, KnowledgeStoreContract, ::testing::ValuesIn(store_backends()), backend_name);
INSTANTIATE_TEST_SUITE_P(Stores, AssistantStoreContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
