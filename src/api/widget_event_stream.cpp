#include "api/widget_event_stream.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/widget_json.hpp"

namespace crossvoice::api {

WidgetEventStream::WidgetEventStream(services::LiveEventHub& hub, core::Platform platform, std::string session_id,
                                     std::optional<std::uint64_t> after)
    : hub_(hub), platform_(platform), session_id_(std::move(session_id)), after_(after) {}

void WidgetEventStream::open(std::shared_ptr<http::StreamChannel> channel) {
    services::LiveEventHub::Subscriber subscriber;
    subscriber.platform = platform_;
    subscriber.after = after_;
    subscriber.session_id = session_id_;
    subscriber.on_ready = [channel](std::uint64_t last_seq) {
        channel->send(fmt::format("retry: 2000\nevent: ready\ndata: {}\n\n",
                                  nlohmann::json{{"type", "ready"}, {"lastEventId", last_seq}}.dump()));
    };
    subscriber.on_event = [channel](const std::shared_ptr<const services::LiveEventView>& event) {
        if (auto text = frame(*event); !text.empty()) channel->send(std::move(text));
    };
    subscriber.on_reset = [channel](const std::string& reason) {
        channel->send(
            fmt::format("event: reset\ndata: {}\n\n", nlohmann::json{{"type", "reset"}, {"reason", reason}}.dump()));
    };
    subscription_ = hub_.subscribe(std::move(subscriber));
}

void WidgetEventStream::closed() { subscription_.reset(); }

std::string WidgetEventStream::frame(const services::LiveEventView& event) {
    auto data = visitor_event_data(event.type, event.data_json);
    if (!data) return {};
    const nlohmann::json envelope{{"id", event.seq}, {"type", event.type}, {"data", std::move(*data)}};
    // error_handler replace: a message's text is stored UTF-8, but nothing here may throw on the hub's thread.
    return fmt::format("id: {}\nevent: {}\ndata: {}\n\n", event.seq, event.type,
                       envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace crossvoice::api
