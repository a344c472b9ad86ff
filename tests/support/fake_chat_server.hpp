#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crossvoice::testing {

// One request as FakeChatServer received it.
struct FakeChatRequest {
    std::string method;
    std::string target;                                        // path and query, as sent
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::string body;                                          // the JSON body as sent (parse it to look inside)

    std::optional<std::string> header(const std::string& name) const;  // `name` in lower case
};

// An OpenAI-compatible POST /v1/chat/completions on a loopback port. `Authorization: Bearer <api_key>` is
// required when a key is configured (401 in OpenAI's {"error":{message,type,param,code}} shape otherwise);
// a body that is not a JSON object with a `model` string and a non-empty `messages` array of
// {role, content} objects gets 400 in the same shape. A good request gets the next scripted reply as a
// chat.completion object (id, object, created, model, choices[0].message with content and/or tool_calls,
// finish_reason, usage), or, when nothing is scripted, "You said: <the last user message, cut at 60 bytes>".
// Refused requests are logged but consume neither scripted replies nor delays.
//
// Thread-safe. The server runs until the object is destroyed; a delayed request is released then.
class FakeChatServer {
  public:
    explicit FakeChatServer(std::optional<std::string> api_key = std::nullopt);
    ~FakeChatServer();
    FakeChatServer(const FakeChatServer&) = delete;
    FakeChatServer& operator=(const FakeChatServer&) = delete;

    std::string base_url() const;  // "http://127.0.0.1:<port>"

    // Scripted replies, answered in order, one per good request.
    void reply_text(std::string content);
    // One tool call (type "function", `arguments` sent as given: a JSON string, well-formed or not) with
    // `content` beside it (null when empty, as OpenAI sends it); finish_reason "tool_calls".
    void reply_tool_call(std::string name, std::string arguments_json, std::string content = "");
    // This status and body as they are (errors, malformed completions).
    void reply_raw(int status, std::string body);
    // The next good request is answered only after this long (or when the fake is destroyed).
    void delay_next(std::chrono::milliseconds delay);

    std::vector<FakeChatRequest> requests() const;

    struct State;

  private:
    std::unique_ptr<State> state_;
};

}  // namespace crossvoice::testing
