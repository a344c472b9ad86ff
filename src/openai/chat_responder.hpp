#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/ports/assistant_responder.hpp"
#include "core/ports/http_client.hpp"

namespace crossvoice::openai {

struct ChatOptions {
    std::string base_url;  // "http://127.0.0.1:11434" (Ollama, vLLM, llama.cpp server, OpenAI), no trailing /
    std::optional<std::string> api_key;  // sent as a bearer token only when set and not empty
    std::string model = "llama3.1";
    // The whole answer, retry included: a caller is waiting on the line or in the chat window.
    std::chrono::milliseconds timeout{8000};
    double temperature = 0.2;
    int max_tokens = 300;
    std::size_t max_history_turns = 12;  // the most recent turns sent; older ones are dropped
    std::size_t max_passages = 4;        // the best passages sent as the model's knowledge
};

// SHANGO on an OpenAI-compatible POST {base}/v1/chat/completions: a system prompt with the persona, the
// channel's rule and the numbered knowledge passages, the recent history, and three tools the model may call
// (transfer_to_agent, escalate_to_chat, end_conversation). The answer's [n] markers become its sources.
//
// Errors: kUnavailable when the model refuses the API key (401/403) or cannot be reached, kTimeout when the
// deadline passes, kVendor for any other refusal or a malformed completion. Never throws. Thread-safe.
class ChatResponder final : public core::ports::AssistantResponder {
  public:
    ChatResponder(ChatOptions options, core::ports::HttpClient& http);
    std::string_view name() const override { return "openai"; }
    core::Result<core::AssistantReply> respond(const core::AssistantRequest& request) override;

  private:
    core::Result<core::AssistantReply> ask(const core::AssistantRequest& request);

    ChatOptions options_;
    core::ports::HttpClient& http_;
};

}  // namespace crossvoice::openai
