#include "sinch/sinch_webhooks.hpp"

#include <utility>

#include "sinch/callback_parser.hpp"

namespace crossvoice::sinch {

SinchWebhooks::SinchWebhooks(std::optional<std::string> secret, const core::Clock& clock, std::chrono::seconds window)
    : secret_(std::move(secret)), clock_(clock), window_(window) {}

core::Result<core::ChannelEvent> SinchWebhooks::read(const core::ports::ChannelDelivery& delivery) const {
    if (secret_) {
        if (auto verified = verify_callback(*secret_, delivery, clock_.now(), window_); !verified) {
            return std::move(verified).error();
        }
    }
    return parse_callback(delivery.body);
}

}  // namespace crossvoice::sinch
