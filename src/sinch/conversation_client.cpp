#include "sinch/conversation_client.hpp"

#include <utility>

#include "sinch/send_body.hpp"
#include "sinch/send_reply.hpp"

namespace crossvoice::sinch {
namespace {

bool is_success(int status) { return status >= 200 && status < 300; }

// One path segment: unreserved characters stay, every other byte is %XX, so a project id can never add a
// segment, start a query or smuggle an escape.
std::string path_segment(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        const bool plain = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                           (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' || byte == '~';
        if (plain) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0f]);
        }
    }
    return out;
}

OAuthSettings oauth_settings(const ConversationConfig& config) {
    OAuthSettings settings;
    settings.token_url = config.auth_url;
    settings.key_id = config.key_id;
    settings.key_secret = config.key_secret;
    settings.connect_timeout = config.connect_timeout;
    settings.attempt_timeout = config.attempt_timeout;
    settings.deadline = config.deadline;
    settings.retry = config.retry;
    settings.retry.retry_if_maybe_processed = true;  // a token request changes nothing: safe to repeat
    return settings;
}

}  // namespace

SinchConversationClient::SinchConversationClient(ConversationConfig config, core::ports::HttpClient& http,
                                                 const core::Clock& clock)
    : config_(std::move(config)), http_(http), tokens_(oauth_settings(config_), http, clock) {
    while (config_.base_url.ends_with('/')) config_.base_url.pop_back();
    send_url_ = config_.base_url + "/v1/projects/" + path_segment(config_.project_id) + "/messages:send";
}

core::Result<core::ports::SentMessage> SinchConversationClient::send(const core::ports::OutboundMessage& message) {
    auto body = send_body(config_, message);
    if (!body) return std::move(body).error();
    auto response = post(*body);
    if (!response) return std::move(response).error();
    if (!is_success(response->status)) return send_refusal(*response);
    auto id = parse_send_reply(*response);
    if (!id) return std::move(id).error();
    return core::ports::SentMessage{"sinch", std::move(id).value()};
}

core::Result<core::ports::HttpResponse> SinchConversationClient::post(const std::string& body) {
    core::ports::HttpRequest request;
    request.method = "POST";
    request.url = send_url_;
    request.body = body;
    request.connect_timeout = config_.connect_timeout;
    request.attempt_timeout = config_.attempt_timeout;
    if (config_.deadline.count() > 0) request.deadline = config_.deadline;
    request.retry = config_.retry;
    // No idempotency key exists for messages: repeating a request Sinch may have acted on sends the text twice.
    request.retry.retry_if_maybe_processed = false;

    constexpr int kTokenTries = 2;  // the cached token, then one fresh one after a 401
    for (int attempt = 1;; ++attempt) {
        auto token = tokens_.token();
        if (!token) return std::move(token).error();
        request.headers = {{"Authorization", "Bearer " + *token},
                           {"Content-Type", "application/json"},
                           {"Accept", "application/json"}};
        auto response = http_.send(request);
        if (!response) return std::move(response).error().with("vendor", "sinch").with("action", "messages:send");
        // Expired or revoked early (Sinch rotates keys; clocks drift): the refused request was not processed.
        if (response->status != 401 || attempt == kTokenTries) return response;
        tokens_.invalidate(*token);
    }
}

}  // namespace crossvoice::sinch
