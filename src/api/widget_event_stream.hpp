#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/platform.hpp"
#include "http/stream.hpp"
#include "services/live_event_hub.hpp"

namespace crossvoice::api {

// One widget visitor's live events (Server-Sent Events): the hub's events of exactly one session, seen from the
// visitor's platform, each rendered for visitors (api/widget_json: messages without internal fields; owner,
// session and call states; nothing else). Frames: "ready" first, then "id/event/data" per event, "reset" when a
// Last-Event-ID is no longer held.
class WidgetEventStream final : public http::StreamSource {
  public:
    WidgetEventStream(services::LiveEventHub& hub, core::Platform platform, std::string session_id,
                      std::optional<std::uint64_t> after);

    void open(std::shared_ptr<http::StreamChannel> channel) override;
    void closed() override;

    // The frame of one event for visitors, or "" for an event they do not get.
    static std::string frame(const services::LiveEventView& event);

  private:
    services::LiveEventHub& hub_;
    core::Platform platform_;
    std::string session_id_;
    std::optional<std::uint64_t> after_;
    std::unique_ptr<services::LiveEventHub::Subscription> subscription_;
};

}  // namespace crossvoice::api
