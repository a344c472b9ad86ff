#include "sandbox/sandbox_messaging.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time_format.hpp"
#include "observability/logging.hpp"
#include "sandbox/random_ids.hpp"
#include "sandbox/request_fields.hpp"
#include "sandbox/task_thread.hpp"
#include "sandbox/telnyx_error.hpp"

namespace crossvoice::sandbox {
namespace {

using nlohmann::json;

constexpr int kMaxAttempts = 3;
constexpr std::size_t kMaxRemembered = 1000;
constexpr std::size_t kMaxTextBytes = 4096;
constexpr std::array<std::string_view, 8> kChannels{"SMS",       "WHATSAPP", "MESSENGER", "RCS",
                                                    "INSTAGRAM", "TELEGRAM", "VIBERBM",   "MMS"};

std::string vendor_channel(core::Channel channel) {
    switch (channel) {
        case core::Channel::kWhatsapp: return "WHATSAPP";
        case core::Channel::kChat: return "MESSENGER";
        default: return "SMS";
    }
}

std::string random_nonce() {
    std::array<unsigned char, 16> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::array<char, 33> hex{};
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    return std::string(hex.data());
}

}  // namespace

std::string sinch_signature(const std::string& secret, const std::string& body, const std::string& nonce,
                            const std::string& timestamp) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    const std::string message = body + "." + nonce + "." + timestamp;
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_final(&state, mac.data());
    std::array<char, sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)> out{};
    sodium_bin2base64(out.data(), out.size(), mac.data(), mac.size(), sodium_base64_VARIANT_ORIGINAL);
    return std::string(out.data());
}

struct SandboxMessaging::State {
    SandboxMessagingOptions options;
    core::ports::HttpClient& http;
    const core::Clock& clock;
    std::mutex mutex;  // guards sent and options.callback_url
    std::vector<json> sent;
    TaskThread deliveries{"sandbox-messages"};

    State(SandboxMessagingOptions o, core::ports::HttpClient& h, const core::Clock& c)
        : options(std::move(o)), http(h), clock(c) {}

    json envelope(json payload) const {
        const auto now = core::format_rfc3339(clock.now());
        payload["app_id"] = options.app_id;
        payload["project_id"] = "sandbox-project";
        payload["accepted_time"] = now;
        payload["event_time"] = now;
        if (!payload.contains("message_metadata")) payload["message_metadata"] = "";
        return payload;
    }

    // Posts one callback, signed afresh per attempt, retrying no answer and 5xx a few times.
    void deliver(const json& callback) {
        std::optional<std::string> url;
        {
            std::lock_guard lock(mutex);
            url = options.callback_url;
        }
        if (!url) {
            observability::logger("sandbox")->warn("sandbox messaging has no callback URL yet; callback dropped");
            return;
        }
        const auto body = callback.dump();
        for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
            const auto nonce = random_nonce();
            const auto timestamp = std::to_string(core::to_unix_ms(clock.now()) / 1000);
            core::ports::HttpRequest request;
            request.method = "POST";
            request.url = *url;
            request.body = body;
            request.headers = {{"Content-Type", "application/json"},
                               {"x-sinch-webhook-signature", sinch_signature(options.secret, body, nonce, timestamp)},
                               {"x-sinch-webhook-signature-nonce", nonce},
                               {"x-sinch-webhook-signature-timestamp", timestamp},
                               {"x-sinch-webhook-signature-algorithm", "HmacSHA256"}};
            request.retry.max_attempts = 1;
            auto response = http.send(request);
            if (response && response->status < 500) {
                if (response->status >= 300) {
                    observability::logger("sandbox")->warn("sandbox messaging callback answered HTTP {}",
                                                           response->status);
                }
                return;
            }
            if (!deliveries.pause(std::chrono::milliseconds(100 * attempt))) return;
        }
    }
};

SandboxMessaging::SandboxMessaging(SandboxMessagingOptions options, core::ports::HttpClient& http,
                                   const core::Clock& clock)
    : state_(std::make_unique<State>(std::move(options), http, clock)) {}

SandboxMessaging::~SandboxMessaging() { state_->deliveries.stop(); }

void SandboxMessaging::set_callback_url(std::string url) {
    std::lock_guard lock(state_->mutex);
    state_->options.callback_url = std::move(url);
}

