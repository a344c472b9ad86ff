#include "http/event_stream_session.hpp"

#include <boost/asio/write.hpp>

namespace crossvoice::http {

namespace net = boost::asio;

EventStreamSession::EventStreamSession(ConnectionStream&& stream, Server::State& state,
                                       std::shared_ptr<StreamSource> source, std::string head)
    : StreamSession(state, std::move(source), stream.get_executor()),
      stream_(std::move(stream)),
      head_(std::move(head)) {}

void EventStreamSession::start() {
    auto self = std::static_pointer_cast<EventStreamSession>(shared_from_this());
    stream_.expires_after(state().options.write_timeout);
    net::async_write(stream_, net::buffer(head_), [self](boost::system::error_code ec, std::size_t) {
        self->head_.clear();
        if (ec) return self->finish();
        self->watch_client();
        self->opened();
    });
}

void EventStreamSession::watch_client() {
    // On the socket itself, not the timed stream: the stream's deadline is for writes, and a quiet client is normal.
    auto self = std::static_pointer_cast<EventStreamSession>(shared_from_this());
    stream_.socket().async_read_some(net::buffer(discard_), [self](boost::system::error_code ec, std::size_t) {
        if (ec) return self->finish();
        self->watch_client();
    });
}

void EventStreamSession::write_frame(const std::string& frame, WriteDone done) {
    stream_.expires_after(state().options.write_timeout);
    net::async_write(stream_, net::buffer(frame),
                     [done = std::move(done)](boost::system::error_code ec, std::size_t) { done(ec); });
}

void EventStreamSession::end_transport(bool) {
    boost::system::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
}

}  // namespace crossvoice::http

#include "http/stream_start.hpp"

namespace crossvoice::http {

void start_event_stream(ConnectionStream&& stream, Server::State& state, std::shared_ptr<StreamSource> source,
                        std::string head) {
    auto session = std::make_shared<EventStreamSession>(std::move(stream), state, std::move(source), std::move(head));
    state.register_connection(session);
    session->start();
}

}  // namespace crossvoice::http
