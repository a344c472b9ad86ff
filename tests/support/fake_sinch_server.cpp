#include "support/fake_sinch_server.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include <array>
#include <deque>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

constexpr std::string_view kAcceptedTime = "2026-11-24T09:30:00.456Z";  // fixed: tests compare, nobody reads it

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
    hex.pop_back();
    return hex;
}

// Sinch's API error shape (Google-style):
// {"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT","details":[]}}.
http::Response api_error(int status, int code, std::string message, std::string status_text) {
    return http::Response::json(status, json{{"error",
                                              {{"code", code},
                                               {"message", std::move(message)},
                                               {"status", std::move(status_text)},
                                               {"details", json::array()}}}}
                                            .dump());
}

http::Response invalid(std::string message) { return api_error(400, 400, std::move(message), "INVALID_ARGUMENT"); }

// The OAuth2 server's own shape: {"error":"invalid_client","error_description":"…"}.
http::Response oauth_error(int status, std::string_view error, std::string_view description) {
    return http::Response::json(status, json{{"error", error}, {"error_description", description}}.dump());
}

std::optional<std::string> form_value(std::string_view body, std::string_view name) {
    while (!body.empty()) {
        const auto amp = body.find('&');
        const auto pair = body.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && http::percent_decode(pair.substr(0, eq), true) == std::string(name)) {
            return http::percent_decode(pair.substr(eq + 1), true);
        }
        if (amp == std::string_view::npos) break;
        body.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

// The member `key` of `object` when `object` is an object that has it; else null.
const json* member(const json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

bool is_text(const json& object, std::string_view key) {
    const json* value = member(object, key);
    return value != nullptr && value->is_string() && !value->get_ref<const std::string&>().empty();
}

// What Sinch says about a messages:send body, or nothing when it would accept it.
std::optional<http::Response> send_refusal(const json& body, const std::string& app_id) {
    if (!body.is_object()) return invalid("Invalid JSON payload received.");
    if (!is_text(body, "app_id")) return invalid("app_id: must be set");
    if (body.at("app_id") != app_id) return api_error(404, 404, "App not found", "NOT_FOUND");
    const auto recipient = body.find("recipient");
    if (recipient == body.end() || !recipient->is_object()) return invalid("recipient: must be set");
    const json* identified = member(*recipient, "identified_by");
    if (identified != nullptr) {
        if (recipient->contains("contact_id")) return invalid("recipient: only one of contact_id, identified_by");
        const json* identities = member(*identified, "channel_identities");
        if (identities == nullptr || !identities->is_array() || identities->empty()) {
            return invalid("recipient.identified_by.channel_identities: must not be empty");
        }
        for (const json& identity : *identities) {
            if (!identity.is_object() || !is_text(identity, "channel") || !is_text(identity, "identity")) {
                return invalid("recipient.identified_by.channel_identities: each needs channel and identity");
            }
        }
    } else if (!is_text(*recipient, "contact_id")) {
        return invalid("recipient: one of contact_id, identified_by must be set");
    }
    const json* message = member(body, "message");
    const json* text_message = message != nullptr ? member(*message, "text_message") : nullptr;
    if (text_message == nullptr || !is_text(*text_message, "text")) {
        return invalid("message.text_message.text: must be set");
    }
    const auto order = body.find("channel_priority_order");
    if (order != body.end()) {
        if (!order->is_array()) return invalid("channel_priority_order: must be an array");
        for (const json& channel : *order) {
            if (!channel.is_string()) return invalid("channel_priority_order: must hold channel names");
        }
    }
    for (const char* key : {"callback_url", "correlation_id"}) {
        const auto it = body.find(key);
        if (it != body.end() && !it->is_string()) return invalid(std::string(key) + ": must be a string");
    }
    return std::nullopt;
}

struct ScriptedError {
    int status = 500;
    int code = 500;
    std::string message;
    std::string status_text;
};

}  // namespace

std::optional<std::string> FakeSinchRequest::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

std::optional<std::string> SignedSinchCallback::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

struct FakeSinchServer::State {
    explicit State(FakeSinchOptions o) : options(std::move(o)) {
        if (sodium_init() < 0) throw std::runtime_error("fake sinch server: libsodium failed to initialise");
        router.add({http::Method::kPost, "/oauth2/token", "", http::Access::kPublic, http::Execution::kWorker,
                    [this](http::RequestContext& context) -> http::HandlerResult { return token(context.request); }});
        router.add({http::Method::kPost, "/v1/projects/{project}/messages:send", "", http::Access::kPublic,
                    http::Execution::kWorker, [this](http::RequestContext& context) -> http::HandlerResult {
                        return send(context.request, std::string(context.param("project")));
                    }});
        server_options.port = 0;
        server_options.access_log = false;
        server_options.io_threads = 1;
        server_options.worker_threads = 4;
        server_options.drain_timeout = std::chrono::milliseconds(5'000);
        metrics = std::make_unique<http::RequestMetrics>(router);
        server = std::make_unique<http::Server>(server_options, router, pipeline, *metrics);
        auto bound = server->listen();
        if (!bound) throw std::runtime_error("fake sinch server: " + bound.error().message);
        port = *bound;
        runner = std::thread([this] { server->run(false); });
    }

    ~State() {
        server->shutdown();
        runner.join();
    }

    State(const State&) = delete;
    State& operator=(const State&) = delete;

    void record(const http::Request& request) {
        const std::lock_guard lock(mutex);
        log.push_back({std::string(http::to_string(request.method)), request.target, request.headers, request.body});
    }

    http::Response token(const http::Request& request) {
        record(request);
        const auto expected = "Basic " + base64(options.key_id + ":" + options.key_secret);
        if (request.header("authorization") != expected) {
            return oauth_error(401, "invalid_client", "Client authentication failed");
        }
        if (form_value(request.body, "grant_type") != "client_credentials") {
            return oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials");
        }
        std::string issued = "fake-token-" + random_hex(12);
        {
            const std::lock_guard lock(mutex);
            valid_tokens.insert(issued);
            ++issued_count;
        }
        return http::Response::json(200, json{{"access_token", issued},
                                              {"expires_in", options.token_lifetime.count()},
                                              {"scope", ""},
                                              {"token_type", "bearer"}}
                                             .dump());
    }

    http::Response send(const http::Request& request, const std::string& project) {
        record(request);
        const auto authorization = request.header("authorization");
        bool authorized = false;
        if (authorization && authorization->starts_with("Bearer ")) {
            const std::lock_guard lock(mutex);
            authorized = valid_tokens.contains(std::string(authorization->substr(7)));
        }
        if (!authorized) {
            return api_error(401, 401,
                             "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
                             "cookie or other valid authentication credential.",
                             "UNAUTHENTICATED");
        }
        if (project != options.project_id) return api_error(404, 404, "Project not found", "NOT_FOUND");
        const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
        if (auto refused = send_refusal(body, options.app_id)) return std::move(*refused);

        std::optional<ScriptedError> scripted;
        std::uint64_t number = 0;
        {
            const std::lock_guard lock(mutex);
            accepted.push_back(request.body);
            number = ++sent_count;
            if (!errors.empty()) {
                scripted = std::move(errors.front());
                errors.pop_front();
            }
        }
        if (scripted) return api_error(scripted->status, scripted->code, scripted->message, scripted->status_text);
        return http::Response::json(
            200, json{{"accepted_time", kAcceptedTime}, {"message_id", "01FAKEMSG" + std::to_string(number)}}.dump());
    }

    const FakeSinchOptions options;
    mutable std::mutex mutex;  // guards everything below it up to the server
    std::set<std::string> valid_tokens;
    std::size_t issued_count = 0;
    std::uint64_t sent_count = 0;
    std::deque<ScriptedError> errors;
    std::vector<FakeSinchRequest> log;
    std::vector<std::string> accepted;

    // The server last: its handlers read the members above.
    http::Router router;
    http::Pipeline pipeline{
        [](std::string_view) -> core::Result<core::Principal> { return core::Error::unauthorized("no keys here"); },
        [](core::AuditEntry) {}};
    http::ServerOptions server_options;
    std::unique_ptr<http::RequestMetrics> metrics;
    std::unique_ptr<http::Server> server;
    std::thread runner;
    std::uint16_t port = 0;
};

FakeSinchServer::FakeSinchServer(FakeSinchOptions options) : state_(std::make_unique<State>(std::move(options))) {}
FakeSinchServer::~FakeSinchServer() = default;

std::string FakeSinchServer::base_url() const { return "http://127.0.0.1:" + std::to_string(state_->port); }
std::string FakeSinchServer::auth_url() const { return base_url() + "/oauth2/token"; }
const FakeSinchOptions& FakeSinchServer::options() const { return state_->options; }

void FakeSinchServer::reply_error(int status, int code, std::string message, std::string status_text) {
    const std::lock_guard lock(state_->mutex);
    state_->errors.push_back({status, code, std::move(message), std::move(status_text)});
}

void FakeSinchServer::expire_tokens() {
    const std::lock_guard lock(state_->mutex);
    state_->valid_tokens.clear();
}

std::size_t FakeSinchServer::tokens_issued() const {
    const std::lock_guard lock(state_->mutex);
    return state_->issued_count;
}

std::vector<FakeSinchRequest> FakeSinchServer::requests() const {
    const std::lock_guard lock(state_->mutex);
    return state_->log;
}

std::vector<std::string> FakeSinchServer::sent() const {
    const std::lock_guard lock(state_->mutex);
    return state_->accepted;
}

std::string sinch_callback_body(const SinchCallbackSpec& spec) {
    const json identity{{"channel", spec.channel}, {"identity", spec.identity}, {"app_id", spec.app_id}};
    json callback{{"app_id", spec.app_id},
                  {"accepted_time", spec.event_time},
                  {"event_time", spec.event_time},
                  {"project_id", spec.project_id},
                  {"message_metadata", ""}};
    switch (spec.trigger) {
        case SinchTrigger::kMessageInbound: {
            const json said = spec.media_url ? json{{"media_message", {{"url", *spec.media_url}}}}
                                             : json{{"text_message", {{"text", spec.text}}}};
            callback["message"] = {{"id", spec.message_id},
                                   {"direction", "TO_APP"},
                                   {"contact_message", said},
                                   {"channel_identity", identity},
                                   {"conversation_id", spec.conversation_id},
                                   {"contact_id", spec.contact_id},
                                   {"metadata", ""},
                                   {"accept_time", spec.event_time}};
            break;
        }
        case SinchTrigger::kMessageDelivery: {
            json report{{"message_id", spec.message_id}, {"conversation_id", spec.conversation_id},
                        {"status", spec.status},         {"channel_identity", identity},
                        {"contact_id", spec.contact_id}, {"metadata", ""}};
            if (spec.reason_code || spec.reason_description) {
                report["reason"] = {{"code", spec.reason_code.value_or("UNKNOWN")},
                                    {"description", spec.reason_description.value_or("")},
                                    {"sub_code", "UNSPECIFIED_SUB_CODE"}};
            }
            callback["message_delivery_report"] = std::move(report);
            if (spec.correlation_id) callback["correlation_id"] = *spec.correlation_id;
            break;
        }
        case SinchTrigger::kEventInbound:
            callback["event"] = {{"id", spec.message_id},
                                 {"direction", "TO_APP"},
                                 {"contact_event", {{"composing_event", json::object()}}},
                                 {"channel_identity", identity},
                                 {"contact_id", spec.contact_id},
                                 {"conversation_id", spec.conversation_id},
                                 {"accept_time", spec.event_time}};
            break;
    }
    return callback.dump();
}

std::string sinch_callback_signature(const std::string& secret, const std::string& body, const std::string& nonce,
                                     const std::string& timestamp) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    const std::string signed_text = body + "." + nonce + "." + timestamp;
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(signed_text.data()),
                                  signed_text.size());
    crypto_auth_hmacsha256_final(&state, mac.data());
    return base64(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

SignedSinchCallback sign_sinch_callback(std::string body, const std::string& secret, std::int64_t unix_seconds,
                                        std::string nonce) {
    if (nonce.empty()) nonce = random_hex(16);
    const auto timestamp = std::to_string(unix_seconds);
    SignedSinchCallback callback;
    callback.headers = {{"content-type", "application/json"},
                        {"x-sinch-webhook-signature", sinch_callback_signature(secret, body, nonce, timestamp)},
                        {"x-sinch-webhook-signature-nonce", nonce},
                        {"x-sinch-webhook-signature-timestamp", timestamp},
                        {"x-sinch-webhook-signature-algorithm", "HmacSHA256"}};
    callback.body = std::move(body);
    return callback;
}

SignedSinchCallback make_sinch_callback(const SinchCallbackSpec& spec, const std::string& secret,
                                        std::int64_t unix_seconds) {
    return sign_sinch_callback(sinch_callback_body(spec), secret, unix_seconds);
}

}  // namespace crossvoice::testing
