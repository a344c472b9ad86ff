#include "flows/yaml_flow_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace crossvoice::flows {
namespace {

using core::ivr::AssistantNode;
using core::ivr::ChatNode;
using core::ivr::CollectNode;
using core::ivr::DigitCheck;
using core::ivr::FlowIssue;
using core::ivr::HangupNode;
using core::ivr::HoursNode;
using core::ivr::IvrFlow;
using core::ivr::LanguageNode;
using core::ivr::MenuNode;
using core::ivr::PlayNode;
using core::ivr::QueueNode;
using core::ivr::RecordNode;
using core::ivr::RedirectNode;
using core::ivr::SayNode;
using core::ivr::TransferNode;
using core::ivr::WeeklyHours;

// Three header lines, so that the first node is on line 4.
std::string with_nodes(std::string_view nodes) { return "name: test\nplatform: tetrix\nnodes:\n" + std::string(nodes); }

std::string dump(const std::vector<FlowIssue>& issues) {
    std::string out;
    for (const auto& issue : issues) out += to_string(issue) + "\n";
    return out;
}

class YamlFlowParserTest : public ::testing::Test {
  protected:
    core::Result<IvrFlow> parse(std::string_view text) {
        issues_.clear();
        return parser_.parse(text, "test.yaml", issues_);
    }

    IvrFlow parse_ok(std::string_view text) {
        auto flow = parse(text);
        EXPECT_TRUE(flow.ok()) << dump(issues_);
        EXPECT_TRUE(issues_.empty()) << dump(issues_);
        return flow.ok() ? std::move(flow).value() : IvrFlow{};
    }

    // The document is refused with exactly one issue, on `line`, whose message contains `message`.
    void expect_one_issue(std::string_view text, int line, std::string_view message) {
        auto flow = parse(text);
        ASSERT_FALSE(flow.ok()) << text;
        EXPECT_EQ(flow.error().code, core::ErrorCode::kValidation);
        ASSERT_EQ(issues_.size(), 1u) << dump(issues_);
        EXPECT_EQ(issues_[0].source, "test.yaml");
        EXPECT_EQ(issues_[0].line, line) << issues_[0].message;
        EXPECT_NE(issues_[0].message.find(message), std::string::npos)
            << "message: " << issues_[0].message << "\nexpected to contain: " << message;
    }

    template <typename T>
    const T& body(const IvrFlow& flow, std::string_view id) {
        static const T empty{};
        const auto* node = flow.find(id);
        if (node == nullptr || !std::holds_alternative<T>(node->body)) {
            ADD_FAILURE() << "no node '" << id << "' of the expected type";
            return empty;
        }
        return std::get<T>(node->body);
    }

