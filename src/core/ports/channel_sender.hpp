#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/session.hpp"

namespace crossvoice::core::ports {

// One outbound message for a customer's channel (SMS, WhatsApp, web chat), as a queued send job hands it to
// the adapter. `message_id` is our timeline message id: adapters pass it to the vendor as the correlation id,
// so the vendor's delivery reports can be matched back even before the vendor's own id is stored.
struct OutboundMessage {
    std::string message_id;
    Channel channel = Channel::kSms;
    std::string to;                   // E.164 number for SMS and WhatsApp; the contact id for other channels
    std::optional<std::string> from;  // our sender number when the vendor needs one (Telnyx SMS)
    std::string text;
    std::optional<std::string> callback_url;  // where the vendor posts delivery reports, when not the default
};

struct SentMessage {
    std::string vendor;             // "sinch", "telnyx", "sandbox", "webchat"
    std::string vendor_message_id;  // the vendor's id, which its delivery reports carry
};

// Sends one message on a customer's channel. Blocking: call it from workers (send jobs), never from an I/O
// thread. Errors: kValidation for a message the vendor refused as malformed (not retried), kVendor for the
// vendor's other refusals (details keep its code and message), kUnavailable or kTimeout when no answer came
// (the job retries), kRateLimited when the vendor asked us to slow down.
class ChannelSender {
  public:
    virtual ~ChannelSender() = default;
    virtual Result<SentMessage> send(const OutboundMessage& message) = 0;
};

}  // namespace crossvoice::core::ports
