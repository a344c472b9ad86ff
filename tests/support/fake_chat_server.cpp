#include "support/fake_chat_server.hpp"

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

constexpr std::size_t kEchoBytes = 60;
constexpr long long kCreated = 1'735'689'600;  // 2025-01-01T00:00:00Z: a fixed, plausible `created`

struct ScriptedReply {
    enum class Kind { kText, kToolCall, kRaw } kind = Kind::kText;
    std::string content;
    std::string tool_name;
    std::string arguments;
    int status = 200;
    std::string raw_body;

    static ScriptedReply text(std::string content) {
        ScriptedReply reply;
        reply.content = std::move(content);
        return reply;
    }
    static ScriptedReply tool_call(std::string name, std::string arguments, std::string content) {
        ScriptedReply reply;
        reply.kind = Kind::kToolCall;
        reply.tool_name = std::move(name);
        reply.arguments = std::move(arguments);
        reply.content = std::move(content);
        return reply;
    }
    static ScriptedReply raw(int status, std::string body) {
        ScriptedReply reply;
        reply.kind = Kind::kRaw;
        reply.status = status;
        reply.raw_body = std::move(body);
        return reply;
    }
};

http::Response openai_error(int status, std::string message, std::string_view type, std::optional<std::string> code) {
    json error{{"message", std::move(message)}, {"type", type}, {"param", nullptr}, {"code", nullptr}};
    if (code) error["code"] = *code;
    return http::Response::json(status, json{{"error", std::move(error)}}.dump());
}

// Cut at `limit` bytes without splitting a UTF-8 character, so that the echo stays valid JSON text.
std::string clip(const std::string& text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut);
}

// The request as OpenAI checks it, or the 400 it answers.
std::optional<http::Response> refusal(const json& body) {
    if (!body.is_object())
        return openai_error(400, "We could not parse the JSON body of your request.", "invalid_request_error",
                            std::nullopt);
    const auto model = body.find("model");
    if (model == body.end() || !model->is_string() || model->get_ref<const std::string&>().empty()) {
        return openai_error(400, "you must provide a model parameter", "invalid_request_error", std::nullopt);
    }
    const auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array() || messages->empty()) {
        return openai_error(400, "[] is too short - 'messages'", "invalid_request_error", std::nullopt);
    }
    for (const json& message : *messages) {
        const auto role = message.is_object() ? message.find("role") : message.end();
        const auto content = message.is_object() ? message.find("content") : message.end();
        if (!message.is_object() || role == message.end() || !role->is_string() || content == message.end() ||
            !content->is_string()) {
            return openai_error(400, "Invalid 'messages': each message needs a role and string content.",
                                "invalid_request_error", std::nullopt);
        }
    }
    return std::nullopt;
}

std::string last_user_message(const json& body) {
    const auto& messages = body.at("messages");
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
        if (it->at("role") == "user") return it->at("content").get<std::string>();
    }
    return {};
}

http::Response completion(const json& body, const ScriptedReply& reply, std::uint64_t number) {
    json message{{"role", "assistant"}, {"content", reply.content}};
    std::string finish_reason = "stop";
    if (reply.kind == ScriptedReply::Kind::kToolCall) {
        if (reply.content.empty()) message["content"] = nullptr;
        message["tool_calls"] =
            json::array({{{"id", "call_" + std::to_string(number)},
                          {"type", "function"},
                          {"function", {{"name", reply.tool_name}, {"arguments", reply.arguments}}}}});
        finish_reason = "tool_calls";
    }
    const json answer{
        {"id", "chatcmpl-fake" + std::to_string(number)},
        {"object", "chat.completion"},
        {"created", kCreated},
        {"model", body.at("model")},
        {"system_fingerprint", "fp_fake"},
        {"choices", json::array({{{"index", 0},
                                  {"message", std::move(message)},
                                  {"logprobs", nullptr},
                                  {"finish_reason", finish_reason}}})},
        {"usage", {{"prompt_tokens", 100}, {"completion_tokens", 20}, {"total_tokens", 120}}},
    };
    return http::Response::json(200, answer.dump());
}

}  // namespace

std::optional<std::string> FakeChatRequest::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

