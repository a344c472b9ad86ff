#include "openai/chat_responder.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <string>
#include <vector>

#include "infra/curl_http_client.hpp"
#include "support/error_detail.hpp"
#include "support/fake_chat_server.hpp"
#include "support/scripted_http_client.hpp"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace crossvoice::openai {
namespace {

using core::ErrorCode;
using core::Handoff;
using core::MessageAuthor;
using core::ports::HttpRequest;
using core::ports::HttpResponse;
using nlohmann::json;
using Ms = std::chrono::milliseconds;

constexpr std::string_view kVoiceRule =
    "Answer in one or two short plain sentences that can be read aloud; no markdown, lists or URLs.";

using crossvoice::testing::detail;

core::Persona billing_persona() {
    core::Persona persona;
    persona.id = "shango-billing";
    persona.name = "SHANGO Billing";
    persona.greeting = "Hi, I'm SHANGO Billing.";
    persona.tone = "calm, precise, reassuring";
    persona.scope = "Invoices, payments, refunds and plan changes.";
    persona.topics = {"refund", "invoice"};
    return persona;
}

std::vector<core::KnowledgePassage> passages() {
    return {
        {"billing#refunds", "billing", "Refunds", "Refunds reach your card within 5 business days.", -3.2},
        {"billing#invoices", "billing", "Invoices", "Invoices are emailed on the 1st of each month.", -2.1},
        {"billing#plans", "billing", "Plans", "Plans start at $5 a month.", -1.5},
        {"faq#contact", "faq", "Contact", "Call us any weekday from 9 to 5.", -1.0},
        {"faq#hours", "faq", "Hours", "We are closed on public holidays.", -0.5},
    };
}

core::AssistantRequest request(core::Channel channel = core::Channel::kChat) {
    core::AssistantRequest request;
    request.platform = core::Platform::kJoromi;
    request.session_id = "ses_123";
    request.channel = channel;
    request.utterance = "How long does a refund take?";
    request.language = "es";
    request.persona = billing_persona();
    request.intent = "billing";
    request.passages = passages();
    return request;
}

json messages_of(const testing::FakeChatRequest& seen) { return json::parse(seen.body).at("messages"); }

using FakeHttpClient = testing::ScriptedHttpClient;

class ChatResponderTest : public ::testing::Test {
  protected:
    static infra::CurlHttpClientOptions no_waiting() {
        infra::CurlHttpClientOptions options;
        options.sleep = [](Ms) {};
        return options;
    }

    ChatOptions options() const {
        ChatOptions options;
        options.base_url = fake_.base_url() + "/";
        options.api_key = "sk-chat";
        options.model = "llama3.1:8b";
        options.timeout = Ms{500};
        options.temperature = 0.3;
        options.max_tokens = 200;
        return options;
    }

    // Asks with `reply` scripted and expects an answer.
    core::AssistantReply answer(const core::AssistantRequest& asked) {
        ChatResponder responder(options(), http_);
        auto result = responder.respond(asked);
        EXPECT_TRUE(result.ok()) << result.error().message;
        return result.ok() ? *result : core::AssistantReply{};
    }

    core::Error failure(const core::AssistantRequest& asked, ChatOptions with) {
        ChatResponder responder(std::move(with), http_);
        auto result = responder.respond(asked);
        EXPECT_FALSE(result.ok());
        return result.ok() ? core::Error{} : result.error();
    }

    testing::FakeChatServer fake_{std::string("sk-chat")};
    infra::CurlHttpClient http_{no_waiting()};
};

TEST_F(ChatResponderTest, SendsPersonaPassagesHistoryAndTools) {
    auto asked = request(core::Channel::kVoice);
    for (int i = 0; i < 15; ++i) {
        static constexpr MessageAuthor kAuthors[] = {MessageAuthor::kCaller, MessageAuthor::kAssistant,
                                                     MessageAuthor::kAgent, MessageAuthor::kSystem};
        asked.history.push_back({kAuthors[i % 4], "turn " + std::to_string(i)});
    }
    const auto reply = answer(asked);
    EXPECT_EQ(reply.text, "You said: How long does a refund take?") << "the fake's echo";

    const auto seen = fake_.requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method, "POST");
    EXPECT_EQ(seen[0].target, "/v1/chat/completions");
    EXPECT_EQ(seen[0].header("authorization"), "Bearer sk-chat");
    EXPECT_EQ(seen[0].header("content-type"), "application/json");

    const json body = json::parse(seen[0].body);
    EXPECT_EQ(body.at("model"), "llama3.1:8b");
    EXPECT_DOUBLE_EQ(body.at("temperature").get<double>(), 0.3);
    EXPECT_EQ(body.at("max_tokens"), 200);
    EXPECT_EQ(body.at("tool_choice"), "auto");

