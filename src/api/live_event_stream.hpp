#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/platform.hpp"
#include "http/stream.hpp"
#include "services/live_event_hub.hpp"

namespace crossvoice::api {

// One client's live events: subscribes to the hub when the stream opens, writes each event in the stream's
// format, unsubscribes when it ends.
class LiveEventStream final : public http::StreamSource {
  public:
    enum class Format { kEventStream, kWebSocket };

    LiveEventStream(services::LiveEventHub& hub, Format format, core::Platform platform,
                    std::optional<std::uint64_t> after, std::optional<std::string> session_id);

    void open(std::shared_ptr<http::StreamChannel> channel) override;
    void closed() override;
    void on_message(std::string_view text) override;

    // The wire form of one event, and of the first frame (which tells the client its subscription is live).
    static std::string frame(Format format, const services::LiveEventView& event);
    static std::string ready_frame(Format format, core::Platform platform, std::uint64_t last_seq);
    static std::string reset_frame(Format format, const std::string& reason);

  private:
    services::LiveEventHub& hub_;
    Format format_;
    core::Platform platform_;
    std::optional<std::uint64_t> after_;
    std::optional<std::string> session_id_;
    std::shared_ptr<http::StreamChannel> channel_;
    std::unique_ptr<services::LiveEventHub::Subscription> subscription_;
};

}  // namespace crossvoice::api