struct FakeChatServer::State {
    explicit State(std::optional<std::string> key) : api_key(std::move(key)) {
        router.add({http::Method::kPost, "/v1/chat/completions", "", http::Access::kPublic, http::Execution::kWorker,
                    [this](http::RequestContext& context) -> http::HandlerResult { return handle(context.request); }});
        options.port = 0;
        options.access_log = false;
        options.io_threads = 1;
        options.worker_threads = 4;
        options.drain_timeout = std::chrono::milliseconds(5'000);
        metrics = std::make_unique<http::RequestMetrics>(router);
        server = std::make_unique<http::Server>(options, router, pipeline, *metrics);
        auto bound = server->listen();
        if (!bound) throw std::runtime_error("fake chat server: " + bound.error().message);
        port = *bound;
        runner = std::thread([this] { server->run(false); });
    }

    ~State() {
        {
            const std::lock_guard lock(mutex);
            stopping = true;
        }
        released.notify_all();
        server->shutdown();
        runner.join();
    }

    State(const State&) = delete;
    State& operator=(const State&) = delete;

    http::Response handle(const http::Request& request) {
        {
            const std::lock_guard lock(mutex);
            log.push_back(
                {std::string(http::to_string(request.method)), request.target, request.headers, request.body});
        }
        if (api_key && request.header("authorization") != "Bearer " + *api_key) {
            return openai_error(401,
                                "Incorrect API key provided. You can find your API key at "
                                "https://platform.openai.com/account/api-keys.",
                                "invalid_request_error", "invalid_api_key");
        }
        const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
        if (auto refused = refusal(body)) return std::move(*refused);

        std::optional<std::chrono::milliseconds> delay;
        std::optional<ScriptedReply> scripted;
        std::uint64_t number = 0;
        {
            const std::lock_guard lock(mutex);
            number = ++answered;
            if (!delays.empty()) {
                delay = delays.front();
                delays.pop_front();
            }
            if (!replies.empty()) {
                scripted = std::move(replies.front());
                replies.pop_front();
            }
        }
        if (delay) {
            // Held like a slow model, but released at once when the fake shuts down.
            std::unique_lock lock(mutex);
            released.wait_for(lock, *delay, [this] { return stopping; });
        }
        if (!scripted) scripted = ScriptedReply::text("You said: " + clip(last_user_message(body), kEchoBytes));
        if (scripted->kind == ScriptedReply::Kind::kRaw)
            return http::Response::json(scripted->status, scripted->raw_body);
        return completion(body, *scripted, number);
    }

    void push(ScriptedReply reply) {
        const std::lock_guard lock(mutex);
        replies.push_back(std::move(reply));
    }

    const std::optional<std::string> api_key;
    mutable std::mutex mutex;
    std::condition_variable released;
    bool stopping = false;
    std::deque<ScriptedReply> replies;
    std::deque<std::chrono::milliseconds> delays;
    std::vector<FakeChatRequest> log;
    std::uint64_t answered = 0;

    // The server last: its handler reads the members above.
    http::Router router;
    http::Pipeline pipeline{
        [](std::string_view) -> core::Result<core::Principal> { return core::Error::unauthorized("no keys here"); },
        [](core::AuditEntry) {}};
    http::ServerOptions options;
    std::unique_ptr<http::RequestMetrics> metrics;
    std::unique_ptr<http::Server> server;
    std::thread runner;
    std::uint16_t port = 0;
};

FakeChatServer::FakeChatServer(std::optional<std::string> api_key)
    : state_(std::make_unique<State>(std::move(api_key))) {}
FakeChatServer::~FakeChatServer() = default;

std::string FakeChatServer::base_url() const { return "http://127.0.0.1:" + std::to_string(state_->port); }

void FakeChatServer::reply_text(std::string content) { state_->push(ScriptedReply::text(std::move(content))); }

void FakeChatServer::reply_tool_call(std::string name, std::string arguments_json, std::string content) {
    state_->push(ScriptedReply::tool_call(std::move(name), std::move(arguments_json), std::move(content)));
}

void FakeChatServer::reply_raw(int status, std::string body) {
    state_->push(ScriptedReply::raw(status, std::move(body)));
}

void FakeChatServer::delay_next(std::chrono::milliseconds delay) {
    const std::lock_guard lock(state_->mutex);
    state_->delays.push_back(delay);
}

std::vector<FakeChatRequest> FakeChatServer::requests() const {
    const std::lock_guard lock(state_->mutex);
    return state_->log;
}

}  // namespace crossvoice::testing
