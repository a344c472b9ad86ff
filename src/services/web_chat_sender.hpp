#pragma once

#include "core/ports/channel_sender.hpp"

namespace crossvoice::services {

// The platforms' own web chat (their pages and the widget): there is no vendor in between. A message is in front
// of the customer once it is on the timeline and the live events, so sending only confirms it; its address is the
// conversation itself.
class WebChatSender final : public core::ports::ChannelSender {
  public:
    core::Result<core::ports::SentMessage> send(const core::ports::OutboundMessage& message) override {
        return core::ports::SentMessage{"webchat", message.message_id};
    }
};

}  // namespace crossvoice::services
