#pragma once

#include "core/clock.hpp"
#include "core/ports/channel_sender.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"
#include "sinch/conversation_config.hpp"
#include "sinch/oauth_token_cache.hpp"

namespace crossvoice::sinch {

// The ChannelSender port on the Sinch Conversation API (vendor-apis.md G): POST
// {base_url}/v1/projects/{project_id}/messages:send with the body of send_body.hpp and
// `Authorization: Bearer <OAuth2 token>` from an OAuthTokenCache (auth_url, key_id:key_secret). A 2xx answer's
// message_id is the vendor id delivery reports carry; our message id rides along as correlation_id.
//
// messages:send has no idempotency key, so a request that may have reached Sinch is never repeated (a customer
// would get the text twice): the HttpClient retries only attempts that provably went nowhere, or a 429. A 401
// means the token was refused before anything was processed: the token is invalidated and the send tried once
// more with a fresh one; a second 401 is returned as it is (no loop).
//
// Errors: kValidation before anything is sent (send_body.hpp). Sinch's refusals as send_reply.hpp maps them
// (400 kValidation, 429 kRateLimited, others kVendor), a 2xx without message_id kVendor. Token failures as
// oauth_token_cache.hpp describes them (a refused access key is kVendor with reason "credentials refused"). The
// HttpClient's kTimeout / kUnavailable pass through with details vendor "sinch" and action "messages:send".
//
// Thread-safe. `http` and `clock` must outlive the client.
class SinchConversationClient final : public core::ports::ChannelSender {
  public:
    SinchConversationClient(ConversationConfig config, core::ports::HttpClient& http, const core::Clock& clock);

    core::Result<core::ports::SentMessage> send(const core::ports::OutboundMessage& message) override;

  private:
    // POST messages:send with a token, and once more with a fresh token after a 401.
    core::Result<core::ports::HttpResponse> post(const std::string& body);

    ConversationConfig config_;
    std::string send_url_;
    core::ports::HttpClient& http_;
    OAuthTokenCache tokens_;
};

}  // namespace crossvoice::sinch