core::Result<core::ports::SentMessage> SandboxMessaging::send(const core::ports::OutboundMessage& message) {
    if (message.to.empty()) return core::Error::validation("recipient", "the message has no recipient");
    if (message.text.empty()) return core::Error::validation("message", "the message has no text");
    const auto id = "sbx-" + random_uuid();
    const auto channel = vendor_channel(message.channel);
    const bool blocked = message.to.size() >= 4 && message.to.ends_with("4004");
    {
        std::lock_guard lock(state_->mutex);
        state_->sent.push_back({{"id", id},
                                {"to", message.to},
                                {"channel", channel},
                                {"text", message.text},
                                {"correlationId", message.message_id},
                                {"at", core::format_rfc3339(state_->clock.now())}});
        if (state_->sent.size() > kMaxRemembered) state_->sent.erase(state_->sent.begin());
    }
    json report{{"message_id", id},
                {"conversation_id", "sbx-conversation-" + message.to},
                {"status", blocked ? "FAILED" : "DELIVERED"},
                {"channel_identity", {{"channel", channel}, {"identity", message.to}, {"app_id", "sandbox-app"}}},
                {"contact_id", "sbx-contact-" + message.to}};
    if (blocked) report["reason"] = {{"code", "RECIPIENT_NOT_REACHABLE"}, {"description", "the number is blocked"}};
    auto* state = state_.get();
    auto callback = state->envelope({{"message_delivery_report", report}, {"correlation_id", message.message_id}});
    state->deliveries.post_after(state->options.delivery_delay, [state, callback] { state->deliver(callback); });
    return core::ports::SentMessage{"sinch", id};
}

void SandboxMessaging::add_routes(http::Router& router) {
    using http::Access;
    using http::Execution;
    using http::Method;
    using http::RequestContext;
    auto* state = state_.get();
    const auto& prefix = state->options.route_prefix;

    router.add({Method::kPost, prefix + "/sandbox/messages", "Sandbox: a customer writes (Sinch-shaped callback)",
                Access::kPublic, Execution::kInline, [state](RequestContext& context) -> http::HandlerResult {
                    context.audit.action = "sandbox.customer_message";
                    context.audit.recorded_elsewhere = true;  // the timeline records what customers wrote
                    auto body = json::parse(context.request.body, nullptr, false);
                    if (!body.is_object()) return render(invalid_json("The request body must be a JSON object."));
                    std::string from;
                    std::optional<std::string> channel;
                    std::optional<std::string> text;
                    std::optional<std::string> media;
                    std::optional<bool> typing;
                    RequestFields fields(body);
                    fields.required_text("from", from)
                        .text("channel", channel)
                        .fail_if(channel && std::find(kChannels.begin(), kChannels.end(), *channel) == kChannels.end(),
                                 invalid_parameter("/channel",
                                                   "'channel' must be SMS, WHATSAPP, MESSENGER, RCS, "
                                                   "INSTAGRAM, TELEGRAM, VIBERBM or MMS."))
                        .text("text", text)
                        .fail_if(text && text->size() > kMaxTextBytes,
                                 invalid_parameter("/text", "'text' is at most 4096 bytes."))
                        .text("mediaUrl", media)
                        .boolean("typing", typing)
                        .fail_if(!typing.value_or(false) && (!text || text->empty()) && !media,
                                 invalid_parameter("/text", "A message needs 'text' or 'mediaUrl'."));
                    if (!fields.ok()) return render(*fields.error());
                    const json identity{
                        {"channel", channel.value_or("SMS")}, {"identity", from}, {"app_id", state->options.app_id}};
                    const auto contact_id = "sbx-contact-" + from;
                    const auto conversation_id = "sbx-conversation-" + from;
                    json callback;
                    const auto id = "sbx-" + random_uuid();
                    if (typing.value_or(false)) {
                        callback = state->envelope({{"event",
                                                     {{"contact_event", {{"composing_event", json::object()}}},
                                                      {"channel_identity", identity},
                                                      {"contact_id", contact_id},
                                                      {"conversation_id", conversation_id}}}});
                    } else {
                        json said = media ? json{{"media_message", {{"url", *media}}}}
                                          : json{{"text_message", {{"text", *text}}}};
                        callback = state->envelope({{"message",
                                                     {{"id", id},
                                                      {"direction", "TO_APP"},
                                                      {"contact_message", said},
                                                      {"channel_identity", identity},
                                                      {"conversation_id", conversation_id},
                                                      {"contact_id", contact_id},
                                                      {"accept_time", core::format_rfc3339(state->clock.now())}}}});
                    }
                    state->deliveries.post([state, callback] { state->deliver(callback); });
                    return http::Response::json(202, json{{"data", {{"id", id}, {"queued", true}}}}.dump());
                }});
    router.add({Method::kGet, prefix + "/sandbox/messages", "Sandbox: messages sent to customers", Access::kPublic,
                Execution::kInline, [state](RequestContext&) -> http::HandlerResult {
                    std::lock_guard lock(state->mutex);
                    return http::Response::json(200, json{{"data", state->sent}}.dump());
                }});
}

}  // namespace crossvoice::sandbox
