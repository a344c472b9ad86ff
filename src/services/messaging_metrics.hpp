#pragma once

#include <array>
#include <string>

#include "core/message.hpp"
#include "core/session.hpp"
#include "observability/metrics.hpp"

namespace crossvoice::services {

// The text channels as an operator watches them, as Prometheus counters:
//   crossvoice_messages_total{channel="voice|chat|sms|whatsapp",direction="inbound|outbound"}: messages appended
//   to a timeline by the messaging use-case (customers' messages, agents', SHANGO's and the IVR's texts out)
//   crossvoice_message_status_total{channel,status="sent|delivered|read|failed"}: delivery status changes
// Incremented by MessagingService on the threads it runs on (relaxed atomics), rendered by /metrics.
class MessagingMetrics final : public observability::MetricSource {
  public:
    void count_message(core::Channel channel, core::MessageDirection direction);
    // A status a message moved to; kPending (where every outbound message starts) is not a change.
    void count_status(core::Channel channel, core::MessageStatus status);

    void render(std::string& out) const override;

  private:
    static constexpr std::size_t kChannels = 4;    // core::Channel
    static constexpr std::size_t kDirections = 2;  // core::MessageDirection
    static constexpr std::size_t kStatuses = 5;    // core::MessageStatus, kPending unused
    std::array<std::array<observability::Counter, kDirections>, kChannels> messages_;
    std::array<std::array<observability::Counter, kStatuses>, kChannels> statuses_;
};

}  // namespace crossvoice::services