    std::vector<std::string> tool_names;
    for (const auto& tool : body.at("tools")) {
        EXPECT_EQ(tool.at("type"), "function");
        tool_names.push_back(tool.at("function").at("name"));
        EXPECT_EQ(tool.at("function").at("parameters").at("type"), "object");
    }
    EXPECT_EQ(tool_names, (std::vector<std::string>{"transfer_to_agent", "escalate_to_chat", "end_conversation"}));
    EXPECT_EQ(body.at("tools")[0].at("function").at("parameters").at("required"), json::array({"reason"}));
    EXPECT_EQ(body.at("tools")[1].at("function").at("parameters").at("properties").at("reason").at("type"), "string");
    EXPECT_TRUE(body.at("tools")[2].at("function").at("parameters").at("properties").empty());

    const json messages = body.at("messages");
    ASSERT_EQ(messages.size(), 1u + 12u + 1u) << "system, the last 12 turns, the utterance";
    EXPECT_EQ(messages[0].at("role"), "system");
    const std::string system = messages[0].at("content");
    for (const std::string_view part : std::vector<std::string_view>{
             "SHANGO Billing", "calm, precise, reassuring", "Invoices, payments, refunds and plan changes.", "joromi",
             kVoiceRule, "Answer only from the numbered knowledge passages", "transfer_to_agent", "end_conversation",
             "[1] Refunds: Refunds reach your card within 5 business days. (id: billing#refunds)",
             "[2] Invoices: Invoices are emailed on the 1st of each month. (id: billing#invoices)",
             "[4] Contact: Call us any weekday from 9 to 5. (id: faq#contact)", "\"es\""}) {
        EXPECT_NE(system.find(part), std::string::npos) << part << "\n--- in ---\n" << system;
    }
    EXPECT_EQ(system.find("faq#hours"), std::string::npos) << "only max_passages passages are sent";
    EXPECT_LT(system.find("[4] Contact"), system.find("\"es\"")) << "the language comes after the passages";

    // Turns 3..14 of 15, authors cycling caller, assistant, agent, system.
    EXPECT_EQ(messages[1], (json{{"role", "assistant"}, {"content", "(system) turn 3"}}));
    EXPECT_EQ(messages[2], (json{{"role", "user"}, {"content", "turn 4"}}));
    EXPECT_EQ(messages[3], (json{{"role", "assistant"}, {"content", "turn 5"}}));
    EXPECT_EQ(messages[4], (json{{"role", "assistant"}, {"content", "(agent) turn 6"}}));
    EXPECT_EQ(messages[12], (json{{"role", "assistant"}, {"content", "(agent) turn 14"}}));
    EXPECT_EQ(messages[13], (json{{"role", "user"}, {"content", "How long does a refund take?"}}));
}

TEST_F(ChatResponderTest, ChatChannelHasItsOwnRuleAndNoKeyMeansNoBearer) {
    testing::FakeChatServer open;
    for (const std::optional<std::string>& key : {std::optional<std::string>{}, std::optional<std::string>{""}}) {
        ChatOptions without = options();
        without.base_url = open.base_url();
        without.api_key = key;
        ChatResponder responder(without, http_);
        ASSERT_TRUE(responder.respond(request(core::Channel::kChat)).ok());
    }
    const auto seen = open.requests();
    ASSERT_EQ(seen.size(), 2u);
    for (const auto& one : seen) EXPECT_FALSE(one.header("authorization").has_value());
    const std::string system = messages_of(seen[0])[0].at("content");
    EXPECT_EQ(system.find(kVoiceRule), std::string::npos);
    EXPECT_NE(system.find("stay concise"), std::string::npos);
}

TEST_F(ChatResponderTest, CitedPassagesBecomeSourcesAndMarkersAreRemoved) {
    fake_.reply_text("  Refunds reach your card within 5 business days [1]. Invoices come monthly [2][1] [9].\n");
    const auto reply = answer(request());
    EXPECT_EQ(reply.text, "Refunds reach your card within 5 business days. Invoices come monthly.");
    EXPECT_EQ(reply.sources, (std::vector<std::string>{"billing#refunds", "billing#invoices"}));
    EXPECT_DOUBLE_EQ(reply.confidence, 0.8);
    EXPECT_EQ(reply.persona, "shango-billing");
    EXPECT_EQ(reply.intent, "billing");
    EXPECT_EQ(reply.responder, "openai");
    EXPECT_EQ(reply.handoff, Handoff::kNone);
    EXPECT_FALSE(reply.end_conversation);
}

