#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/ports/channel_webhooks.hpp"
#include "sinch/webhook_signature.hpp"

namespace crossvoice::sinch {

// The ChannelWebhooks port for the Sinch Conversation API: the signature check (webhook_signature.hpp) over the
// raw bytes, and only then the body read into a ChannelEvent (callback_parser.hpp), so unauthenticated input never
// reaches the parser.
//
// Sinch signs the callbacks of a webhook only when that webhook has a secret. So: with a secret configured here,
// every callback must carry a valid signature within ±window (an unsigned one is refused, missing_signature);
// with none (nullopt), callbacks are read unsigned, whatever signature headers they carry, because there is
// nothing to check them against. Anyone who can reach the URL can then post callbacks: the runtime refuses to
// run against the real Sinch without SINCH_WEBHOOK_SECRET; no secret is for tests and local tools.
// Nonces are remembered by the caller (the messaging use-case). `clock` must outlive this. Thread-safe.
class SinchWebhooks final : public core::ports::ChannelWebhooks {
  public:
    SinchWebhooks(std::optional<std::string> secret, const core::Clock& clock,
                  std::chrono::seconds window = kDefaultSignatureWindow);

    core::Result<core::ChannelEvent> read(const core::ports::ChannelDelivery& delivery) const override;

  private:
    std::optional<std::string> secret_;
    const core::Clock& clock_;
    std::chrono::seconds window_;
};

}  // namespace crossvoice::sinch
