#pragma once

// Internal to http/: one HTTP/1.1 connection, from accept to close.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/error.hpp"
#include "http/link.hpp"
#include "http/message.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server_state.hpp"

namespace crossvoice::http {

class Connection final : public Link, public std::enable_shared_from_this<Connection> {
  public:
    Connection(ConnectionStream::socket_type&& socket, Server::State& state);
    ~Connection();

    void start();
    void close_if_idle() override;
    void force_close() override;
    ConnectionExecutor executor() override { return stream_.get_executor(); }

  private:
    enum class Phase { kIdle, kReading, kBusy, kWriting, kClosed };

    void wait_for_request();
    void read_more();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    std::size_t route_body_limit() const;  // once the header is parsed
    void parse_buffered();
    void reject_parse_error(boost::beast::error_code ec);
    void dispatch();
    void respond(Outcome outcome, bool was_dispatched);
    // A 2xx response with a stream: the socket goes to an event-stream or WebSocket session.
    void hand_over_to_stream(Response& response);
    void reject_and_close(core::Error error);
    void on_write(bool close_after, boost::beast::error_code ec, std::size_t bytes);
    void close();
    void linger_then_close();
    void discard_some();

    Server::State& state_;
    ConnectionStream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::optional<boost::beast::http::response<boost::beast::http::empty_body>> continue_;
    std::string response_head_;  // reused across the connection's responses
    std::string response_body_;
    std::string remote_;
    Phase phase_ = Phase::kIdle;

    // The request being served; read by the worker while this connection waits for its answer.
    Request request_;
    std::string request_id_;
    RouteMatch match_;
    bool keep_alive_ = true;
    bool header_checked_ = false;                     // the size and Expect checks ran for this request
    std::chrono::steady_clock::time_point deadline_;  // of the header, then of the body
    bool unread_input_ = false;                       // rejected before the whole request was read
    std::size_t lingered_bytes_ = 0;
    std::size_t body_limit_ = 0;  // of the request being read: its route's, or the server's default
    std::chrono::steady_clock::time_point started_;
};

}  // namespace crossvoice::http
