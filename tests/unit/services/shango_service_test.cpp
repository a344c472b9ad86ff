#include <nlohmann/json.hpp>

#include "assistant_fixture.hpp"

namespace crossvoice::services::testing_assistant {
namespace {

using core::Handoff;

class ShangoServiceTest : public AssistantFixture {};

TEST_F(ShangoServiceTest, ANewChatSessionStartsWithTheGeneralPersonasGreetingOnItsTimeline) {
    auto opened = shango_->open(tetrix_, {std::string("user-7"), std::nullopt, "chat"});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    EXPECT_EQ(opened->conversation.persona, "shango-general");
    EXPECT_EQ(opened->session.user_id, std::optional<std::string>("user-7"));
    const auto messages = timeline(opened->session.id, core::Platform::kTetrix);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].author, core::MessageAuthor::kAssistant);
    EXPECT_EQ(messages[0].content, "Hi, I'm SHANGO of TETRIX. How can I help?");
}

TEST_F(ShangoServiceTest, OpeningRefusesAVoiceChannelOrAnUnknownPersonaAndCreatesNothing) {
    auto voice = shango_->open(tetrix_, {std::string("u"), std::nullopt, "voice"});
    ASSERT_FALSE(voice.ok());
    EXPECT_EQ(voice.error().code, core::ErrorCode::kValidation);
    auto unknown = shango_->open(tetrix_, {std::string("u"), std::string("shango-astrology"), "chat"});
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("shango-billing"), std::string::npos);
    auto listed = sessions_.list(tetrix_, {});
    ASSERT_TRUE(listed.ok());
    EXPECT_TRUE(listed->sessions.empty());
}

TEST_F(ShangoServiceTest, AnAnswerComesFromThePlatformsKnowledgeAndCitesItsPassage) {
    const auto session = chat_session(tetrix_);
    auto answered = shango_->chat(tetrix_, session, "Can I get a refund if I cancel?");
    ASSERT_TRUE(answered.ok()) << answered.error().message;
    EXPECT_NE(answered->reply.text.find("30 days"), std::string::npos) << answered->reply.text;
    ASSERT_FALSE(answered->reply.sources.empty());
    EXPECT_EQ(answered->reply.sources.front(), "billing#refunds");
    EXPECT_EQ(answered->reply.persona, "shango-billing");
    EXPECT_EQ(answered->reply.intent, "billing");
    EXPECT_EQ(answered->reply.responder, "knowledge-base");
    EXPECT_EQ(metrics_.answers_knowledge_base.value(), 1u);

    const auto messages = timeline(session, core::Platform::kTetrix);
    ASSERT_EQ(messages.size(), 3u);  // greeting, question, answer
    EXPECT_EQ(messages[1].author, core::MessageAuthor::kCaller);
    EXPECT_EQ(messages[1].content, "Can I get a refund if I cancel?");
    EXPECT_EQ(messages[2].author, core::MessageAuthor::kAssistant);
    const auto metadata = nlohmann::json::parse(messages[2].metadata_json);
    EXPECT_EQ(metadata["persona"], "shango-billing");
    EXPECT_EQ(metadata["sources"][0], "billing#refunds");
}

TEST_F(ShangoServiceTest, ThePersonaFollowsTheTopicAndTheSessionRemembersIt) {
    const auto session = chat_session(tetrix_);
    ASSERT_TRUE(shango_->chat(tetrix_, session, "I have a question about my invoice").ok());
    auto follow_up = shango_->chat(tetrix_, session, "and which cards do you take?");
    ASSERT_TRUE(follow_up.ok());
    EXPECT_EQ(follow_up->reply.persona, "shango-billing");  // nothing names another topic: it stays
    auto technical = shango_->chat(tetrix_, session, "my password is not working");
    ASSERT_TRUE(technical.ok());
    EXPECT_EQ(technical->reply.persona, "shango-technical");
    auto view = shango_->get(tetrix_, session);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->conversation.persona, "shango-technical");
    EXPECT_EQ(view->conversation.turns, 3);
}

