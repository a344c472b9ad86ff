#include "assistant/persona_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace crossvoice::assistant {
namespace {

void expect_refused(std::string_view yaml, std::string_view fragment) {
    auto parsed = parse_personas(yaml, "tetrix.yaml");
    ASSERT_FALSE(parsed.ok()) << yaml;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(parsed.error().message.find(fragment), std::string::npos) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find("tetrix.yaml"), std::string::npos) << parsed.error().message;
}

TEST(PersonaFile, ReadsEveryFieldAndLowerCasesTopics) {
    auto parsed = parse_personas(R"(personas:
  - id: shango-billing
    name: SHANGO Billing
    greeting: "Hi, billing here. What can I do?"
    tone: calm
    scope: invoices and payments
    topics: [Invoice, "money back"]
  - {id: shango-general, name: SHANGO, greeting: Hello.}
)",
                                 "tetrix.yaml");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    ASSERT_EQ(parsed->size(), 2u);
    const auto& billing = (*parsed)[0];
    EXPECT_EQ(billing.id, "shango-billing");
    EXPECT_EQ(billing.name, "SHANGO Billing");
    EXPECT_EQ(billing.greeting, "Hi, billing here. What can I do?");
    EXPECT_EQ(billing.tone, "calm");
    EXPECT_EQ(billing.scope, "invoices and payments");
    EXPECT_EQ(billing.topics, (std::vector<std::string>{"invoice", "money back"}));
    EXPECT_TRUE((*parsed)[1].topics.empty());
}

TEST(PersonaFile, BadShapesAreRefusedWithTheFileAndLine) {
    expect_refused("personas: [", "tetrix.yaml:");
    expect_refused("hello: world\n", "expected a 'personas:' list");
    expect_refused("personas: {id: x}\n", "expected a 'personas:' list");
    expect_refused("personas:\n  - just text\n", "each persona is a mapping");
    expect_refused("personas:\n  - {id: a, name: b}\n", "persona needs 'greeting'");
    expect_refused("personas:\n  - {id: a, name: b, greeting: c, mood: d}\n", "unknown field 'mood'");
    expect_refused("personas:\n  - {id: [a], name: b, greeting: c}\n", "'id' must be text");
    // Found by fuzz_persona_file: a tag with no value is an empty scalar, and a persona needs a real name.
    expect_refused("personas:\n  - {id: a, name: !x, greeting: c}\n", "'name' must not be empty");
    expect_refused("personas:\n  - {id: a, name: b, greeting: \"\"}\n", "'greeting' must not be empty");
    expect_refused("personas:\n  - {id: a, name: b, greeting: c, topics: bill}\n", "'topics' must be a list");
    expect_refused("personas:\n  - {id: a, name: b, greeting: c, topics: [\"\"]}\n", "a topic is a word or phrase");
    expect_refused("personas:\n\n  - {id: a, name: b}\n", "tetrix.yaml:3:");
}

TEST(PersonaFile, TheShippedFilesParse) {
    for (const char* platform : {"tetrix", "joromi"}) {
        const auto path =
            std::filesystem::path(CROSSVOICE_SOURCE_DIR) / "config" / "assistant" / (std::string(platform) + ".yaml");
        std::ifstream in(path);
        std::ostringstream text;
        text << in.rdbuf();
        auto parsed = parse_personas(text.str(), path.string());
        ASSERT_TRUE(parsed.ok()) << parsed.error().message;
        EXPECT_EQ(parsed->size(), 4u) << platform;
        for (const auto& persona : *parsed) EXPECT_FALSE(persona.topics.empty()) << persona.id;
    }
}

}  // namespace
}  // namespace crossvoice::assistant
