#pragma once

#include <string>

#include "core/ports/channel_sender.hpp"
#include "core/result.hpp"
#include "sinch/conversation_config.hpp"

namespace crossvoice::sinch {

// The JSON body of POST /v1/projects/{project}/messages:send for one message (vendor-apis.md G):
//   {"app_id", "recipient", "message":{"text_message":{"text"}}, "channel_priority_order"?, "callback_url"?,
//    "correlation_id"}
// kWhatsapp: recipient.identified_by.channel_identities holds the number once per channel of
//   config.channel_priority (WHATSAPP first when missing), which is also channel_priority_order.
// kSms: the number's SMS identity only; channel_priority_order ["SMS"].
// kChat: `to` is a Sinch contact id: recipient {"contact_id"}; no channel_priority_order (the contact's own applies).
// callback_url is the message's, else config.callback_url, else left out; correlation_id is our message id.
// Errors (nothing is sent): kValidation with details["field"] "channel" for kVoice, "to" or "text" when empty.
core::Result<std::string> send_body(const ConversationConfig& config, const core::ports::OutboundMessage& message);

}  // namespace crossvoice::sinch