TEST_F(ChatResponderTest, AnUncitedAnswerNamesEveryPassageSentWithLowerConfidence) {
    fake_.reply_text("Refunds usually take a few days.");
    const auto reply = answer(request());
    EXPECT_EQ(reply.sources,
              (std::vector<std::string>{"billing#refunds", "billing#invoices", "billing#plans", "faq#contact"}));
    EXPECT_DOUBLE_EQ(reply.confidence, 0.5);

    auto bare = request();
    bare.passages.clear();
    fake_.reply_text("I am not sure [1].");
    const auto unsourced = answer(bare);
    EXPECT_EQ(unsourced.text, "I am not sure.");
    EXPECT_TRUE(unsourced.sources.empty());
    EXPECT_DOUBLE_EQ(unsourced.confidence, 0.5);
    EXPECT_NE(messages_of(fake_.requests().back())[0].at("content").get<std::string>().find("none were found"),
              std::string::npos);
}

TEST_F(ChatResponderTest, VoiceAnswersLoseTheirMarkdown) {
    const std::string markdown = "**Refunds** take `5` days:\n- online\n- by phone [1]";
    fake_.reply_text(markdown);
    EXPECT_EQ(answer(request(core::Channel::kVoice)).text, "Refunds take 5 days: online by phone");
    fake_.reply_text(markdown);
    EXPECT_EQ(answer(request(core::Channel::kChat)).text, "**Refunds** take `5` days:\n- online\n- by phone")
        << "chat shows markdown as written";
}

TEST_F(ChatResponderTest, ToolCallsBecomeHandoffsAndGoodbyes) {
    fake_.reply_tool_call("transfer_to_agent", R"({"reason":"wants a person"})");
    auto agent = answer(request(core::Channel::kVoice));
    EXPECT_EQ(agent.handoff, Handoff::kAgent);
    EXPECT_FALSE(agent.end_conversation);
    EXPECT_EQ(agent.text, "Let me connect you with a person who can help.");

    fake_.reply_tool_call("escalate_to_chat", R"({"reason":"noisy line"})", "Sure, let's move to chat.");
    auto chat = answer(request(core::Channel::kVoice));
    EXPECT_EQ(chat.handoff, Handoff::kChat);
    EXPECT_EQ(chat.text, "Sure, let's move to chat.");

    fake_.reply_tool_call("escalate_to_chat", "{}");
    EXPECT_EQ(answer(request(core::Channel::kVoice)).text, "I'll continue with you by chat.");

    fake_.reply_tool_call("end_conversation", "{}");
    auto bye = answer(request(core::Channel::kVoice));
    EXPECT_EQ(bye.handoff, Handoff::kNone);
    EXPECT_TRUE(bye.end_conversation);
    EXPECT_EQ(bye.text, "Thank you for calling. Goodbye.");
    fake_.reply_tool_call("end_conversation", "{}");
    EXPECT_EQ(answer(request(core::Channel::kChat)).text, "Thank you for contacting us. Goodbye.");

    fake_.reply_tool_call("transfer_to_agent", "{reason: not json");
    EXPECT_EQ(answer(request()).handoff, Handoff::kAgent) << "the name is what counts";

    fake_.reply_tool_call("book_flight", R"({"to":"LIS"})", "Refunds take 5 days.");
    auto unknown = answer(request());
    EXPECT_EQ(unknown.handoff, Handoff::kNone);
    EXPECT_FALSE(unknown.end_conversation);
    EXPECT_EQ(unknown.text, "Refunds take 5 days.");

    fake_.reply_tool_call("book_flight", "{}");
    const auto nothing = failure(request(), options());
    EXPECT_EQ(nothing.code, ErrorCode::kVendor);
    EXPECT_EQ(nothing.message, "malformed chat completion: no answer text");
}

TEST_F(ChatResponderTest, AHandoffOutranksAGoodbyeInTheSameAnswer) {
    fake_.reply_raw(200, R"({"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[
        {"id":"a","type":"function","function":{"name":"end_conversation","arguments":"{}"}},
        {"id":"b","type":"function","function":{"name":"transfer_to_agent","arguments":"{}"}}]}}]})");
    const auto reply = answer(request());
    EXPECT_EQ(reply.handoff, Handoff::kAgent);
    EXPECT_FALSE(reply.end_conversation);
}

TEST_F(ChatResponderTest, ARefusedKeyMakesTheModelUnavailable) {
    auto wrong = options();
    wrong.api_key = "sk-wrong";
    const auto error = failure(request(), wrong);
    EXPECT_EQ(error.code, ErrorCode::kUnavailable);
    EXPECT_TRUE(error.message.starts_with("the chat model refused the API key (401)")) << error.message;
    EXPECT_EQ(detail(error, "vendor_code"), "invalid_api_key");
    EXPECT_EQ(detail(error, "status"), "401");
    EXPECT_EQ(fake_.requests().size(), 1u) << "a 401 is an answer, not retried";
}

