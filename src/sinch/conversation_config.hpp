#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/ports/http_client.hpp"

namespace crossvoice::sinch {

// One Sinch Conversation API app, as SINCH_* configures it.
struct ConversationConfig {
    // https://{region}.conversation.api.sinch.com, region us, eu or br; configurable so that a fake can stand in.
    // A trailing '/' is ignored.
    std::string base_url = "https://us.conversation.api.sinch.com";
    std::string auth_url = "https://auth.sinch.com/oauth2/token";  // OAuth2 client-credentials endpoint
    std::string project_id;
    std::string app_id;
    std::string key_id;  // access key id and secret: the OAuth2 client credentials
    std::string key_secret;
    // The channels a WhatsApp message is tried on, in order, each addressed by the customer's number (Sinch
    // falls back to the next when one fails, reporting SWITCHING_CHANNEL). WHATSAPP is put first when missing.
    std::vector<std::string> channel_priority = {"WHATSAPP", "SMS"};
    std::optional<std::string> callback_url;  // where delivery reports go when the message names none; else the app's
    std::chrono::milliseconds connect_timeout{3'000};   // per attempt
    std::chrono::milliseconds attempt_timeout{10'000};  // per attempt, connect to last byte
    // All attempts and waits of one request; zero or less leaves it to the HttpClient's default.
    std::chrono::milliseconds deadline{30'000};
    // For sends, retry_if_maybe_processed is always false whatever is set here (conversation_client.hpp).
    core::ports::RetryPolicy retry;
};

}  // namespace crossvoice::sinch
