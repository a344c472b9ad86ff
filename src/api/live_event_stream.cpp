#include "api/live_event_stream.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crossvoice::api {

using nlohmann::json;

LiveEventStream::LiveEventStream(services::LiveEventHub& hub, Format format, core::Platform platform,
                                 std::optional<std::uint64_t> after, std::optional<std::string> session_id)
    : hub_(hub), format_(format), platform_(platform), after_(after), session_id_(std::move(session_id)) {}

void LiveEventStream::open(std::shared_ptr<http::StreamChannel> channel) {
    channel_ = channel;
    // "ready" goes first, so a client knows that whatever happens from now on reaches it; the replay (or the
    // reset) follows, then the live events.
    const auto format = format_;
    services::LiveEventHub::Subscriber subscriber;
    subscriber.platform = platform_;
    subscriber.after = after_;
    subscriber.session_id = session_id_;
    subscriber.transport =
        format == Format::kWebSocket ? services::LiveTransport::kWebSocket : services::LiveTransport::kSse;
    subscriber.on_ready = [channel, format, platform = platform_](std::uint64_t last_seq) {
        channel->send(ready_frame(format, platform, last_seq));
    };
    subscriber.on_event = [channel, format](const std::shared_ptr<const services::LiveEventView>& event) {
        channel->send(frame(format, *event));
    };
    subscriber.on_reset = [channel, format](std::string reason) { channel->send(reset_frame(format, reason)); };
    subscription_ = hub_.subscribe(std::move(subscriber));
}

void LiveEventStream::closed() {
    subscription_.reset();
    channel_.reset();
}

void LiveEventStream::on_message(std::string_view text) {
    // Clients have nothing to say on this stream but "are you there"; anything else is ignored.
    const auto message = json::parse(text, nullptr, false);
    if (message.is_object() && message.value("type", "") == "ping" && channel_) {
        channel_->send(R"({"type":"pong"})");
    }
}

std::string LiveEventStream::frame(Format format, const services::LiveEventView& event) {
    // One data line: the JSON has no raw newlines.
    return format == Format::kWebSocket ? event.json : event.sse;
}

std::string LiveEventStream::ready_frame(Format format, core::Platform platform, std::uint64_t last_seq) {
    const json data{{"type", "ready"}, {"platform", core::to_string(platform)}, {"lastEventId", last_seq}};
    if (format == Format::kWebSocket) return data.dump();
    // retry: how long a browser's EventSource waits before reconnecting (it then sends Last-Event-ID).
    return fmt::format("retry: 2000\nevent: ready\ndata: {}\n\n", data.dump());
}

std::string LiveEventStream::reset_frame(Format format, const std::string& reason) {
    const json data{{"type", "reset"}, {"reason", reason}};
    if (format == Format::kWebSocket) return data.dump();
    return fmt::format("event: reset\ndata: {}\n\n", data.dump());
}

}  // namespace crossvoice::api
