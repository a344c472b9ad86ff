#pragma once

// Internal to http/: a WebSocket after the upgrade request's handler accepted it. Compiles Beast's WebSocket
// templates: include it only from connection.cpp.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "http/message.hpp"
#include "http/stream_session.hpp"

namespace crossvoice::http {

class WebSocketSession final : public StreamSession {
  public:
    // `upgrade` is the client's request; `headers` are the handler's, added to the 101 answer (a chosen
    // Sec-WebSocket-Protocol).
    WebSocketSession(ConnectionStream&& stream, Server::State& state, std::shared_ptr<StreamSource> source,
                     boost::beast::http::request<boost::beast::http::string_body> upgrade, Headers headers);

    void start() override;

    static constexpr std::size_t kMaxMessageBytes = 64 * 1024;

  private:
    void read_next();
    void write_frame(const std::string& frame, WriteDone done) override;
    std::string heartbeat_frame() override;
    void end_transport(bool graceful) override;

    boost::beast::websocket::stream<ConnectionStream> ws_;
    boost::beast::http::request<boost::beast::http::string_body> upgrade_;
    Headers headers_;
    boost::beast::flat_buffer buffer_;
    bool open_ = false;  // the handshake completed and no close was sent
};

}  // namespace crossvoice::http