    YamlFlowParser parser_;
    std::vector<FlowIssue> issues_;
};

// ---- the flow header --------------------------------------------------------------------------------------

TEST_F(YamlFlowParserTest, ReadsTheFlowHeader) {
    const auto flow = parse_ok(R"(# a comment first
name: tetrix-main
platform: joromi
description: The main line
numbers: ["+12025550100", "+12025550101"]
language: es-US
voice: man
start: second
nodes:
  first: {type: hangup}
  second: {type: hangup, text: Bye}
)");
    EXPECT_EQ(flow.name, "tetrix-main");
    EXPECT_EQ(flow.platform, core::Platform::kJoromi);
    EXPECT_EQ(flow.description, "The main line");
    EXPECT_EQ(flow.numbers, (std::vector<std::string>{"+12025550100", "+12025550101"}));
    EXPECT_EQ(flow.language, "es-US");
    EXPECT_EQ(flow.voice, "man");
    EXPECT_EQ(flow.start, "second");
    EXPECT_EQ(flow.source, "test.yaml");
    EXPECT_EQ(flow.line, 2);
    ASSERT_EQ(flow.nodes.size(), 2u);
}

TEST_F(YamlFlowParserTest, HeaderDefaults) {
    const auto flow = parse_ok(with_nodes("  only: {type: hangup}\n"));
    EXPECT_EQ(flow.platform, core::Platform::kTetrix);
    EXPECT_EQ(flow.description, "");
    EXPECT_TRUE(flow.numbers.empty());
    EXPECT_EQ(flow.language, "en-US");
    EXPECT_EQ(flow.voice, "woman");
    EXPECT_EQ(flow.start, "only");  // the first node
    EXPECT_EQ(flow.line, 1);
}

TEST_F(YamlFlowParserTest, NodesKeepFileOrderAndLines) {
    const auto flow = parse_ok(with_nodes(R"(  zeta: {type: say, text: One, next: alpha}
  alpha:
    type: say
    text: Two
    next: mid

  mid: {type: hangup}
)"));
    ASSERT_EQ(flow.nodes.size(), 3u);
    EXPECT_EQ(flow.nodes[0].id, "zeta");
    EXPECT_EQ(flow.nodes[0].line, 4);
    EXPECT_EQ(flow.nodes[1].id, "alpha");
    EXPECT_EQ(flow.nodes[1].line, 5);
    EXPECT_EQ(flow.nodes[2].id, "mid");
    EXPECT_EQ(flow.nodes[2].line, 10);
    EXPECT_EQ(flow.start, "zeta");
}

// ---- every node type --------------------------------------------------------------------------------------

TEST_F(YamlFlowParserTest, SayAndPlay) {
    const auto flow = parse_ok(with_nodes(R"(  hello: {type: say, text: "Thanks for calling.", next: music}
  music: {type: play, url: "https://example.com/a.mp3", next: bye}
  bye: {type: hangup}
)"));
    EXPECT_EQ(body<SayNode>(flow, "hello").text, "Thanks for calling.");
    EXPECT_EQ(body<SayNode>(flow, "hello").next, "music");
    EXPECT_EQ(body<PlayNode>(flow, "music").url, "https://example.com/a.mp3");
    EXPECT_EQ(body<PlayNode>(flow, "music").next, "bye");
}

TEST_F(YamlFlowParserTest, MenuWithEveryField) {
    const auto flow = parse_ok(with_nodes(R"(  main:
    type: menu
    prompt: For sales press 1.
    input: [keypad, speech]
    timeout: 6
    retries: 3
    no_input_prompt: I did not catch that.
    invalid_prompt: That is not a choice.
    fallback: operator
    options:
      - {digit: "1", say: [sales, buy], synonyms: [purchase, pricing], next: sales}
      - digit: 2
        say: [support]
        next: support
      - {say: [goodbye], next: bye}
      - {digit: "*", say: [repeat], next: main}
      - {digit: "#", say: [operator], next: operator}
  sales: {type: hangup}
  support: {type: hangup}
  operator: {type: hangup}
  bye: {type: hangup}
)"));
    const auto& menu = body<MenuNode>(flow, "main");
    EXPECT_EQ(menu.prompt, "For sales press 1.");
    EXPECT_TRUE(menu.keypad);
    EXPECT_TRUE(menu.speech);
    EXPECT_EQ(menu.timeout_secs, 6);
    EXPECT_EQ(menu.max_retries, 3);
    EXPECT_EQ(menu.no_input_prompt, "I did not catch that.");
    EXPECT_EQ(menu.invalid_prompt, "That is not a choice.");
    EXPECT_EQ(menu.fallback, "operator");
    ASSERT_EQ(menu.options.size(), 5u);
    EXPECT_EQ(menu.options[0].digit, "1");
    EXPECT_EQ(menu.options[0].phrases, (std::vector<std::string>{"sales", "buy"}));
    EXPECT_EQ(menu.options[0].synonyms, (std::vector<std::string>{"purchase", "pricing"}));
    EXPECT_EQ(menu.options[0].next, "sales");
    EXPECT_EQ(menu.options[0].line, 14);
    EXPECT_EQ(menu.options[1].digit, "2");  // an unquoted number is a digit too
    EXPECT_EQ(menu.options[1].line, 15);
    EXPECT_EQ(menu.options[2].digit, "");  // speech only
    EXPECT_EQ(menu.options[2].line, 18);
    EXPECT_EQ(menu.options[3].digit, "*");
    EXPECT_EQ(menu.options[4].digit, "#");
}

TEST_F(YamlFlowParserTest, MenuDefaults) {
    const auto flow = parse_ok(with_nodes(R"(  main:
    type: menu
    prompt: Press 1.
    fallback: bye
    options:
      - {digit: "1", next: bye}
  bye: {type: hangup}
)"));
    const auto& menu = body<MenuNode>(flow, "main");
    const MenuNode defaults;
    EXPECT_TRUE(menu.keypad);
    EXPECT_FALSE(menu.speech);  // no option says what to say
    EXPECT_EQ(menu.timeout_secs, defaults.timeout_secs);
    EXPECT_EQ(menu.max_retries, defaults.max_retries);
    EXPECT_EQ(menu.no_input_prompt, defaults.no_input_prompt);
    EXPECT_EQ(menu.invalid_prompt, defaults.invalid_prompt);
    EXPECT_TRUE(menu.options[0].phrases.empty());
    EXPECT_TRUE(menu.options[0].synonyms.empty());
}

TEST_F(YamlFlowParserTest, MenuListensForSpeechWhenAnOptionHasPhrasesUnlessInputSaysOtherwise) {
    auto flow = parse_ok(with_nodes(R"(  main:
    type: menu
    prompt: Press 1 or say sales.
    fallback: bye
    options: [{digit: "1", say: [sales], next: bye}]
  bye: {type: hangup}
)"));
    EXPECT_TRUE(body<MenuNode>(flow, "main").keypad);
    EXPECT_TRUE(body<MenuNode>(flow, "main").speech);

    flow = parse_ok(with_nodes(R"(  main:
    type: menu
    prompt: Press 1.
    input: [keypad]
    fallback: bye
    options: [{digit: "1", say: [sales], next: bye}]
  bye: {type: hangup}
)"));
    EXPECT_TRUE(body<MenuNode>(flow, "main").keypad);
    EXPECT_FALSE(body<MenuNode>(flow, "main").speech);

    flow = parse_ok(with_nodes(R"(  main:
    type: menu
    prompt: Say sales.
    input: [speech]
    fallback: bye
    options: [{say: [sales], next: bye}]
  bye: {type: hangup}
)"));
    EXPECT_FALSE(body<MenuNode>(flow, "main").keypad);
    EXPECT_TRUE(body<MenuNode>(flow, "main").speech);
}

TEST_F(YamlFlowParserTest, CollectWithEveryFieldAndDefaults) {
    const auto flow = parse_ok(with_nodes(R"(  account:
    type: collect
    prompt: Enter your account number, then press pound.
    variable: account
    min_digits: 6
    max_digits: 10
    finish_on_key: "*"
    pattern: "^[0-9]+$"
    check: luhn
    timeout: 8
    retries: 1
    invalid_prompt: That number is not valid.
    next: done
    fallback: done
  minimal: {type: collect, prompt: Enter it., variable: x, next: done, fallback: done}
  done: {type: hangup}
)"));
    const auto& collect = body<CollectNode>(flow, "account");
    EXPECT_EQ(collect.prompt, "Enter your account number, then press pound.");
    EXPECT_EQ(collect.variable, "account");
    EXPECT_EQ(collect.min_digits, 6);
    EXPECT_EQ(collect.max_digits, 10);
    EXPECT_EQ(collect.finish_on_key, "*");
    EXPECT_EQ(collect.pattern, "^[0-9]+$");
    EXPECT_EQ(collect.check, DigitCheck::kLuhn);
    EXPECT_EQ(collect.timeout_secs, 8);
    EXPECT_EQ(collect.max_retries, 1);
    EXPECT_EQ(collect.invalid_prompt, "That number is not valid.");
    EXPECT_EQ(collect.next, "done");
    EXPECT_EQ(collect.fallback, "done");

    const auto& minimal = body<CollectNode>(flow, "minimal");
    const CollectNode defaults;
    EXPECT_EQ(minimal.min_digits, defaults.min_digits);
    EXPECT_EQ(minimal.max_digits, defaults.max_digits);
    EXPECT_EQ(minimal.finish_on_key, "#");
    EXPECT_EQ(minimal.pattern, "");
    EXPECT_EQ(minimal.check, DigitCheck::kNone);
    EXPECT_EQ(minimal.timeout_secs, defaults.timeout_secs);
    EXPECT_EQ(minimal.max_retries, defaults.max_retries);
    EXPECT_EQ(minimal.invalid_prompt, defaults.invalid_prompt);
}

TEST_F(YamlFlowParserTest, RecordWithEveryFieldAndDefaults) {
    const auto flow = parse_ok(with_nodes(R"(  voicemail:
    type: record
    prompt: Leave a message after the tone.
    max_length: 180
    silence_timeout: 7
    beep: false
    finish_on_key: "#"
    next: bye
  plain: {type: record, next: bye}
  bye: {type: hangup}
)"));
    const auto& record = body<RecordNode>(flow, "voicemail");
    EXPECT_EQ(record.prompt, "Leave a message after the tone.");
    EXPECT_EQ(record.max_length_secs, 180);
    EXPECT_EQ(record.silence_timeout_secs, 7);
    EXPECT_FALSE(record.play_beep);
    EXPECT_EQ(record.finish_on_key, "#");
    EXPECT_EQ(record.next, "bye");

    const auto& plain = body<RecordNode>(flow, "plain");
    EXPECT_EQ(plain.prompt, "");
    EXPECT_EQ(plain.max_length_secs, 120);
    EXPECT_EQ(plain.silence_timeout_secs, 5);
    EXPECT_TRUE(plain.play_beep);
    EXPECT_EQ(plain.finish_on_key, "#");
}

TEST_F(YamlFlowParserTest, TransferWithEveryFieldAndDefaults) {
    const auto flow = parse_ok(with_nodes(R"(  operator:
    type: transfer
    prompt: Connecting you now.
    targets: ["+12025550123", "sip:operator@tetrix.example.com"]
    timeout: 25
    caller_id: "+12025550100"
    record: yes
    no_answer: voicemail
  plain: {type: transfer, targets: ["+12025550120"], no_answer: voicemail}
  voicemail: {type: record, next: bye}
  bye: {type: hangup}
)"));
    const auto& transfer = body<TransferNode>(flow, "operator");
    EXPECT_EQ(transfer.prompt, "Connecting you now.");
    EXPECT_EQ(transfer.targets, (std::vector<std::string>{"+12025550123", "sip:operator@tetrix.example.com"}));
    EXPECT_EQ(transfer.timeout_secs, 25);
    EXPECT_EQ(transfer.caller_id, std::optional<std::string>("+12025550100"));
    EXPECT_TRUE(transfer.record);
    EXPECT_EQ(transfer.no_answer, "voicemail");

    const auto& plain = body<TransferNode>(flow, "plain");
    EXPECT_EQ(plain.prompt, "");
    EXPECT_EQ(plain.timeout_secs, 30);
    EXPECT_FALSE(plain.caller_id.has_value());
    EXPECT_FALSE(plain.record);
}

TEST_F(YamlFlowParserTest, QueueWithEveryFieldAndDefaults) {
    const auto flow = parse_ok(with_nodes(R"(  wait:
    type: queue
    prompt: Please hold.
    queue: support
    max_wait: 600
    hold_music: https://example.com/hold.mp3
    next: voicemail
  plain: {type: queue, queue: sales, next: voicemail}
  voicemail: {type: record, next: bye}
  bye: {type: hangup}
)"));
    const auto& queue = body<QueueNode>(flow, "wait");
    EXPECT_EQ(queue.prompt, "Please hold.");
    EXPECT_EQ(queue.queue, "support");
    EXPECT_EQ(queue.max_wait_secs, 600);
    EXPECT_EQ(queue.wait_url, "https://example.com/hold.mp3");
    EXPECT_EQ(queue.next, "voicemail");
    EXPECT_EQ(body<QueueNode>(flow, "plain").max_wait_secs, 300);
    EXPECT_EQ(body<QueueNode>(flow, "plain").wait_url, "");
}

TEST_F(YamlFlowParserTest, HoursWithEveryField) {
    const auto flow = parse_ok(with_nodes(R"(  hours:
    type: hours
    time_zone: America/New_York
    open:
      mon-fri: "08:00-20:00"
      sat: 9:00-17:00
      sun: ["10:00-12:00", "13:00-16:30"]
      "tue, thu": 20:00-24:00
    holidays: ["2026-12-25", "2027-01-01"]
    when_open: menu
    when_closed: closed
    when_holiday: holiday
  menu: {type: hangup}
  closed: {type: hangup}
  holiday: {type: hangup}
)"));
    const auto& hours = body<HoursNode>(flow, "hours");
    EXPECT_EQ(hours.time_zone, "America/New_York");
    ASSERT_EQ(hours.hours.size(), 5u);
    const auto expect_window = [](const WeeklyHours& window, unsigned days, int open, int close, int line) {
        EXPECT_EQ(window.days, days);
        EXPECT_EQ(window.open_minute, open);
        EXPECT_EQ(window.close_minute, close);
        EXPECT_EQ(window.line, line);
    };
    expect_window(hours.hours[0], 0x1Fu, 8 * 60, 20 * 60, 8);
    expect_window(hours.hours[1], 0x20u, 9 * 60, 17 * 60, 9);
    expect_window(hours.hours[2], 0x40u, 10 * 60, 12 * 60, 10);
    expect_window(hours.hours[3], 0x40u, 13 * 60, 16 * 60 + 30, 10);
    expect_window(hours.hours[4], 0x0Au, 20 * 60, 24 * 60, 11);
    EXPECT_EQ(hours.holidays, (std::vector<std::string>{"2026-12-25", "2027-01-01"}));
    EXPECT_EQ(hours.open, "menu");
    EXPECT_EQ(hours.closed, "closed");
    EXPECT_EQ(hours.holiday, "holiday");
}

TEST_F(YamlFlowParserTest, HoursDayNamesRangesAndDefaults) {
    const auto flow = parse_ok(with_nodes(R"(  hours:
    type: hours
    time_zone: UTC
    open:
      fri-mon: "00:00-01:00"
      Wednesday: "01:00-02:00"
      "mon, wed-thu, SAT": "02:00-03:00"
      daily: "03:00-04:00"
      weekdays: "04:00-05:00"
      weekends: "05:00-06:00"
    when_open: a
    when_closed: a
  a: {type: hangup}
)"));
    const auto& hours = body<HoursNode>(flow, "hours");
    ASSERT_EQ(hours.hours.size(), 6u);
    EXPECT_EQ(hours.hours[0].days, 0x71u);  // fri, sat, sun, mon
    EXPECT_EQ(hours.hours[1].days, 0x04u);
    EXPECT_EQ(hours.hours[2].days, 0x2Du);  // mon, wed, thu, sat
    EXPECT_EQ(hours.hours[3].days, 0x7Fu);
    EXPECT_EQ(hours.hours[4].days, 0x1Fu);
    EXPECT_EQ(hours.hours[5].days, 0x60u);
    EXPECT_TRUE(hours.holidays.empty());
    EXPECT_EQ(hours.holiday, "");
}

TEST_F(YamlFlowParserTest, LanguageAssistantChatRedirectHangup) {
    const auto flow = parse_ok(with_nodes(R"(  spanish: {type: language, language: es-US, voice: man, next: shango}
  keep_voice: {type: language, language: fr-FR, next: shango}
  shango: {type: assistant, persona: shango-technical, prompt: Ask me anything., next: chat}
  default_shango: {type: assistant, next: chat}
  chat: {type: chat, prompt: We will text you a link., next: elsewhere}
  plain_chat: {type: chat, next: elsewhere}
  elsewhere: {type: redirect, flow: other-flow}
  bye: {type: hangup, text: Goodbye.}
  silent: {type: hangup}
)"));
    EXPECT_EQ(body<LanguageNode>(flow, "spanish").language, "es-US");
    EXPECT_EQ(body<LanguageNode>(flow, "spanish").voice, "man");
    EXPECT_EQ(body<LanguageNode>(flow, "spanish").next, "shango");
    EXPECT_EQ(body<LanguageNode>(flow, "keep_voice").voice, "");
    EXPECT_EQ(body<AssistantNode>(flow, "shango").persona, "shango-technical");
    EXPECT_EQ(body<AssistantNode>(flow, "shango").prompt, "Ask me anything.");
    EXPECT_EQ(body<AssistantNode>(flow, "shango").next, "chat");
    EXPECT_EQ(body<AssistantNode>(flow, "default_shango").persona, "shango-general");
    EXPECT_EQ(body<AssistantNode>(flow, "default_shango").prompt, "");
    EXPECT_EQ(body<ChatNode>(flow, "chat").prompt, "We will text you a link.");
    EXPECT_EQ(body<ChatNode>(flow, "chat").next, "elsewhere");
    EXPECT_EQ(body<ChatNode>(flow, "plain_chat").prompt, "");
    EXPECT_EQ(body<RedirectNode>(flow, "elsewhere").flow, "other-flow");
    EXPECT_EQ(body<HangupNode>(flow, "bye").text, "Goodbye.");
    EXPECT_EQ(body<HangupNode>(flow, "silent").text, "");
}

TEST_F(YamlFlowParserTest, MultiLineAndUnicodeText) {
    const auto flow = parse_ok(with_nodes(R"(  hello:
    type: say
    text: >
      Gracias por llamar.
      Bienvenue à TETRIX.
    next: bye
  bye: {type: hangup, text: "Tschüss – bis bald"}
)"));
    EXPECT_EQ(body<SayNode>(flow, "hello").text, "Gracias por llamar. Bienvenue à TETRIX.\n");
    EXPECT_EQ(body<HangupNode>(flow, "bye").text, "Tschüss – bis bald");
}

TEST_F(YamlFlowParserTest, JsonIsReadAsTheYamlItIs) {
    const auto flow = parse_ok(R"({
  "name": "json-flow",
  "platform": "joromi",
  "numbers": ["+12025550199"],
  "nodes": {
    "menu": {
      "type": "menu",
      "prompt": "Press 1.",
      "timeout": 7,
      "fallback": "bye",
      "options": [{"digit": "1", "say": ["one"], "next": "bye"}]
    },
    "bye": {"type": "hangup", "text": "Bye"}
  }
})");
    EXPECT_EQ(flow.name, "json-flow");
    EXPECT_EQ(flow.platform, core::Platform::kJoromi);
    EXPECT_EQ(flow.start, "menu");
    ASSERT_EQ(flow.nodes.size(), 2u);
    EXPECT_EQ(flow.nodes[0].line, 6);
    EXPECT_EQ(flow.nodes[1].line, 13);
    EXPECT_EQ(body<MenuNode>(flow, "menu").timeout_secs, 7);
    EXPECT_EQ(body<MenuNode>(flow, "menu").options.at(0).line, 11);
}

TEST_F(YamlFlowParserTest, TheParserIsStatelessAcrossThreads) {
    const std::string text = with_nodes("  a: {type: say, text: Hi, next: b}\n  b: {type: hangup}\n");
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                std::vector<FlowIssue> issues;
                auto flow = parser_.parse(text, "t.yaml", issues);
                if (!flow || flow->nodes.size() != 2 || !issues.empty()) ++failures[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0);
}

// ---- document-level errors -------------------------------------------------------------------------------

TEST_F(YamlFlowParserTest, AYamlSyntaxErrorIsOneIssueOnYamlCppsLine) {
    expect_one_issue(with_nodes("  a:\n    type: say\n   text: x\n    next: b\n"), 6,
                     "YAML syntax error: end of map not found");
    // An unclosed flow mapping is noticed where the next line starts.
    expect_one_issue(with_nodes("  a: {type: say, text: x, next: b\n  b: {type: hangup}\n"), 5,
                     "YAML syntax error: end of map flow not found");
    expect_one_issue("name: test\n\tplatform: tetrix\n", 2, "YAML syntax error: illegal tab");
    // yaml-cpp stops at its depth limit (and calls it "bad file").
    auto flow = parse("nodes: " + std::string(5000, '['));
    ASSERT_FALSE(flow.ok());
    ASSERT_EQ(issues_.size(), 1u);
    EXPECT_NE(issues_[0].message.find("levels deep"), std::string::npos) << issues_[0].message;
    expect_one_issue(with_nodes("  a:\n    type: menu\n    options:\n      - digit: *\n"), 7,
                     "YAML syntax error: alias not found after * (a * key must be quoted: digit: \"*\")");
}

TEST_F(YamlFlowParserTest, TheDocumentMustBeOneMapping) {
    expect_one_issue("- name: test\n", 1,
                     "a flow must be a mapping of fields (name, platform, nodes, ...), not a list");
    expect_one_issue("just words\n", 1, "not a string");
    expect_one_issue("", 1, "the document is empty");
    expect_one_issue("# only a comment\n", 1, "the document is empty");
    expect_one_issue("~\n", 1, "the document holds no YAML value");
    // yaml-cpp 0.7 reads a stray comma as an empty document, and its LoadAll() would loop on it for ever.
    expect_one_issue(",\n", 1, "the document holds no YAML value");
    expect_one_issue("name: a\nplatform: tetrix\nnodes: {a: {type: hangup}}\n---\n,\n", 4,
                     "a flow file holds one YAML document");
    expect_one_issue("name: a\nplatform: tetrix\nnodes: {a: {type: hangup}}\n---\nname: b\n", 4,
                     "a flow file holds one YAML document");
}

TEST_F(YamlFlowParserTest, DocumentsOverTheSizeLimitAreRefusedUnread) {
    std::string text = with_nodes("  a: {type: hangup}\n");
    text += "# " + std::string(YamlFlowParser::kMaxDocumentBytes, 'x') + "\n";
    expect_one_issue(text, 0, "a flow may have at most 262144");
}

TEST_F(YamlFlowParserTest, FlowsOverTheNodeLimitAreRefused) {
    std::string nodes;
    for (std::size_t i = 0; i <= YamlFlowParser::kMaxNodes; ++i) {
        nodes += "  n" + std::to_string(i) + ": {type: hangup}\n";
    }
    expect_one_issue(with_nodes(nodes), 4, "the flow has 501 nodes; at most 500 are allowed");

    nodes.clear();
    for (std::size_t i = 0; i < YamlFlowParser::kMaxNodes; ++i) {
        nodes += "  n" + std::to_string(i) + ": {type: hangup}\n";
    }
    EXPECT_EQ(parse_ok(with_nodes(nodes)).nodes.size(), YamlFlowParser::kMaxNodes);
}

TEST_F(YamlFlowParserTest, AliasesMayNotBlowTheDocumentUp) {
    // Every field is within its limits, but each alias names the same lists again: the 400 menus repeat 20
    // options of 60 phrases of 90 characters each, about 43 MB from a document of under 60 KB.
    std::string phrases;
    for (int k = 0; k < 30; ++k) phrases += std::string(k ? ", " : "") + "*big";
    std::string text = "name: test\nplatform: tetrix\ndescription: &big " + std::string(90, 'a') +
                       "\nnodes:\n  menu:\n    type: menu\n    prompt: x\n    fallback: bye\n    options: &opts\n";
    for (int i = 0; i < 20; ++i) {
        text += "      - {digit: \"1\", say: [" + phrases + "], synonyms: [" + phrases + "], next: bye}\n";
    }
    for (int i = 0; i < 400; ++i) {
        text += "  m" + std::to_string(i) + ": {type: menu, prompt: *big, fallback: bye, options: *opts}\n";
    }
    text += "  bye: {type: hangup}\n";
    ASSERT_LT(text.size(), YamlFlowParser::kMaxDocumentBytes);
    auto flow = parse(text);
    ASSERT_FALSE(flow.ok());
    ASSERT_EQ(issues_.size(), 1u) << dump(issues_);
    EXPECT_EQ(issues_[0].message, "the document expands to more than 4194304 bytes (through YAML aliases); refused");
    EXPECT_EQ(issues_[0].line, 3);  // where the repeated text is
}

TEST_F(YamlFlowParserTest, IssuesStopAfterTheLimit) {
    std::string nodes;
    for (int i = 0; i < 150; ++i) nodes += "  n" + std::to_string(i) + ": {type: mnu}\n";
    auto flow = parse(with_nodes(nodes));
    ASSERT_FALSE(flow.ok());
    ASSERT_EQ(issues_.size(), YamlFlowParser::kMaxIssues + 1);
    EXPECT_EQ(issues_.back().message, "too many problems; stopped after 100");
}

TEST_F(YamlFlowParserTest, IssuesAreAppendedAndAllReportedAtOnce) {
    issues_.push_back(FlowIssue{"earlier.yaml", 1, "kept"});
    std::vector<FlowIssue> issues = issues_;
    auto flow = parser_.parse(with_nodes(R"(  a: {type: say, txt: Hi, next: b}
  b: {type: menu, prompt: x, fallback: a, options: [{digit: "1", next: a}], timeout: 0}
  c: {type: hangup, text: [x]}
)"),
                              "many.yaml", issues);
    ASSERT_FALSE(flow.ok());
    EXPECT_EQ(flow.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(flow.error().message, "many.yaml: 4 problems in the flow document");
    ASSERT_EQ(issues.size(), 5u) << dump(issues);
    EXPECT_EQ(issues[0].message, "kept");
    EXPECT_EQ(to_string(issues[1]), "many.yaml:4: say 'a': unknown field 'txt' (did you mean 'text'?)");
    EXPECT_EQ(to_string(issues[2]), "many.yaml:4: say 'a': 'text' is required");
    EXPECT_EQ(to_string(issues[3]), "many.yaml:5: menu 'b': 'timeout' must be a whole number from 1 to 120, not '0'");
    EXPECT_EQ(to_string(issues[4]), "many.yaml:6: hangup 'c': 'text' must be a string, not a list");
}

// ---- field errors ----------------------------------------------------------------------------------------

TEST_F(YamlFlowParserTest, UnknownNodeType) {
    expect_one_issue(with_nodes("  a: {type: say, text: x, next: b}\n  b:\n    type: mnu\n    prompt: x\n"), 6,
                     "node 'b': unknown node type 'mnu' (expected one of say, play, menu, collect, record, "
                     "transfer, queue, hours, language, assistant, chat, redirect, hangup)");
}

TEST_F(YamlFlowParserTest, MissingType) {
    expect_one_issue(with_nodes("  a: {text: x}\n"), 4, "node 'a': 'type' is required (one of say, play,");
    expect_one_issue(with_nodes("  a: {type: [say]}\n"), 4, "node 'a': 'type' must be a string, not a list");
}

TEST_F(YamlFlowParserTest, MissingRequiredFields) {
    expect_one_issue(with_nodes("  a: {type: say, text: Hello}\n"), 4, "say 'a': 'next' is required");
    expect_one_issue(with_nodes("  a:\n    type: menu\n    prompt: x\n    options: [{digit: \"1\", next: a}]\n"), 4,
                     "menu 'a': 'fallback' is required");
    expect_one_issue(with_nodes("  a:\n    type: menu\n    prompt: x\n    fallback: a\n"), 4,
                     "menu 'a': 'options' is required");
    expect_one_issue(with_nodes("  a: {type: menu, prompt: x, fallback: a, options: [{digit: \"1\"}]}\n"), 4,
                     "menu 'a' option 1: 'next' is required");
    expect_one_issue(with_nodes("  a: {type: collect, prompt: x, next: a, fallback: a}\n"), 4,
                     "collect 'a': 'variable' is required");
    expect_one_issue(with_nodes("  a: {type: transfer, targets: [\"+12025550100\"]}\n"), 4,
                     "transfer 'a': 'no_answer' is required");
    expect_one_issue(with_nodes("  a: {type: transfer, no_answer: a}\n"), 4, "transfer 'a': 'targets' is required");
    expect_one_issue(with_nodes("  a: {type: queue, next: a}\n"), 4, "queue 'a': 'queue' is required");
    expect_one_issue(with_nodes("  a: {type: hours, open: {daily: 00:00-24:00}, when_open: a, when_closed: a}\n"), 4,
                     "hours 'a': 'time_zone' is required");
    expect_one_issue(with_nodes("  a: {type: hours, time_zone: UTC, when_open: a, when_closed: a}\n"), 4,
                     "hours 'a': 'open' is required");
    expect_one_issue(with_nodes("  a: {type: language, next: a}\n"), 4, "language 'a': 'language' is required");
    expect_one_issue(with_nodes("  a: {type: redirect}\n"), 4, "redirect 'a': 'flow' is required");
    expect_one_issue(with_nodes("  a: {type: play, next: a}\n"), 4, "play 'a': 'url' is required");
    expect_one_issue(with_nodes("  a: {type: record}\n"), 4, "record 'a': 'next' is required");
    expect_one_issue(with_nodes("  a: {type: assistant}\n"), 4, "assistant 'a': 'next' is required");
    expect_one_issue(with_nodes("  a: {type: chat}\n"), 4, "chat 'a': 'next' is required");
    expect_one_issue("platform: tetrix\nnodes: {a: {type: hangup}}\n", 1, "flow: 'name' is required");
    expect_one_issue("name: x\nnodes: {a: {type: hangup}}\n", 1, "flow: 'platform' is required");
    expect_one_issue("name: x\nplatform: tetrix\n", 1, "flow: 'nodes' is required");
}

TEST_F(YamlFlowParserTest, FieldsWithoutAValue) {
    expect_one_issue(with_nodes("  a:\n    type: say\n    text: Hello\n    next:\n"), 7,
                     "say 'a': 'next' has no value");
    // An unquoted # starts a comment, so the digit is empty; the message says how to write it.
    expect_one_issue(with_nodes("  a:\n    type: menu\n    prompt: x\n    fallback: a\n    options:\n      - digit: #\n"
                                "        next: a\n"),
                     9, "'digit' has no value (quote \"#\" and \"*\"");
    expect_one_issue("name: x\nplatform: tetrix\ndescription:\nnodes: {a: {type: hangup}}\n", 3,
                     "flow: 'description' has no value");
}

TEST_F(YamlFlowParserTest, WrongTypes) {
    expect_one_issue(with_nodes("  a: {type: transfer, targets: \"+12025550100\", no_answer: a}\n"), 4,
                     "transfer 'a': 'targets' must be a list (like [a, b]), not a string");
    expect_one_issue("name: x\nplatform: tetrix\nnumbers: \"+12025550100\"\nnodes: {a: {type: hangup}}\n", 3,
                     "flow: 'numbers' must be a list (like [a, b]), not a string");
    expect_one_issue(with_nodes("  a: {type: menu, prompt: x, fallback: a, options: [{say: sales, next: a}]}\n"), 4,
                     "menu 'a' option 1: 'say' must be a list (like [a, b]), not a string");
    expect_one_issue(with_nodes("  a: {type: say, text: {en: Hello}, next: a}\n"), 4,
                     "say 'a': 'text' must be a string, not a mapping");
    expect_one_issue(with_nodes("  a: {type: menu, prompt: x, fallback: a, options: {digit: \"1\", next: a}}\n"), 4,
                     "menu 'a': 'options' must be a list of options, not a mapping");
    expect_one_issue(with_nodes("  a: {type: menu, prompt: x, fallback: a, options: [sales]}\n"), 4,
                     "menu 'a' option 1: an option must be a mapping");
    expect_one_issue(with_nodes("  a: {type: hours, time_zone: UTC, open: \"08:00-17:00\", when_open: a, "
                                "when_closed: a}\n"),
                     4, "hours 'a': 'open' must be a mapping of days to hours");
    expect_one_issue(with_nodes("  a: {type: hours, time_zone: UTC, open: {mon: {from: 8}}, when_open: a, "
                                "when_closed: a}\n"),
                     4, "'mon' must be a time range like 08:00-17:30 or a list of them, not a mapping");
    expect_one_issue(with_nodes("  a: {type: transfer, targets: [\"+12025550100\", [x]], no_answer: a}\n"), 4,
                     "'targets' must be a string, not a list");
    expect_one_issue(with_nodes("  a: {type: transfer, targets: [\"+12025550100\"], no_answer: a, record: maybe}\n"), 4,
                     "transfer 'a': 'record' must be true or false, not 'maybe'");
    expect_one_issue("name: x\nplatform: tetrix\nnodes: [a, b]\n", 3,
                     "flow: 'nodes' must be a mapping of node ids to nodes, in call order, not a list");
    expect_one_issue(with_nodes("  a: say\n"), 4, "node 'a': a node must be a mapping with a type");
    expect_one_issue(with_nodes("  a: {type: menu, prompt: x, fallback: a, input: [keypad, dtmf], options: "
                                "[{digit: \"1\", next: a}]}\n"),
                     4, "menu 'a': input 'dtmf' is neither keypad nor speech");
    expect_one_issue(with_nodes("  a: {type: collect, prompt: x, variable: v, check: mod10, next: a, fallback: a}\n"),
                     4, "collect 'a': check 'mod10' is neither none nor luhn");
}

TEST_F(YamlFlowParserTest, UnknownFieldsAreTyposNotExtras) {
    expect_one_issue(with_nodes("  a: {type: menu, prompt: x, fallbak: a, fallback: a, options: [{digit: \"1\", "
                                "next: a}]}\n"),
                     4, "menu 'a': unknown field 'fallbak' (did you mean 'fallback'?)");
    expect_one_issue(with_nodes("  a: {type: hangup, colour: blue}\n"), 4,
                     "hangup 'a': unknown field 'colour' (expected one of type, text)");
    expect_one_issue("name: x\nplatform: tetrix\nnmae: y\nnodes: {a: {type: hangup}}\n", 3,
                     "flow: unknown field 'nmae' (did you mean 'name'?)");
    expect_one_issue(with_nodes("  a: {type: menu, prompt: x, fallback: a, options: [{digit: \"1\", nxt: a, next: "
                                "a}]}\n"),
                     4, "menu 'a' option 1: unknown field 'nxt' (did you mean 'next'?)");
    // A field of another node type is unknown here.
    expect_one_issue(with_nodes("  a: {type: say, text: x, next: a, fallback: a}\n"), 4,
                     "say 'a': unknown field 'fallback'");
}

TEST_F(YamlFlowParserTest, DuplicateKeys) {
    expect_one_issue(with_nodes("  a: {type: hangup}\n  b: {type: hangup}\n  a: {type: hangup}\n"), 6,
                     "nodes: node 'a' is given twice (first on line 4)");
    expect_one_issue(with_nodes("  a:\n    type: say\n    text: x\n    next: a\n    text: y\n"), 8,
                     "say 'a': field 'text' is given twice (first on line 6)");
}

TEST_F(YamlFlowParserTest, BadNodeIds) {
    expect_one_issue(with_nodes("  \"main menu\": {type: hangup}\n"), 4,
                     "node 'main menu': a node id must be 1-64 characters of letters, digits, '-' or '_'");
    expect_one_issue(with_nodes("  " + std::string(65, 'a') + ": {type: hangup}\n"), 4, "a node id must be 1-64");
    expect_one_issue(with_nodes("  [a, b]: {type: hangup}\n"), 4, "nodes: a node name must be a plain string");
}

TEST_F(YamlFlowParserTest, BadPlatform) {
    expect_one_issue("name: x\nplatform: tetrx\nnodes: {a: {type: hangup}}\n", 2,
                     "flow: platform 'tetrx' is not one of tetrix, joromi");
    expect_one_issue("name: x\nplatform: TETRIX\nnodes: {a: {type: hangup}}\n", 2, "platform 'TETRIX' is not one of");
}

TEST_F(YamlFlowParserTest, BadTimesOfDay) {
    const auto hours = [](std::string_view open) {
        return with_nodes("  h:\n    type: hours\n    time_zone: UTC\n    open:\n      " + std::string(open) +
                          "\n    when_open: h\n    when_closed: h\n");
    };
    expect_one_issue(hours("mon: \"25:00-26:00\""), 8, "hours 'h': 'mon': '25:00-26:00' is not a time range");
    expect_one_issue(hours("mon: \"08:60-09:00\""), 8, "is not a time range like 08:00-17:30");
    expect_one_issue(hours("mon: \"24:30-24:45\""), 8, "is not a time range");
    expect_one_issue(hours("mon: \"8-17\""), 8, "'8-17' is not a time range");
    expect_one_issue(hours("mon: \"0800-1700\""), 8, "is not a time range");
    expect_one_issue(hours("mon: \"08:00\""), 8, "'08:00' is not a time range like 08:00-17:30");
    expect_one_issue(hours("mon: \"17:00-09:00\""), 8, "hours 'h': 'mon': '17:00-09:00' closes before it opens");
    expect_one_issue(hours("mon: \"22:00-02:00\""), 8, "a window past midnight is two windows");
    expect_one_issue(hours("mon: \"09:00-09:00\""), 8, "closes before it opens");
    expect_one_issue(hours("mon: [\"09:00-12:00\", \"14:00-13:00\"]"), 8, "'14:00-13:00' closes before it opens");
}

TEST_F(YamlFlowParserTest, BadDayNames) {
    const auto hours = [](std::string_view open) {
        return with_nodes("  h:\n    type: hours\n    time_zone: UTC\n    open:\n      " + std::string(open) +
                          "\n    when_open: h\n    when_closed: h\n");
    };
    expect_one_issue(hours("mo-fr: \"08:00-17:00\""), 8,
                     "hours 'h': 'mo-fr' is not a day (mon, tue, wed, thu, fri, sat, sun), a range like mon-fri");
    expect_one_issue(hours("\"mon, funday\": \"08:00-17:00\""), 8, "'funday' is not a day");
    expect_one_issue(hours("\"mon,\": \"08:00-17:00\""), 8, "'' is not a day");
    expect_one_issue(hours("\"mon-\": \"08:00-17:00\""), 8, "'mon-' is not a day");
    expect_one_issue(hours("holiday: \"08:00-17:00\""), 8, "'holiday' is not a day");
}

TEST_F(YamlFlowParserTest, NumbersOutOfRange) {
    const std::pair<std::string, std::string> cases[] = {
        {"{type: menu, prompt: x, fallback: a, options: [{digit: \"1\", next: a}], timeout: 121}",
         "'timeout' must be a whole number from 1 to 120, not '121'"},
        {"{type: menu, prompt: x, fallback: a, options: [{digit: \"1\", next: a}], retries: 11}",
         "'retries' must be a whole number from 0 to 10, not '11'"},
        {"{type: menu, prompt: x, fallback: a, options: [{digit: \"1\", next: a}], retries: -1}",
         "'retries' must be a whole number from 0 to 10, not '-1'"},
        {"{type: transfer, targets: [\"+12025550100\"], no_answer: a, timeout: 4}",
         "'timeout' must be a whole number from 5 to 120, not '4'"},
        {"{type: transfer, targets: [\"+12025550100\"], no_answer: a, timeout: 121}",
         "'timeout' must be a whole number from 5 to 120, not '121'"},
        {"{type: collect, prompt: x, variable: v, next: a, fallback: a, min_digits: 0}",
         "'min_digits' must be a whole number from 1 to 32, not '0'"},
        {"{type: collect, prompt: x, variable: v, next: a, fallback: a, max_digits: 33}",
         "'max_digits' must be a whole number from 1 to 32, not '33'"},
        {"{type: collect, prompt: x, variable: v, next: a, fallback: a, timeout: 0}",
         "'timeout' must be a whole number from 1 to 120, not '0'"},
        {"{type: collect, prompt: x, variable: v, next: a, fallback: a, retries: 99}",
         "'retries' must be a whole number from 0 to 10, not '99'"},
        {"{type: record, next: a, max_length: 3601}", "'max_length' must be a whole number from 1 to 3600"},
        {"{type: record, next: a, silence_timeout: 0}", "'silence_timeout' must be a whole number from 1 to 120"},
        {"{type: queue, queue: q, next: a, max_wait: 7201}", "'max_wait' must be a whole number from 1 to 7200"},
        {"{type: menu, prompt: x, fallback: a, options: [{digit: \"1\", next: a}], timeout: 5.5}", "not '5.5'"},
        {"{type: menu, prompt: x, fallback: a, options: [{digit: \"1\", next: a}], timeout: five}", "not 'five'"},
        {"{type: menu, prompt: x, fallback: a, options: [{digit: \"1\", next: a}], timeout: 99999999999999}",
         "not '99999999999999'"},
        {"{type: menu, prompt: x, fallback: a, options: [{digit: \"1\", next: a}], timeout: \" 5\"}", "not ' 5'"},
    };
    for (const auto& [node, message] : cases) {
        SCOPED_TRACE(node);
        expect_one_issue(with_nodes("  a: " + node + "\n"), 4, message);
    }
    // The bounds themselves are fine.
    const auto flow = parse_ok(with_nodes(
        R"(  a: {type: menu, prompt: x, fallback: b, timeout: 120, retries: 0, options: [{digit: "1", next: b}]}
  b: {type: transfer, targets: ["+12025550100"], no_answer: c, timeout: 5}
  c: {type: collect, prompt: x, variable: v, min_digits: 32, max_digits: 32, timeout: 1, retries: 10, next: d, fallback: d}
  d: {type: hangup}
)"));
    EXPECT_EQ(body<MenuNode>(flow, "a").timeout_secs, 120);
    EXPECT_EQ(body<MenuNode>(flow, "a").max_retries, 0);
    EXPECT_EQ(body<TransferNode>(flow, "b").timeout_secs, 5);
    EXPECT_EQ(body<CollectNode>(flow, "c").max_digits, 32);
}

TEST_F(YamlFlowParserTest, TextMustBeSpeakable) {
    expect_one_issue(with_nodes("  a: {type: hangup, text: \"bell\\a\"}\n"), 4,
                     "hangup 'a': 'text' contains a control character");
    expect_one_issue(with_nodes("  a: {type: hangup, text: \"" + std::string(2001, 'x') + "\"}\n"), 4,
                     "'text' is longer than 2000 characters");
    // yaml-cpp passes invalid UTF-8 in plain scalars through; the parser does not.
    expect_one_issue(with_nodes("  a: {type: hangup, text: caf\xC3}\n"), 4, "'text' is not valid UTF-8");
    // Tabs and line breaks are fine.
    EXPECT_EQ(body<HangupNode>(parse_ok(with_nodes("  a: {type: hangup, text: \"one\\ttwo\\nthree\"}\n")), "a").text,
              "one\ttwo\nthree");
}

TEST_F(YamlFlowParserTest, ListLimits) {
    std::string targets;
    for (int i = 0; i < 11; ++i)
        targets += std::string(i ? ", " : "") + "\"+1202555010" + std::to_string(i % 10) + "\"";
    expect_one_issue(with_nodes("  a: {type: transfer, targets: [" + targets + "], no_answer: a}\n"), 4,
                     "'targets' has more than 10 entries");
    std::string options;
    for (int i = 0; i < 21; ++i) options += std::string(i ? ", " : "") + "{digit: \"1\", next: a}";
    expect_one_issue(with_nodes("  a: {type: menu, prompt: x, fallback: a, options: [" + options + "]}\n"), 4,
                     "'options' has more than 20 entries");
    expect_one_issue(with_nodes("  a: {type: transfer, targets: [\"+12025550100\", ~], no_answer: a}\n"), 4,
                     "'targets' has an empty entry");
}

}  // namespace
}  // namespace crossvoice::flows
