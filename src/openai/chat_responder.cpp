#include "openai/chat_responder.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/printable.hpp"
#include "openai/chat_reply.hpp"

namespace crossvoice::openai {
namespace {

using nlohmann::json;
using Ms = std::chrono::milliseconds;

constexpr std::size_t kMaxPassageBytes = 2'000;  // a long section would crowd out the rest of the prompt
constexpr std::size_t kMaxVendorMessage = 300;
constexpr std::size_t kMaxResponseBytes = 2 * 1024 * 1024;  // a few hundred tokens are a few KiB

constexpr std::string_view kVoiceRule =
    "Answer in one or two short plain sentences that can be read aloud; no markdown, lists or URLs.";
constexpr std::string_view kChatRule =
    "You may answer in a few short sentences or a short list when that helps, but stay concise and write plain "
    "text.";

constexpr std::string_view kAgentTool = "transfer_to_agent";
constexpr std::string_view kChatTool = "escalate_to_chat";
constexpr std::string_view kEndTool = "end_conversation";

// Both levels of the confidence are judgements, not measurements: the model's words cannot be checked against
// the passages here. An answer that cites a passage it was given is grounded in our own knowledge base (0.8,
// not 1: the model may still paraphrase it wrongly); one that cites none, or had none to cite, may come from
// the model's general knowledge and is no better than the knowledge-base responder's guess (0.5).
constexpr double kCitedConfidence = 0.8;
constexpr double kUncitedConfidence = 0.5;

bool is_success(int status) { return status >= 200 && status < 300; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// At most `limit` bytes, cut before a UTF-8 character rather than inside one.
std::string clip(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut)) + "...";
}

std::string system_prompt(const core::AssistantRequest& request, std::size_t passage_count) {
    const auto& persona = request.persona;
    const std::string_view name = trim(persona.name);
    std::string prompt =
        name.empty() || name == "SHANGO"
            ? fmt::format("You are SHANGO, the AI assistant of the {} platform.", core::to_string(request.platform))
            : fmt::format("You are {}, a persona of SHANGO, the AI assistant of the {} platform.", name,
                          core::to_string(request.platform));
    std::string_view tone = trim(persona.tone);
    while (tone.ends_with('.')) tone.remove_suffix(1);
    if (!tone.empty()) prompt += fmt::format("\nYour tone: {}.", tone);
    if (!trim(persona.scope).empty()) prompt += fmt::format("\nYou help with: {}", trim(persona.scope));
    const bool voice = request.channel == core::Channel::kVoice;
    prompt += voice ? "\nThe customer is on a phone call.\n" : "\nThe customer is writing to you.\n";
    prompt += voice ? kVoiceRule : kChatRule;
    prompt +=
        "\nAnswer only from the numbered knowledge passages below, and cite each passage you use by its number in "
        "square brackets, like [1]. If they do not hold the answer, say so briefly and offer to connect the "
        "customer with a person; never invent facts, prices or policies."
        "\nCall transfer_to_agent when the customer asks for a person or you cannot help, escalate_to_chat when "
        "the customer would rather continue by text chat, and end_conversation when the customer says goodbye or "
        "needs nothing more.";

    prompt += "\n\nKnowledge passages:";
    if (passage_count == 0) prompt += " none were found for this question.";
    for (std::size_t i = 0; i < passage_count; ++i) {
        const auto& passage = request.passages[i];
        const std::string_view heading = trim(passage.heading).empty() ? trim(passage.document) : trim(passage.heading);
        prompt += fmt::format("\n[{}] {}: {} (id: {})", i + 1, heading, clip(trim(passage.text), kMaxPassageBytes),
                              passage.id);
    }
    const std::string_view language = trim(request.language).empty() ? "en" : trim(request.language);
    prompt += fmt::format("\n\nAnswer in the language whose ISO 639-1 code is \"{}\".", language);
    return prompt;
}

json history_messages(const std::vector<core::AssistantTurn>& history, std::size_t limit) {
    std::vector<const core::AssistantTurn*> turns;
    for (const auto& turn : history) {
        if (!trim(turn.text).empty()) turns.push_back(&turn);
    }
    const std::size_t skip = turns.size() > limit ? turns.size() - limit : 0;
    json messages = json::array();
    for (std::size_t i = skip; i < turns.size(); ++i) {
        const auto& turn = *turns[i];
        const std::string text(trim(turn.text));
        // The model speaks as the assistant; what a person agent or the system said is shown in the same
        // voice but marked, so that the model neither forgets it nor claims it.
        switch (turn.author) {
            case core::MessageAuthor::kCaller: messages.push_back({{"role", "user"}, {"content", text}}); break;
            case core::MessageAuthor::kAssistant: messages.push_back({{"role", "assistant"}, {"content", text}}); break;
            case core::MessageAuthor::kAgent:
                messages.push_back({{"role", "assistant"}, {"content", "(agent) " + text}});
                break;
            case core::MessageAuthor::kSystem:
                messages.push_back({{"role", "assistant"}, {"content", "(system) " + text}});
                break;
        }
    }
    return messages;
}

json function_tool(std::string_view name, std::string_view description, bool with_reason) {
    json parameters{{"type", "object"}, {"properties", json::object()}};
    if (with_reason) {
        parameters["properties"]["reason"] = {{"type", "string"},
                                              {"description", "Why, in a few words, for the person who takes over."}};
        parameters["required"] = json::array({"reason"});
    }
    return {{"type", "function"},
            {"function", {{"name", name}, {"description", description}, {"parameters", std::move(parameters)}}}};
}

json tools() {
    return json::array({
        function_tool(kAgentTool, "Hand the conversation to a human agent.", true),
        function_tool(kChatTool, "Continue the conversation by text chat instead of voice.", true),
        function_tool(kEndTool, "End the conversation: the customer said goodbye or needs nothing more.", false),
    });
}

std::string request_body(const core::AssistantRequest& request, const ChatOptions& options, std::size_t passage_count) {
    json messages = json::array();
    messages.push_back({{"role", "system"}, {"content", system_prompt(request, passage_count)}});
    for (auto& message : history_messages(request.history, options.max_history_turns)) {
        messages.push_back(std::move(message));
    }
    messages.push_back({{"role", "user"}, {"content", std::string(trim(request.utterance))}});
    const json body{
        {"model", options.model}, {"messages", std::move(messages)},    {"tools", tools()},
        {"tool_choice", "auto"},  {"temperature", options.temperature}, {"max_tokens", options.max_tokens},
        {"stream", false},
    };
    // Callers' words and knowledge text may hold invalid UTF-8; it is replaced rather than thrown over.
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

core::Error map_error(int status, std::string_view body) {
    const json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    std::optional<std::string> message;
    std::optional<std::string> type;
    std::optional<std::string> code;
    const auto string_of = [](const json& object, std::string_view key) -> std::optional<std::string> {
        const auto it = object.find(key);
        if (it == object.end() || !it->is_string()) return std::nullopt;
        return it->get<std::string>();
    };
    if (document.is_object()) {
        const auto error = document.find("error");
        if (error != document.end() && error->is_object()) {  // OpenAI: {"error":{message, type, param, code}}
            message = string_of(*error, "message");
            type = string_of(*error, "type");
            code = string_of(*error, "code");
        } else if (error != document.end() && error->is_string()) {  // Ollama, llama.cpp
            message = error->get<std::string>();
        } else {
            message = string_of(document, "detail");  // FastAPI-based servers (vLLM)
        }
    }
    const std::string said = core::printable(message.value_or(std::string(body)), kMaxVendorMessage);

    const bool refused_key = status == 401 || status == 403;
    std::string text = refused_key ? fmt::format("the chat model refused the API key ({})", status)
                                   : fmt::format("the chat model answered {}", status);
    if (!said.empty()) text += ": " + said;
    core::Error result{refused_key ? core::ErrorCode::kUnavailable : core::ErrorCode::kVendor,
                       std::move(text),
                       {{"vendor", "openai"}, {"status", std::to_string(status)}}};
    if (!said.empty()) result = std::move(result).with("vendor_message", said);
    if (type) result = std::move(result).with("vendor_type", core::printable(*type, 100));
    if (code) result = std::move(result).with("vendor_code", core::printable(*code, 100));
    return result;
}

// What to say when the model only called a tool: the caller must still hear why the line changes.
std::string_view default_text(core::Handoff handoff, bool end, core::Channel channel) {
    if (handoff == core::Handoff::kAgent) return "Let me connect you with a person who can help.";
    if (handoff == core::Handoff::kChat) return "I'll continue with you by chat.";
    if (end) {
        return channel == core::Channel::kVoice ? "Thank you for calling. Goodbye."
                                                : "Thank you for contacting us. Goodbye.";
    }
    return {};
}

}  // namespace

ChatResponder::ChatResponder(ChatOptions options, core::ports::HttpClient& http)
    : options_(std::move(options)), http_(http) {
    while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
}

core::Result<core::AssistantReply> ChatResponder::respond(const core::AssistantRequest& request) {
    try {
        return ask(request);
    } catch (const std::exception& error) {
        return core::Error::internal(std::string("chat responder: ") + error.what()).with("vendor", "openai");
    }
}

core::Result<core::AssistantReply> ChatResponder::ask(const core::AssistantRequest& request) {
    if (trim(request.utterance).empty()) return core::Error::validation("utterance", "there is nothing to answer");
    const std::size_t passage_count = std::min(request.passages.size(), options_.max_passages);

    core::ports::HttpRequest http_request;
    http_request.method = "POST";
    http_request.url = options_.base_url + "/v1/chat/completions";
    http_request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    if (options_.api_key && !options_.api_key->empty()) {
        http_request.headers.emplace_back("Authorization", "Bearer " + *options_.api_key);
    }
    http_request.body = request_body(request, options_, passage_count);
    // One retry for a lost connection or a 5xx, but the caller is waiting live: the timeout bounds both tries
    // and the pause between them. Asking again has no effect beyond the cost of the tokens.
    const Ms timeout = std::max(options_.timeout, Ms{1});
    http_request.deadline = timeout;
    http_request.attempt_timeout = timeout;
    http_request.connect_timeout = std::min(timeout, Ms{3'000});
    http_request.retry.max_attempts = 2;
    http_request.retry.retry_if_maybe_processed = true;
    http_request.retry.base_delay = Ms{100};
    http_request.retry.max_delay = Ms{500};
    http_request.max_response_bytes = kMaxResponseBytes;

    auto response = http_.send(http_request);
    if (!response) return std::move(response).error().with("vendor", "openai");
    if (!is_success(response->status)) return map_error(response->status, response->body);

    auto parsed = parse_chat_completion(response->body);
    if (!parsed) return std::move(parsed).error();

    core::AssistantReply reply;
    reply.persona = request.persona.id;
    reply.intent = request.intent;
    reply.responder = "openai";
    // The first handoff named wins; a handoff keeps the conversation going (with someone else), so it
    // overrides a goodbye in the same answer. Names we did not offer are ignored.
    for (const auto& tool : parsed->tool_names) {
        if (tool == kAgentTool && reply.handoff == core::Handoff::kNone) reply.handoff = core::Handoff::kAgent;
        if (tool == kChatTool && reply.handoff == core::Handoff::kNone) reply.handoff = core::Handoff::kChat;
        if (tool == kEndTool) reply.end_conversation = true;
    }
    if (reply.handoff != core::Handoff::kNone) reply.end_conversation = false;

    auto cited = strip_citations(parsed->content, passage_count);
    reply.text = request.channel == core::Channel::kVoice ? speakable(cited.text) : std::move(cited.text);
    if (reply.text.empty()) reply.text = default_text(reply.handoff, reply.end_conversation, request.channel);
    if (reply.text.empty()) {
        return core::Error{
            core::ErrorCode::kVendor, "malformed chat completion: no answer text", {{"vendor", "openai"}}};
    }

    for (const std::size_t index : cited.cited) reply.sources.push_back(request.passages[index].id);
    if (reply.sources.empty()) {
        for (std::size_t i = 0; i < passage_count; ++i) reply.sources.push_back(request.passages[i].id);
    }
    reply.confidence = passage_count > 0 && !cited.cited.empty() ? kCitedConfidence : kUncitedConfidence;
    return reply;
}

}  // namespace crossvoice::openai
