#include "telnyx/telnyx_webhooks.hpp"

#include "telnyx/call_event_parser.hpp"

namespace crossvoice::telnyx {

core::Result<core::CallEvent> TelnyxWebhooks::read(const core::ports::SignedDelivery& delivery) const {
    if (auto verified = verifier_.verify(delivery.signature, delivery.timestamp, delivery.body); !verified) {
        return std::move(verified).error();
    }
    return parse_call_event(delivery.body);
}

core::Status TelnyxWebhooks::verify(const core::ports::SignedDelivery& delivery) const {
    return verifier_.verify(delivery.signature, delivery.timestamp, delivery.body);
}

}  // namespace crossvoice::telnyx
