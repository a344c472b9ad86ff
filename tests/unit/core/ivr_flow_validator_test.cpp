#include <gtest/gtest.h>

#include <algorithm>

#include "core/ivr/flow_validator.hpp"
#include "ivr_test_flows.hpp"

namespace crossvoice::testing::ivr {
namespace {

std::vector<std::string> messages(const IvrFlow& flow, const FlowContext& context = {}) {
    std::vector<std::string> out;
    for (const auto& issue : validate(flow, context)) out.push_back(to_string(issue));
    return out;
}

// Passes when exactly one issue contains `text`; prints all of them otherwise.
::testing::AssertionResult reports(const std::vector<std::string>& issues, std::string_view text) {
    const auto count = std::count_if(issues.begin(), issues.end(),
                                     [&](const std::string& issue) { return issue.find(text) != std::string::npos; });
    if (count == 1) return ::testing::AssertionSuccess();
    auto failure = ::testing::AssertionFailure() << count << " issues contain \"" << text << "\"; all issues:";
    for (const auto& issue : issues) failure << "\n  " << issue;
    return failure;
}

TEST(FlowValidator, ASoundFlowHasNoIssues) {
    auto flow = reception();
    flow.numbers = {"+12025550100"};
    EXPECT_TRUE(messages(flow).empty()) << ::testing::PrintToString(messages(flow));
}

TEST(FlowValidator, IssuesNameTheSourceAndLine) {
    auto flow = reception();
    std::get<MenuNode>(flow.nodes[1].body).fallback = "nobody";
    const auto issues = validate(flow);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(to_string(issues[0]), "test.yaml:5: menu 'main': fallback 'nobody' names no node of this flow");
}

TEST(FlowValidator, StartAndIdsMustBeSound) {
    auto flow = reception();
    flow.start = "missing";
    EXPECT_TRUE(reports(messages(flow), "start node 'missing' is not defined"));
    flow = reception();
    flow.nodes.push_back(node("welcome", HangupNode{}, 40));
    EXPECT_TRUE(reports(messages(flow), "node id 'welcome' is used twice (first on line 3)"));
    flow = reception();
    flow.name = "Bad Name";
    EXPECT_TRUE(reports(messages(flow), "flow name 'Bad Name'"));
}

TEST(FlowValidator, MissingTargetsAndUnreachableNodes) {
    auto flow = reception();
    std::get<SayNode>(flow.nodes[0].body).next = "mian";
    auto issues = messages(flow);
    EXPECT_TRUE(reports(issues, "say 'welcome': next 'mian' names no node"));
    EXPECT_TRUE(reports(issues, "menu 'main' is unreachable from the start node 'welcome'"));
    flow = reception();
    flow.nodes.push_back(node("orphan", HangupNode{"bye"}, 50));
    EXPECT_TRUE(reports(messages(flow), "test.yaml:50: hangup 'orphan' is unreachable"));
}

TEST(FlowValidator, MenuOptionsAreChecked) {
    auto flow = reception();
    auto& main = std::get<MenuNode>(flow.nodes[1].body);
    main.options[1].digit = "1";
    main.options[1].line = 9;
    main.options[2].digit = "12";
    main.options[0].phrases.clear();
    auto issues = messages(flow);
    EXPECT_TRUE(reports(issues, "test.yaml:9: menu 'main': digit 1 is used twice"));
    EXPECT_TRUE(reports(issues, "digit '12' is not a keypad key"));
    EXPECT_TRUE(reports(issues, "option 'sales' has no phrases for speech input"));
    main.options.clear();
    EXPECT_TRUE(reports(messages(flow), "menu 'main' has no options"));
    main.keypad = false;
    main.speech = false;
    EXPECT_TRUE(reports(messages(flow), "input must allow keypad, speech or both"));
}

TEST(FlowValidator, ALoopTheCallerCannotLeaveIsRefused) {
    // A menu whose every way out leads back to itself: no hang-up, transfer or redirect is reachable.
    const auto trap = flow("trap", "ask",
                           {node("ask", menu("Press 1.", {option("1", {"again"}, "again")}, "again"), 2),
                            node("again", SayNode{"Once more.", "ask"}, 4)});
    const auto issues = messages(trap);
    EXPECT_TRUE(reports(issues, "menu 'ask' is in a loop without exit"));
    EXPECT_TRUE(reports(issues, "say 'again' is in a loop without exit"));
}

TEST(FlowValidator, ALoopThatNeverWaitsIsRefusedEvenWithAnExit) {
    HoursNode hours;
    hours.time_zone = "UTC";
    hours.hours = {{0b1111111, 0, 60, 0}};
    hours.open = "bye";
    hours.closed = "closed";
    const auto spin =
        flow("spin", "check",
             {node("check", hours, 2), node("closed", SayNode{"Closed.", "check"}, 8), node("bye", HangupNode{}, 10)});
    EXPECT_TRUE(reports(messages(spin), "loop without input: check -> closed -> check"));
}

TEST(FlowValidator, NodeFieldsAreChecked) {
    auto flow = reception();
    flow.numbers = {"2025550100", "+12025550100", "+12025550100"};
    auto& account = std::get<CollectNode>(flow.nodes[3].body);
    account.min_digits = 9;
    account.pattern = "([0-9";
    account.variable = "1st";
    auto& sales = std::get<TransferNode>(flow.nodes[2].body);
    sales.targets = {"sales desk"};
    sales.timeout_secs = 200;
    const auto issues = messages(flow);
    EXPECT_TRUE(reports(issues, "number '2025550100' is not in E.164 form"));
    EXPECT_TRUE(reports(issues, "number '+12025550100' is listed twice"));
    EXPECT_TRUE(reports(issues, "min_digits 9 is more than max_digits 8"));
    EXPECT_TRUE(reports(issues, "pattern '([0-9' is not a valid regular expression"));
    EXPECT_TRUE(reports(issues, "variable '1st' must be an identifier"));
    EXPECT_TRUE(reports(issues, "target 'sales desk' is neither an E.164 number nor a sip: URI"));
    EXPECT_TRUE(reports(issues, "timeout 200 is outside 5..120"));
}

TEST(FlowValidator, AChatNodeTextsOnlyBySmsOrWhatsappAndBriefly) {
    auto flow = reception();
    flow.nodes.push_back(node("by_text", ChatNode{"We'll text you.", "fax", std::string(1001, 'x'), "main"}, 40));
    std::get<SayNode>(flow.nodes[0].body).next = "by_text";  // reachable: the only issues are the node's own
    const auto issues = messages(flow);
    EXPECT_TRUE(reports(issues, "test.yaml:40: chat 'by_text': channel 'fax' must be sms or whatsapp"));
    EXPECT_TRUE(reports(issues, "chat 'by_text': text is longer than 1000 bytes"));
    EXPECT_EQ(issues.size(), 2u) << ::testing::PrintToString(issues);

    std::get<ChatNode>(flow.nodes.back().body) = ChatNode{"We'll text you.", "whatsapp", "", "main"};
    EXPECT_TRUE(messages(flow).empty()) << ::testing::PrintToString(messages(flow));
}

TEST(FlowValidator, HoursRedirectsAndLanguagesAreChecked) {
    HoursNode hours;
    hours.time_zone = "Europe/Atlantis";
    hours.hours = {{0, 9 * 60, 8 * 60, 0}};
    hours.holidays = {"2026-02-30", "2028-02-29"};
    hours.open = "other";
    hours.closed = "spanish";
    const auto checked =
        flow("main", "check",
             {node("check", hours), node("other", RedirectNode{"sales"}),
              node("spanish", LanguageNode{"spanish!", "", "self"}), node("self", RedirectNode{"main"})});
    FlowContext context;
    context.zone_exists = [](std::string_view zone) { return zone == "UTC"; };
    context.flow_exists = [](std::string_view name) { return name == "support"; };
    const auto issues = messages(checked, context);
    EXPECT_TRUE(reports(issues, "time zone 'Europe/Atlantis' is unknown"));
    EXPECT_TRUE(reports(issues, "a window names no day"));
    EXPECT_TRUE(reports(issues, "a window must open before it closes"));
    EXPECT_TRUE(reports(issues, "holiday '2026-02-30' is not a YYYY-MM-DD date"));
    EXPECT_FALSE(reports(issues, "2028-02-29"));  // a leap day is a date
    EXPECT_TRUE(reports(issues, "flow 'sales' does not exist for this platform"));
    EXPECT_TRUE(reports(issues, "'spanish!' is not a BCP-47 tag"));
    EXPECT_TRUE(reports(issues, "redirect 'self' goes to its own flow"));
}

}  // namespace
}  // namespace crossvoice::testing::ivr
