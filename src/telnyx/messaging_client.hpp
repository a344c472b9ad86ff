#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/ports/channel_sender.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace crossvoice::telnyx {

struct MessagingOptions {
    // Configurable so that a fake or the sandbox can stand in for Telnyx. Without "/v2"; a trailing '/' is
    // ignored.
    std::string api_base = "https://api.telnyx.com";
    std::string api_key;                                // sent as "Authorization: Bearer <api_key>"
    std::optional<std::string> messaging_profile_id;    // sent when set
    std::string default_from;                           // our number, E.164, when the message names none
    std::optional<std::string> webhook_url;             // where delivery reports go, when the message names none
    std::chrono::milliseconds connect_timeout{3'000};   // per attempt
    std::chrono::milliseconds attempt_timeout{10'000};  // per attempt, connect to last byte
    // All attempts and waits of one send; zero or less leaves it to the HttpClient's default.
    std::chrono::milliseconds deadline{30'000};
    // retry_if_maybe_processed is always sent as false, whatever is set here (see send()).
    core::ports::RetryPolicy retry;
};

// The ChannelSender port for SMS over Telnyx Messaging (vendor-apis.md D, A.6): POST {api_base}/v2/messages
// with {to, from, text, messaging_profile_id?, webhook_url?}; the 2xx reply's data.id is the vendor message id
// that message.sent / message.finalized report on.
//
// Telnyx offers no idempotency key for messages, so a request that may have reached it is never repeated
// (a customer would get the text twice): only attempts that provably went nowhere, or were answered 429, are
// retried by the HttpClient. The send job decides what to do about a kTimeout.
//
// Errors, before anything is sent: kValidation with details["field"] "channel" for a channel other than SMS,
// "to" / "text" when empty, "from" when neither the message nor the options name a sender and no messaging
// profile can pick one. From Telnyx (details vendor "telnyx", vendor_status, vendor_code, vendor_title,
// vendor_detail, vendor_pointer as call_control_reply.hpp reads them): 400 and 422 kValidation, 429
// kRateLimited (with retry_after_seconds), 401, 403 and every other non-2xx kVendor; a 2xx without a
// data.id is kVendor with details["field"] "data.id". The HttpClient's kTimeout / kUnavailable pass through
// with details["vendor"] = "telnyx".
//
// Thread-safe as far as the HttpClient is. `http` must outlive the client.
class TelnyxMessagingClient final : public core::ports::ChannelSender {
  public:
    TelnyxMessagingClient(MessagingOptions options, core::ports::HttpClient& http);

    core::Result<core::ports::SentMessage> send(const core::ports::OutboundMessage& message) override;

  private:
    MessagingOptions options_;
    core::ports::HttpClient& http_;
};

}  // namespace crossvoice::telnyx
