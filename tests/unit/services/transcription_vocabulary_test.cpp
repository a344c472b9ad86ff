#include <gtest/gtest.h>

#include <algorithm>

#include "services/intent_vocabulary.hpp"

namespace crossvoice::services {
namespace {

using core::ports::IntentCandidate;

core::ivr::MenuOption option(std::string digit, std::vector<std::string> phrases, std::vector<std::string> synonyms,
                             std::string next) {
    core::ivr::MenuOption out;
    out.digit = std::move(digit);
    out.phrases = std::move(phrases);
    out.synonyms = std::move(synonyms);
    out.next = std::move(next);
    return out;
}

std::shared_ptr<const core::ivr::IvrFlow> flow_with_menu(std::string name, std::vector<core::ivr::MenuOption> options) {
    auto flow = std::make_shared<core::ivr::IvrFlow>();
    flow->name = std::move(name);
    flow->start = "greet";
    flow->nodes.push_back({"greet", core::ivr::SayNode{"Welcome", "main"}, 0});
    core::ivr::MenuNode menu;
    menu.prompt = "Say billing or support";
    menu.options = std::move(options);
    flow->nodes.push_back({"main", menu, 0});
    return flow;
}

// The personas as a platform configures them (config/assistant/<platform>.yaml).
std::vector<core::Persona> personas() {
    auto persona = [](std::string id, std::vector<std::string> topics) {
        core::Persona out;
        out.id = std::move(id);
        out.topics = std::move(topics);
        return out;
    };
    return {persona("shango-general", {"hours", "open", "information"}),
            persona("shango-technical", {"not working", "technical", "error"}),
            persona("shango-sales", {"buy", "sales", "pricing"}),
            persona("shango-billing", {"bill", "billing", "invoice"})};
}

const IntentCandidate* named(const std::vector<IntentCandidate>& candidates, std::string_view name) {
    const auto found = std::find_if(candidates.begin(), candidates.end(),
                                    [&](const IntentCandidate& candidate) { return candidate.name == name; });
    return found == candidates.end() ? nullptr : &*found;
}

TEST(IntentVocabulary, EveryConfiguredPersonasTopicsAreCandidates) {
    const auto candidates = intent_vocabulary({}, personas());
    const std::vector<std::pair<std::string, std::string>> expected{{"billing", "shango-billing"},
                                                                    {"technical_support", "shango-technical"},
                                                                    {"sales", "shango-sales"},
                                                                    {"general", "shango-general"}};
    ASSERT_EQ(candidates.size(), expected.size());
    for (const auto& [name, persona] : expected) {
        const auto* topic = named(candidates, name);
        ASSERT_NE(topic, nullptr) << name;
        EXPECT_EQ(topic->persona, std::optional<std::string>(persona));
        EXPECT_FALSE(topic->phrases.empty());
    }
    EXPECT_NE(std::find(named(candidates, "billing")->phrases.begin(), named(candidates, "billing")->phrases.end(),
                        "invoice"),
              named(candidates, "billing")->phrases.end());
}

TEST(IntentVocabulary, MenuOptionsBecomeCandidatesNamedAfterWhereTheyLead) {
    const auto flow =
        flow_with_menu("support", {option("1", {"billing"}, {"invoice", "my bill"}, "billing_desk"),
                                   option("2", {"technical support"}, {"not working"}, "tech_desk"),
                                   option("3", {"opening times"}, {}, "times_desk"),
                                   option("4", {}, {}, "digits_only"),                 // nothing to say: no candidate
                                   option("5", {"zebra"}, {"giraffe"}, "zoo_desk")});  // no persona's words
    const auto candidates = intent_vocabulary({flow, nullptr}, personas());

    const auto* billing = named(candidates, "billing_desk");
    ASSERT_NE(billing, nullptr);
    EXPECT_EQ(billing->phrases, (std::vector<std::string>{"billing", "invoice", "my bill"}));
    EXPECT_EQ(billing->persona, std::optional<std::string>("shango-billing"));

    const auto* tech = named(candidates, "tech_desk");
    ASSERT_NE(tech, nullptr);
    EXPECT_EQ(tech->phrases, (std::vector<std::string>{"technical support", "not working"}));
    EXPECT_EQ(tech->persona, std::optional<std::string>("shango-technical"));

    const auto* zoo = named(candidates, "zoo_desk");
    ASSERT_NE(zoo, nullptr);
    EXPECT_EQ(zoo->persona, std::nullopt);

    EXPECT_NE(named(candidates, "times_desk"), nullptr);
    EXPECT_EQ(named(candidates, "digits_only"), nullptr);
    EXPECT_EQ(candidates.size(), 4U + 4U);
}

TEST(IntentVocabulary, OptionsLeadingToTheSameNodeAppearOnce) {
    const auto first = flow_with_menu("a", {option("1", {"billing"}, {}, "billing_desk")});
    const auto second =
        flow_with_menu("b", {option("1", {"payments"}, {}, "billing_desk"), option("2", {"sales"}, {}, "sales_desk")});
    const auto candidates = intent_vocabulary({first, second}, personas());
    EXPECT_EQ(std::count_if(candidates.begin(), candidates.end(),
                            [](const IntentCandidate& candidate) { return candidate.name == "billing_desk"; }),
              1);
    EXPECT_EQ(named(candidates, "billing_desk")->phrases, std::vector<std::string>{"billing"});  // the first kept
    const auto* sales = named(candidates, "sales_desk");
    ASSERT_NE(sales, nullptr);
    EXPECT_EQ(sales->persona, std::optional<std::string>("shango-sales"));
}

}  // namespace
}  // namespace crossvoice::services
