#pragma once

#include <optional>
#include <string_view>

#include "core/call.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// One webhook delivery as it came off the wire: the signature headers (nullopt when absent) and the raw body.
struct SignedDelivery {
    std::optional<std::string_view> signature;
    std::optional<std::string_view> timestamp;
    std::string_view body;
};

// Turns a carrier's webhook into a core CallEvent, refusing anything whose signature does not check out.
// Errors: kUnauthorized (signature, timestamp window, missing headers) with the reason; kBadRequest or
// kValidation when a verified body cannot be read. Thread-safe.
class CarrierWebhooks {
  public:
    virtual ~CarrierWebhooks() = default;
    virtual Result<CallEvent> read(const SignedDelivery& delivery) const = 0;
    // Only the signature check, for deliveries that are not JSON events (TeXML callbacks sign their form body
    // or query string the same way). kUnauthorized with the reason.
    virtual Status verify(const SignedDelivery& delivery) const = 0;
};

}  // namespace crossvoice::core::ports
