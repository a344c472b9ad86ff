#include "services/conversation_rules.hpp"

#include <gtest/gtest.h>

#include "services/persona_catalog.hpp"

namespace crossvoice::services {
namespace {

core::Persona persona(std::string id, std::vector<std::string> topics) {
    core::Persona out;
    out.id = std::move(id);
    out.name = "SHANGO";
    out.greeting = "Hello.";
    out.topics = std::move(topics);
    return out;
}

TEST(ConversationCue, ExplicitRequestsForAPersonChatOrGoodbyeAreRecognised) {
    EXPECT_EQ(conversation_cue("Can I speak to a person?"), ConversationCue::kWantsPerson);
    EXPECT_EQ(conversation_cue("AGENT!"), ConversationCue::kWantsPerson);
    EXPECT_EQ(conversation_cue("let me talk to your manager"), ConversationCue::kWantsPerson);
    EXPECT_EQ(conversation_cue("just text me the link"), ConversationCue::kWantsChat);
    EXPECT_EQ(conversation_cue("text me, or better get me a human"), ConversationCue::kWantsPerson);
    EXPECT_EQ(conversation_cue("that's all, bye"), ConversationCue::kGoodbye);
    EXPECT_EQ(conversation_cue("do you support WhatsApp?"), ConversationCue::kNone);
    EXPECT_EQ(conversation_cue("what does the agency plan cost"), ConversationCue::kNone);  // "agent" is a word
    EXPECT_EQ(conversation_cue("personal data export"), ConversationCue::kNone);
}

TEST(CallBack, AskingToBeCalledIsRecognisedAndAskingNotToBeIsNot) {
    EXPECT_TRUE(asks_for_call_back("Can you call me back?"));
    EXPECT_TRUE(asks_for_call_back("please give me a call when you can"));
    EXPECT_TRUE(asks_for_call_back("CALL ME"));
    EXPECT_FALSE(asks_for_call_back("Please don't call me, just text"));
    EXPECT_FALSE(asks_for_call_back("my call dropped yesterday"));
    EXPECT_FALSE(asks_for_call_back("how much do calls cost"));
}

TEST(MatchPersona, TheMostNamedTopicWinsAndATieWithGeneralGoesToTheSpecialist) {
    const std::vector<core::Persona> personas{persona("shango-general", {"help", "hours"}),
                                              persona("shango-billing", {"bill", "refund", "invoice"}),
                                              persona("shango-technical", {"not working", "error"})};
    EXPECT_EQ(match_persona(personas, "help with my bill")->persona->id, "shango-billing");
    EXPECT_EQ(match_persona(personas, "the app is not working, error 12")->persona->id, "shango-technical");
    EXPECT_EQ(match_persona(personas, "the app is not working, error 12")->hits, 2);
    EXPECT_FALSE(match_persona(personas, "tell me a joke").has_value());
    EXPECT_FALSE(match_persona(personas, "billing").has_value());  // whole words: "bill" is not in "billing"
}

TEST(PersonaCatalog, EveryPlatformNeedsAllFourPersonasOnceWithAGreeting) {
    auto all = [] {
        return std::vector<core::Persona>{persona("shango-general", {}), persona("shango-technical", {}),
                                          persona("shango-sales", {}), persona("shango-billing", {})};
    };
    EXPECT_TRUE(PersonaCatalog::create({{core::Platform::kTetrix, all()}, {core::Platform::kJoromi, all()}}).ok());
    auto missing_platform = PersonaCatalog::create({{core::Platform::kTetrix, all()}});
    ASSERT_FALSE(missing_platform.ok());
    EXPECT_NE(missing_platform.error().message.find("joromi"), std::string::npos);
    auto three = all();
    three.pop_back();
    auto missing = PersonaCatalog::create({{core::Platform::kTetrix, all()}, {core::Platform::kJoromi, three}});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("shango-billing"), std::string::npos);
    auto twice = all();
    twice.push_back(persona("shango-sales", {}));
    EXPECT_FALSE(PersonaCatalog::create({{core::Platform::kTetrix, twice}, {core::Platform::kJoromi, all()}}).ok());
    auto unknown = all();
    unknown[0].id = "shango-astrology";
    EXPECT_FALSE(PersonaCatalog::create({{core::Platform::kTetrix, unknown}, {core::Platform::kJoromi, all()}}).ok());
    auto silent = all();
    silent[1].greeting.clear();
    EXPECT_FALSE(PersonaCatalog::create({{core::Platform::kTetrix, silent}, {core::Platform::kJoromi, all()}}).ok());

    auto catalog = PersonaCatalog::create({{core::Platform::kTetrix, all()}, {core::Platform::kJoromi, all()}});
    EXPECT_EQ(catalog->find(core::Platform::kTetrix, "shango-sales").id, "shango-sales");
    EXPECT_EQ(catalog->find(core::Platform::kTetrix, "nobody").id, "shango-general");
}

}  // namespace
}  // namespace crossvoice::services
