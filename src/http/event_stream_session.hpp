#pragma once

// Internal to http/: a Server-Sent Events response (text/event-stream) after its head.

#include <array>
#include <string>

#include "http/stream_session.hpp"

namespace crossvoice::http {

class EventStreamSession final : public StreamSession {
  public:
    // `head` is the response head, already serialised (write_stream_head).
    EventStreamSession(ConnectionStream&& stream, Server::State& state, std::shared_ptr<StreamSource> source,
                       std::string head);

    void start() override;

  private:
    void write_frame(const std::string& frame, WriteDone done) override;
    std::string heartbeat_frame() override { return ":\n\n"; }  // a comment line: clients ignore it
    void end_transport(bool graceful) override;
    // The client sends nothing after its request; a read that completes means it went away.
    void watch_client();

    ConnectionStream stream_;
    std::string head_;
    std::array<char, 256> discard_{};
};

}  // namespace crossvoice::http
