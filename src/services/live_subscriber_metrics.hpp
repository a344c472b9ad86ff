#pragma once

#include <cstdint>
#include <string>

#include "observability/metrics.hpp"

namespace crossvoice::services {

// How a live-event client is connected.
enum class LiveTransport { kSse, kWebSocket };

// crossvoice_live_subscribers{transport="sse|websocket"}: live-event clients connected to this instance now.
// The hub adds on subscribe and subtracts on unsubscribe (relaxed atomics); /metrics reads.
class LiveSubscriberMetrics final : public observability::MetricSource {
  public:
    void add(LiveTransport transport, std::int64_t delta) {
        (transport == LiveTransport::kWebSocket ? websocket_ : sse_).add(delta);
    }

    void render(std::string& out) const override;

  private:
    observability::Gauge sse_;
    observability::Gauge websocket_;
};

}  // namespace crossvoice::services