TEST_F(ShangoServiceTest, AskingForAPersonAlwaysHandsOffAndThePersonThenOwnsTheChat) {
    const auto session = chat_session(tetrix_);
    auto asked = shango_->chat(tetrix_, session, "I want to talk to a real person");
    ASSERT_TRUE(asked.ok());
    EXPECT_EQ(asked->reply.handoff, Handoff::kAgent);
    EXPECT_EQ(asked->reply.responder, "rules");
    EXPECT_EQ(metrics_.handoffs_agent.value(), 1u);

    auto later = shango_->chat(tetrix_, session, "hello? how do refunds work");
    ASSERT_TRUE(later.ok());
    EXPECT_TRUE(later->owned_by_agent);
    EXPECT_FALSE(later->answer.has_value());
    const auto messages = timeline(session, core::Platform::kTetrix);
    EXPECT_EQ(messages.back().content, "hello? how do refunds work");  // kept for the person who took over
    EXPECT_EQ(messages.back().author, core::MessageAuthor::kCaller);
}

TEST_F(ShangoServiceTest, AModelCannotTalkACallerOutOfReachingAPerson) {
    ScriptedResponder model;
    model_ = &model;
    rebuild_shango();
    const auto session = chat_session(tetrix_);
    auto asked = shango_->chat(tetrix_, session, "get me a human please");
    ASSERT_TRUE(asked.ok());
    EXPECT_EQ(asked->reply.handoff, Handoff::kAgent);
    EXPECT_TRUE(model.requests.empty());
}

TEST_F(ShangoServiceTest, AQuestionNothingAnswersIsHandedToAPerson) {
    const auto session = chat_session(tetrix_);
    auto answered = shango_->chat(tetrix_, session, "who won the football match yesterday");
    ASSERT_TRUE(answered.ok());
    EXPECT_EQ(answered->reply.handoff, Handoff::kAgent);
    EXPECT_LT(answered->reply.confidence, 0.35);
}

TEST_F(ShangoServiceTest, GoodbyeEndsTheConversationAndOnACallTextMeHandsOffToChat) {
    const auto session = chat_session(tetrix_);
    auto bye = shango_->chat(tetrix_, session, "ok thanks, goodbye");
    ASSERT_TRUE(bye.ok());
    EXPECT_TRUE(bye->reply.end_conversation);

    auto call_session = sessions_.open(tetrix_, {"voice", {}, {}, "{}"});
    ASSERT_TRUE(call_session.ok());
    ShangoQuestion question;
    question.platform = core::Platform::kTetrix;
    question.session_id = call_session->id;
    question.channel = core::Channel::kVoice;
    question.text = "can you just text me the details";
    question.persona = "shango-sales";
    auto voice = shango_->answer(question);
    ASSERT_TRUE(voice.ok());
    EXPECT_EQ(voice->reply.handoff, Handoff::kChat);
    EXPECT_EQ(voice->reply.persona, "shango-sales");  // the IVR node's persona
    EXPECT_EQ(voice->question.type, core::MessageType::kVoice);

    // In a chat, "text me" is where the conversation already is: answered, not handed off.
    auto chat = shango_->chat(tetrix_, chat_session(tetrix_), "text me the support hours");
    ASSERT_TRUE(chat.ok());
    EXPECT_EQ(chat->reply.handoff, Handoff::kNone);
}

TEST_F(ShangoServiceTest, AConfiguredModelAnswersWithThePersonaPassagesAndBoundedHistory) {
    ScriptedResponder model;
    model_ = &model;
    rebuild_shango();
    const auto session = chat_session(tetrix_);
    for (int i = 0; i < 8; ++i) ASSERT_TRUE(shango_->chat(tetrix_, session, "what payment methods do you take").ok());
    ASSERT_EQ(model.requests.size(), 8u);
    const auto& last = model.requests.back();
    EXPECT_EQ(last.persona.id, "shango-billing");
    ASSERT_FALSE(last.passages.empty());
    EXPECT_EQ(last.passages.front().id, "billing#payment-methods");
    EXPECT_EQ(last.history.size(), ShangoOptions{}.history_messages);
    EXPECT_EQ(metrics_.answers_model.value(), 8u);
}

