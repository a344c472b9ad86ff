#pragma once

#include "core/ports/carrier_webhooks.hpp"
#include "telnyx/webhook_verifier.hpp"

namespace crossvoice::telnyx {

// The CarrierWebhooks port for Telnyx: Ed25519 check of "timestamp|raw body", then the envelope parser.
// The body is parsed only after its signature holds, so unauthenticated input never reaches the parser.
class TelnyxWebhooks final : public core::ports::CarrierWebhooks {
  public:
    explicit TelnyxWebhooks(WebhookVerifier verifier) : verifier_(verifier) {}
    core::Result<core::CallEvent> read(const core::ports::SignedDelivery& delivery) const override;
    core::Status verify(const core::ports::SignedDelivery& delivery) const override;

  private:
    WebhookVerifier verifier_;
};

}  // namespace crossvoice::telnyx
