#include "http/websocket_session.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace crossvoice::http {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

WebSocketSession::WebSocketSession(ConnectionStream&& stream, Server::State& state,
                                   std::shared_ptr<StreamSource> source,
                                   beast::http::request<beast::http::string_body> upgrade, Headers headers)
    : StreamSession(state, std::move(source), stream.get_executor()),
      ws_(std::move(stream)),
      upgrade_(std::move(upgrade)),
      headers_(std::move(headers)) {}

void WebSocketSession::start() {
    // The WebSocket keeps its own timeouts (handshake, idle with pings); the stream's must be off.
    beast::get_lowest_layer(ws_).expires_never();
    // A browser never writes on its own: without pings (answered by its pongs) a quiet console would count as
    // idle and be cut off. Beast pings at half the idle timeout; a client that answers nothing for the whole of it
    // has gone.
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(state().options.stream_heartbeat * 4);
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([headers = headers_](websocket::response_type& response) {
        response.set(beast::http::field::server, "crossvoice");
        for (const auto& [name, value] : headers) response.set(name, value);
    }));
    ws_.read_message_max(kMaxMessageBytes);
    ws_.text(true);
    auto self = std::static_pointer_cast<WebSocketSession>(shared_from_this());
    ws_.async_accept(upgrade_, [self](beast::error_code ec) {
        self->upgrade_ = {};
        if (ec) return self->finish();
        self->open_ = true;
        self->opened();
        self->read_next();
    });
}

void WebSocketSession::read_next() {
    auto self = std::static_pointer_cast<WebSocketSession>(shared_from_this());
    ws_.async_read(buffer_, [self](beast::error_code ec, std::size_t) {
        if (ec) {
            if (ec == websocket::error::closed) self->open_ = false;  // the client closed; Beast answered it
            return self->finish();
        }
        if (self->finished()) return;
        if (self->ws_.got_text()) self->source().on_message(beast::buffers_to_string(self->buffer_.data()));
        self->buffer_.consume(self->buffer_.size());
        self->read_next();
    });
}

void WebSocketSession::write_frame(const std::string& frame, WriteDone done) {
    ws_.async_write(boost::asio::buffer(frame),
                    [done = std::move(done)](beast::error_code ec, std::size_t) { done(ec); });
}

std::string WebSocketSession::heartbeat_frame() {
    // Beast's idle timeout pings on its own; an application-level frame also tells browsers (which cannot see
    // pings) that the stream is alive.
    return R"({"type":"heartbeat"})";
}

void WebSocketSession::end_transport(bool graceful) {
    if (graceful && open_) {
        open_ = false;
        auto self = std::static_pointer_cast<WebSocketSession>(shared_from_this());
        ws_.async_close(websocket::close_code::going_away, [self](beast::error_code) {
            beast::error_code ignored;
            beast::get_lowest_layer(self->ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
            beast::get_lowest_layer(self->ws_).close();
        });
        return;
    }
    open_ = false;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
}

}  // namespace crossvoice::http

#include "http/stream_start.hpp"

namespace crossvoice::http {

void start_websocket(ConnectionStream&& stream, Server::State& state, std::shared_ptr<StreamSource> source,
                     beast::http::request<beast::http::string_body>&& upgrade, Headers headers) {
    auto session = std::make_shared<WebSocketSession>(std::move(stream), state, std::move(source), std::move(upgrade),
                                                      std::move(headers));
    state.register_connection(session);
    session->start();
}

}  // namespace crossvoice::http