TEST_F(ShangoServiceTest, AFailingModelFallsBackToTheKnowledgeBaseAndCountsIt) {
    ScriptedResponder model;
    model.fail = true;
    model_ = &model;
    rebuild_shango();
    const auto session = chat_session(tetrix_);
    auto answered = shango_->chat(tetrix_, session, "what are your support hours");
    ASSERT_TRUE(answered.ok());
    EXPECT_EQ(answered->reply.responder, "knowledge-base");
    EXPECT_NE(answered->reply.text.find("8 AM"), std::string::npos) << answered->reply.text;
    EXPECT_EQ(metrics_.model_fallbacks.value(), 1u);
}

TEST_F(ShangoServiceTest, AQuestionInSpanishIsAnsweredThroughTranslation) {
    PhrasebookTranslator translator;
    translator_ = &translator;
    rebuild_shango();
    const auto session = chat_session(tetrix_);
    ShangoQuestion question;
    question.platform = core::Platform::kTetrix;
    question.session_id = session;
    question.text = "como pido un reembolso";
    question.language = "es-US";
    auto answered = shango_->answer(question);
    ASSERT_TRUE(answered.ok()) << answered.error().message;
    EXPECT_EQ(answered->language, "es");
    EXPECT_EQ(answered->reply.text.rfind("[es] ", 0), 0u) << answered->reply.text;
    EXPECT_EQ(answered->reply.sources.front(), "billing#refunds");
    const auto metadata = nlohmann::json::parse(answered->answer->metadata_json);
    EXPECT_NE(metadata["originalText"].get<std::string>().find("refund"), std::string::npos);
    EXPECT_EQ(answered->question.language, std::optional<std::string>("es"));
}

TEST_F(ShangoServiceTest, ConversationsAreIsolatedBetweenSessionsAndPlatforms) {
    const auto first = chat_session(tetrix_);
    const auto second = chat_session(tetrix_);
    ASSERT_TRUE(shango_->chat(tetrix_, first, "my invoice is wrong").ok());
    auto view = shango_->get(tetrix_, second);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->history.size(), 1u);  // only its own greeting
    EXPECT_EQ(view->conversation.persona, "shango-general");

    auto other_platform = shango_->get(joromi_, first);
    ASSERT_FALSE(other_platform.ok());
    EXPECT_EQ(other_platform.error().code, core::ErrorCode::kNotFound);
    auto write_other = shango_->chat(joromi_, first, "hello");
    ASSERT_FALSE(write_other.ok());
    EXPECT_EQ(write_other.error().code, core::ErrorCode::kNotFound);

    // JoRoMi's SHANGO answers from JoRoMi's documents only.
    auto joromi = shango_->chat(joromi_, chat_session(joromi_), "how many messages does the free plan include");
    ASSERT_TRUE(joromi.ok());
    ASSERT_FALSE(joromi->reply.sources.empty());
    for (const auto& source : joromi->reply.sources) EXPECT_EQ(source.rfind("plans#", 0), 0u) << source;
}

TEST_F(ShangoServiceTest, EmptyOrOversizedMessagesAreRefusedAndNothingIsStored) {
    const auto session = chat_session(tetrix_);
    auto empty = shango_->chat(tetrix_, session, "   ");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, core::ErrorCode::kValidation);
    auto huge = shango_->chat(tetrix_, session, std::string(ShangoService::kMaxMessageBytes + 1, 'a'));
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(timeline(session, core::Platform::kTetrix).size(), 1u);
    auto ended = sessions_.end(tetrix_, session);
    ASSERT_TRUE(ended.ok());
    auto after_end = shango_->chat(tetrix_, session, "hello");
    ASSERT_FALSE(after_end.ok());
    EXPECT_EQ(after_end.error().code, core::ErrorCode::kConflict);
}

}  // namespace
}  // namespace crossvoice::services::testing_assistant
