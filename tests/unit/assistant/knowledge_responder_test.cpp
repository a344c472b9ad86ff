#include "assistant/knowledge_responder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "assistant/sentences.hpp"

namespace crossvoice::assistant {
namespace {

using core::Channel;
using core::Handoff;
using core::KnowledgePassage;

KnowledgePassage passage(std::string id, std::string heading, std::string text, double score) {
    KnowledgePassage p;
    p.id = std::move(id);
    p.document = p.id.substr(0, p.id.find('#'));
    p.heading = std::move(heading);
    p.text = std::move(text);
    p.score = score;
    return p;
}

const KnowledgePassage kRefunds = passage(
    "billing#refunds", "Refunds",
    "New customers who cancel within 30 days of their first paid invoice get a full refund of the plan fees. "
    "Usage charges such as extra minutes are not refunded. "
    "After those 30 days, monthly plan fees are not refunded for a partial month. "
    "If we charged you by mistake, we return the money to the original payment method within 5 to 10 business days. "
    "To ask for a refund, call the main line and press 3 for billing, or open a ticket at https://tetrix.example/help.",
    9.0);

const KnowledgePassage kPayment = passage("billing#payment-methods", "Payment methods",
                                          "TETRIX accepts Visa, Mastercard and bank debit. We do not accept PayPal. "
                                          "A refund always goes back to the original payment method.",
                                          8.0);

const KnowledgePassage kVoicemail =
    passage("ivr#voicemail", "Voicemail", "A mailbox holds up to 200 messages. Tell callers to press pound.", 3.0);

core::AssistantRequest request(std::string utterance, Channel channel, std::vector<KnowledgePassage> passages) {
    core::AssistantRequest r;
    r.utterance = std::move(utterance);
    r.channel = channel;
    r.passages = std::move(passages);
    r.persona.id = "shango-billing";
    r.intent = "billing";
    return r;
}

TEST(KnowledgeResponder, AnswersAVoiceQuestionWithTheBestMatchingSentences) {
    KnowledgeResponder responder;
    auto reply = responder.respond(
        request("How do I ask for a refund by mistake charged twice", Channel::kVoice, {kRefunds, kPayment}));
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->handoff, Handoff::kNone);
    EXPECT_EQ(reply->sources, std::vector<std::string>{"billing#refunds"});
    EXPECT_EQ(reply->persona, "shango-billing");
    EXPECT_EQ(reply->intent, "billing");
    EXPECT_EQ(reply->responder, "knowledge-base");
    EXPECT_EQ(responder.name(), "knowledge-base");
    EXPECT_GE(reply->confidence, 0.35);
    EXPECT_LE(reply->confidence, 1.0);
    // Two sentences at most, in document order, short enough to say, the URL spoken as words.
    EXPECT_LE(split_sentences(reply->text).size(), 2U);
    EXPECT_LE(count_words(reply->text), 45U);
    EXPECT_EQ(reply->text.find("http"), std::string::npos);
    EXPECT_NE(reply->text.find("If we charged you by mistake"), std::string::npos) << reply->text;
}

TEST(KnowledgeResponder, ReplacesUrlsInVoiceAnswers) {
    KnowledgeResponder responder;
    auto reply = responder.respond(request("open a refund ticket on the help page", Channel::kVoice, {kRefunds}));
    ASSERT_TRUE(reply);
    EXPECT_NE(reply->text.find("our website"), std::string::npos) << reply->text;
    EXPECT_EQ(reply->text.find("https://"), std::string::npos);
}

TEST(KnowledgeResponder, ChatAnswersAreLongerAndMayAddACloseSecondPassage) {
    KnowledgeResponder responder;
    auto voice =
        responder.respond(request("refund paypal payment method plan fees", Channel::kVoice, {kRefunds, kPayment}));
    auto chat =
        responder.respond(request("refund paypal payment method plan fees", Channel::kChat, {kRefunds, kPayment}));
    ASSERT_TRUE(voice);
    ASSERT_TRUE(chat);
    EXPECT_GT(chat->text.size(), voice->text.size());
    EXPECT_EQ(chat->sources, (std::vector<std::string>{"billing#refunds", "billing#payment-methods"}));
    EXPECT_NE(chat->text.find("A refund always goes back to the original payment method."), std::string::npos)
        << chat->text;
    EXPECT_LE(split_sentences(chat->text).size(), 5U);
    EXPECT_EQ(voice->sources, std::vector<std::string>{"billing#refunds"});
}

TEST(KnowledgeResponder, ADistantSecondPassageIsNotAdded) {
    KnowledgeResponder responder;
    auto chat = responder.respond(request("refund plan fees mailbox", Channel::kChat, {kRefunds, kVoicemail}));
    ASSERT_TRUE(chat);
    EXPECT_EQ(chat->sources, std::vector<std::string>{"billing#refunds"});
}

TEST(KnowledgeResponder, NoPassagesHandsOverToAPerson) {
    KnowledgeResponder responder;
    auto voice = responder.respond(request("what's the weather on Mars", Channel::kVoice, {}));
    ASSERT_TRUE(voice);
    EXPECT_EQ(voice->handoff, Handoff::kAgent);
    EXPECT_EQ(voice->text, kVoiceHandoffText);
    EXPECT_EQ(voice->confidence, 0);
    EXPECT_TRUE(voice->sources.empty());
    auto chat = responder.respond(request("what's the weather on Mars", Channel::kWhatsapp, {}));
    ASSERT_TRUE(chat);
    EXPECT_EQ(chat->text, kChatHandoffText);
    EXPECT_EQ(chat->handoff, Handoff::kAgent);
}

TEST(KnowledgeResponder, OffTopicWordsThatBarelyMatchHandOver) {
    KnowledgeResponder responder;
    // Retrieval found the voicemail passage through "tell"-like incidental words; the question is about cats.
    auto reply = responder.respond(
        request("tell me a joke about cats and their messages", Channel::kVoice, {kVoicemail, kPayment}));
    ASSERT_TRUE(reply);
    EXPECT_LT(reply->confidence, 0.35);
    EXPECT_EQ(reply->handoff, Handoff::kAgent);
    EXPECT_TRUE(reply->sources.empty());
    EXPECT_EQ(reply->persona, "shango-billing");
}

TEST(KnowledgeResponder, ConfidenceFollowsCoverageAndLead) {
    const double full_clear = KnowledgeResponder::confidence("refund plan fees", {kRefunds, kVoicemail});
    const double full_close = KnowledgeResponder::confidence("refund plan fees", {kRefunds, kPayment});
    const double half = KnowledgeResponder::confidence("refund spaceship", {kRefunds});
    EXPECT_GT(full_clear, full_close);
    EXPECT_GE(full_close, 0.8);
    EXPECT_NEAR(half, 0.5, 1e-9);
    EXPECT_EQ(KnowledgeResponder::confidence("the what is", {kRefunds}), 0);
}

TEST(KnowledgeResponder, TheHandoffThresholdIsAnOption) {
    KnowledgeResponder strict(KnowledgeResponderOptions{.handoff_below = 0.99});
    auto reply = strict.respond(request("refund spaceship", Channel::kChat, {kRefunds}));
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->handoff, Handoff::kAgent);
    EXPECT_NEAR(reply->confidence, 0.5, 1e-9);
}

TEST(KnowledgeResponder, ALongSentenceIsCutForVoice) {
    std::string words;
    for (int i = 0; i < 80; ++i) words += "refund" + std::to_string(i) + (i == 30 ? ", " : " ");
    const KnowledgePassage long_one = passage("billing#long", "Long", words + "refund.", 5.0);
    KnowledgeResponder responder;
    auto reply = responder.respond(request("refund", Channel::kVoice, {long_one}));
    ASSERT_TRUE(reply);
    EXPECT_LE(count_words(reply->text), 45U);
    EXPECT_EQ(reply->text.back(), '.');
}

}  // namespace
}  // namespace crossvoice::assistant