TEST_F(ChatResponderTest, AServerErrorIsRetriedOnceThenReportedWithItsMessage) {
    const std::string overloaded =
        R"({"error":{"message":"The server is overloaded.\nPlease retry.","type":"server_error","code":null}})";
    fake_.reply_raw(503, overloaded);
    fake_.reply_text("Recovered [1].");
    EXPECT_EQ(answer(request()).text, "Recovered.");
    EXPECT_EQ(fake_.requests().size(), 2u);

    fake_.reply_raw(500, overloaded);
    fake_.reply_raw(500, overloaded);
    fake_.reply_text("never asked for");
    const auto error = failure(request(), options());
    EXPECT_EQ(error.code, ErrorCode::kVendor);
    EXPECT_EQ(error.message, "the chat model answered 500: The server is overloaded. Please retry.");
    EXPECT_EQ(detail(error, "vendor_type"), "server_error");
    EXPECT_EQ(fake_.requests().size(), 4u) << "one attempt and one retry";
}

TEST_F(ChatResponderTest, OtherRefusalsAndMalformedCompletionsAreVendorErrors) {
    fake_.reply_raw(404, R"({"error":"model \"llama3.1:8b\" not found, try pulling it first"})");
    auto missing = failure(request(), options());
    EXPECT_EQ(missing.code, ErrorCode::kVendor);
    EXPECT_EQ(missing.message, "the chat model answered 404: model \"llama3.1:8b\" not found, try pulling it first");

    const std::vector<std::pair<std::string, std::string>> bodies = {
        {"<html>ok</html>", "not JSON"},
        {R"({"choices":[]})", "no choices"},
        {R"({"choices":[{"message":{"role":"assistant","content":null}}]})", "neither content nor tool call"},
        {R"({"choices":[{"message":{"role":"assistant","content":"[1] [2]"}}]})", "no answer text"},
    };
    for (const auto& [body, what] : bodies) {
        fake_.reply_raw(200, body);
        const auto error = failure(request(), options());
        EXPECT_EQ(error.code, ErrorCode::kVendor) << body;
        EXPECT_EQ(error.message, "malformed chat completion: " + what) << body;
    }
}

TEST_F(ChatResponderTest, ASlowModelTimesOutWithinTheTimeout) {
    fake_.delay_next(Ms{10'000});
    auto quick = options();
    quick.timeout = Ms{200};
    const auto started = std::chrono::steady_clock::now();
    const auto error = failure(request(), quick);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(error.code, ErrorCode::kTimeout);
    EXPECT_EQ(detail(error, "vendor"), "openai");
    EXPECT_LT(elapsed, Ms{1'000}) << "the timeout bounds the retry too";
    EXPECT_EQ(fake_.requests().size(), 1u) << "no time was left for a retry";
}

TEST(ChatResponderUnitTest, BoundsTheCallByTheTimeoutAndNeverThrowsOnBadText) {
    FakeHttpClient http;
    http.replies.emplace_back(HttpResponse{200, {}, R"({"choices":[{"message":{"content":"Hola"}}]})", 1});
    ChatResponder responder({.base_url = "http://chat.test//", .timeout = Ms{400}}, http);
    EXPECT_EQ(responder.name(), "openai");
    auto asked = request();
    asked.utterance = "caf\xC3 \xFF?";
    asked.history = {{MessageAuthor::kCaller, "   "}, {MessageAuthor::kCaller, "bad \xC0"}};
    const auto result = responder.respond(asked);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->text, "Hola");

    ASSERT_EQ(http.requests.size(), 1u);
    const auto& sent = http.requests[0];
    EXPECT_EQ(sent.url, "http://chat.test/v1/chat/completions");
    EXPECT_EQ(sent.deadline, Ms{400});
    EXPECT_LE(sent.attempt_timeout, Ms{400});
    EXPECT_EQ(sent.retry.max_attempts, 2);
    for (const auto& [key, value] : sent.headers) EXPECT_NE(key, "Authorization");
    const json body = json::parse(sent.body);  // valid JSON: bad bytes were replaced
    EXPECT_EQ(body.at("model"), "llama3.1");
    ASSERT_EQ(body.at("messages").size(), 3u) << "the blank turn is left out";
    EXPECT_EQ(body.at("messages")[1].at("content"), "bad \xEF\xBF\xBD");
}

TEST(ChatResponderUnitTest, NothingToAnswerIsRefusedWithoutACall) {
    FakeHttpClient http;
    ChatResponder responder({.base_url = "http://chat.test"}, http);
    auto asked = request();
    asked.utterance = " \n";
    const auto result = responder.respond(asked);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_TRUE(http.requests.empty());
}

}  // namespace
}  // namespace crossvoice::openai
