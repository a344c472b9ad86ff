#include "openai/chat_reply.hpp"
#include "support/error_detail.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crossvoice::openai {
namespace {

using core::ErrorCode;

using crossvoice::testing::detail;

void expect_malformed(std::string_view body, std::string_view what) {
    const auto result = parse_chat_completion(body);
    ASSERT_FALSE(result.ok()) << body;
    EXPECT_EQ(result.error().code, ErrorCode::kVendor) << body;
    EXPECT_EQ(result.error().message, "malformed chat completion: " + std::string(what)) << body;
}

// As OpenAI documents it (POST /v1/chat/completions, non-streaming).
constexpr std::string_view kOpenAiText = R"({
  "id": "chatcmpl-123", "object": "chat.completion", "created": 1677652288, "model": "gpt-4o-mini",
  "system_fingerprint": "fp_44709d6fcb",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "\n\nRefunds take five days [1].",
               "refusal": null}, "logprobs": null, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21}
})";

constexpr std::string_view kOpenAiToolCalls = R"({
  "id": "chatcmpl-abc", "object": "chat.completion", "created": 1699896916, "model": "gpt-4o-mini",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [
      {"id": "call_1", "type": "function", "function": {"name": "transfer_to_agent",
                                                        "arguments": "{\"reason\": \"wants a person\"}"}},
      {"id": "call_2", "type": "function", "function": {"name": "end_conversation", "arguments": "{reason:"}}]},
    "logprobs": null, "finish_reason": "tool_calls"}]
})";

TEST(ParseChatCompletionTest, ReadsOpenAiTextContent) {
    const auto result = parse_chat_completion(kOpenAiText);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->content, "\n\nRefunds take five days [1].") << "shaping the text is the responder's job";
    EXPECT_TRUE(result->tool_names.empty());
}

TEST(ParseChatCompletionTest, ReadsToolCallNamesWhateverTheirArguments) {
    const auto result = parse_chat_completion(kOpenAiToolCalls);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->content, "");
    EXPECT_EQ(result->tool_names, (std::vector<std::string>{"transfer_to_agent", "end_conversation"}));
}

TEST(ParseChatCompletionTest, ToleratesWhatCompatibleServersVary) {
    // Content as typed parts; only text parts count.
    auto parts = parse_chat_completion(R"({"choices":[{"message":{"content":[
        {"type":"text","text":"Hello "},{"type":"image_url","image_url":{}},{"type":"text","text":"there"},7]}}]})");
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    EXPECT_EQ(parts->content, "Hello there");

    // The legacy function_call, and tool calls that are not all well-formed.
    auto legacy = parse_chat_completion(
        R"({"choices":[{"message":{"content":"","function_call":{"name":"escalate_to_chat","arguments":"{}"}}}]})");
    ASSERT_TRUE(legacy.ok()) << legacy.error().message;
    EXPECT_EQ(legacy->tool_names, std::vector<std::string>{"escalate_to_chat"});

    auto odd_calls = parse_chat_completion(R"({"choices":[{"message":{"content":"Ok","tool_calls":[
        "junk", {"function":{"name":7}}, {"function":{"name":""}}, {"function":"x"},
        {"type":"function","function":{"name":"end_conversation"}}]}}]})");
    ASSERT_TRUE(odd_calls.ok()) << odd_calls.error().message;
    EXPECT_EQ(odd_calls->content, "Ok");
    EXPECT_EQ(odd_calls->tool_names, std::vector<std::string>{"end_conversation"});

    // Only the first choice counts.
    auto two =
        parse_chat_completion(R"({"choices":[{"message":{"content":"first"}},{"message":{"content":"second"}}]})");
    ASSERT_TRUE(two.ok());
    EXPECT_EQ(two->content, "first");
}

TEST(ParseChatCompletionTest, RefusesWhatIsNotACompletion) {
    expect_malformed("", "not JSON");
    expect_malformed("<html>502 Bad Gateway</html>", "not JSON");
    expect_malformed(R"({"choices":[)", "not JSON");
    expect_malformed(R"(["choices"])", "not a JSON object");
    expect_malformed(R"({"object":"chat.completion"})", "no choices");
    expect_malformed(R"({"choices":{}})", "no choices");
    expect_malformed(R"({"choices":[]})", "no choices");
    expect_malformed(R"({"choices":["text"]})", "the first choice is not an object");
    expect_malformed(R"({"choices":[{"text":"legacy completions shape"}]})", "no message");
    expect_malformed(R"({"choices":[{"message":"hi"}]})", "no message");
    expect_malformed(R"({"choices":[{"message":{"role":"assistant","content":null}}]})",
                     "neither content nor tool call");
    expect_malformed(R"({"choices":[{"message":{"content":" \n\t "}}]})", "neither content nor tool call");
    expect_malformed(R"({"choices":[{"message":{"content":7,"tool_calls":[{"function":{}}]}}]})",
                     "neither content nor tool call");
}

TEST(ParseChatCompletionTest, KeepsTheMessageOfAnErrorSentWithStatus200) {
    const auto result = parse_chat_completion(
        R"({"error":{"message":"model \"llama9\" not found,\ntry pulling it first","type":"api_error"}})");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message, "malformed chat completion: no choices");
    EXPECT_EQ(detail(result.error(), "vendor_message"), "model \"llama9\" not found, try pulling it first");
}

TEST(StripCitationsTest, RemovesMarkersAndCollectsThePassagesCited) {
    const auto cited = strip_citations("Refunds take 5 days [2]. Ask online [1][2] or by phone [3, 1].", 3);
    EXPECT_EQ(cited.text, "Refunds take 5 days. Ask online or by phone.");
    EXPECT_EQ(cited.cited, (std::vector<std::size_t>{1, 0, 2}));
}

TEST(StripCitationsTest, MarkersNamingNoPassageSentAreRemovedButNotCited) {
    const auto cited = strip_citations("[1] Refunds take 5 days [7].\n[4]Plans start at $5 [12 ,  2 ].", 2);
    EXPECT_EQ(cited.text, "Refunds take 5 days.\nPlans start at $5.");
    EXPECT_EQ(cited.cited, (std::vector<std::size_t>{0, 1}));
}

TEST(StripCitationsTest, LeavesBracketsThatAreNotMarkers) {
    for (const std::string_view text :
         {"Press [0] for help", "See [note] and [1a]", "In [2024] we", "[1,]", "[ ]", "Unclosed [1", "Array a[i]"}) {
        const auto cited = strip_citations(text, 9);
        EXPECT_EQ(cited.text, text);
        EXPECT_TRUE(cited.cited.empty()) << text;
    }
    EXPECT_EQ(strip_citations("days[1]and", 1).text, "days and");
    EXPECT_EQ(strip_citations("  [1]  ", 1).text, "");
}

TEST(SpeakableTest, RemovesMarkdownAndJoinsLines) {
    EXPECT_EQ(speakable("## Refunds\n**Refunds** take `5` _business_ days:\n- online\n* by phone\n> quoted"),
              "Refunds Refunds take 5 business days: online by phone quoted");
    EXPECT_EQ(speakable("See [the refund page](https://example.com/refunds) for your order_id."),
              "See the refund page for your order_id.");
    EXPECT_EQ(speakable("  one\t\ttwo \r\n\n three  "), "one two three");
    EXPECT_EQ(speakable("\xE2\x80\xA2 Caf\xC3\xA9 ouvert"), "Caf\xC3\xA9 ouvert");
    EXPECT_EQ(speakable(""), "");
}

}  // namespace
}  // namespace crossvoice::openai
