#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/ports/channel_sender.hpp"
#include "core/ports/http_client.hpp"
#include "http/router.hpp"

namespace crossvoice::sandbox {

struct SandboxMessagingOptions {
    std::string route_prefix;  // "/sandbox" inside the service
    std::string app_id = "sandbox-app";
    std::string secret;                             // signs callbacks like Sinch (vendor-apis.md G); required
    std::optional<std::string> callback_url;        // our POST /api/webhooks/sinch; set once the server is bound
    std::chrono::milliseconds delivery_delay{300};  // send -> MESSAGE_DELIVERY DELIVERED
};

// The sandbox messaging channel: a stand-in for the Sinch Conversation API when no messaging vendor is configured.
// Sending (the ChannelSender port) is accepted with a message id of its own; a moment later a signed
// MESSAGE_DELIVERY callback reports it DELIVERED, or FAILED for recipients whose number ends in 4004 (a blocked
// number). Customers are simulated over HTTP, each sending a signed MESSAGE_INBOUND or EVENT_INBOUND callback,
// exactly as Sinch would:
//   POST {prefix}/sandbox/messages          {"from", "channel"?: "SMS"|"WHATSAPP"|"MESSENGER"…, "text"?,
//                                            "mediaUrl"?, "typing"?: true}: a customer writes (or is typing)
//   GET  {prefix}/sandbox/messages          what was sent to customers, newest last
// Callbacks go out on a thread of their own, in order, signed afresh (nonce, timestamp) for each attempt.
class SandboxMessaging final : public core::ports::ChannelSender {
  public:
    SandboxMessaging(SandboxMessagingOptions options, core::ports::HttpClient& http, const core::Clock& clock);
    ~SandboxMessaging() override;
    SandboxMessaging(const SandboxMessaging&) = delete;
    SandboxMessaging& operator=(const SandboxMessaging&) = delete;

    core::Result<core::ports::SentMessage> send(const core::ports::OutboundMessage& message) override;

    void add_routes(http::Router& router);
    void set_callback_url(std::string url);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

// Sinch's callback signature: base64(HMAC-SHA256(secret, body + "." + nonce + "." + timestamp)).
std::string sinch_signature(const std::string& secret, const std::string& body, const std::string& nonce,
                            const std::string& timestamp);

}  // namespace crossvoice::sandbox
