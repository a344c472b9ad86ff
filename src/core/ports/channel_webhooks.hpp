#pragma once

#include <optional>
#include <string_view>

#include "core/channel_event.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// A messaging vendor's callback as it came off the wire. Absent headers are nullopt.
struct ChannelDelivery {
    std::optional<std::string_view> signature;
    std::optional<std::string_view> nonce;
    std::optional<std::string_view> timestamp;
    std::optional<std::string_view> algorithm;
    std::string_view body;
};

// Turns a messaging vendor's callback into a ChannelEvent, refusing anything whose signature does not check
// out. Errors: kUnauthorized (bad or missing signature, timestamp outside the window, unknown algorithm) with
// the reason in details; kBadRequest when a verified body is not JSON; kValidation when it is JSON but not a
// callback we can read (details name the field). A callback of a trigger we do not handle is kValidation
// with detail "trigger". Nonce memory (replays inside the window) belongs to the caller. Thread-safe.
class ChannelWebhooks {
  public:
    virtual ~ChannelWebhooks() = default;
    virtual Result<ChannelEvent> read(const ChannelDelivery& delivery) const = 0;
};

}  // namespace crossvoice::core::ports
