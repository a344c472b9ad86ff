#pragma once

// Internal to http/: one HTTP/1.1 connection, from accept to close.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/error.hpp"
#include "http/message.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server_state.hpp"

namespace crossvoice::http {

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(boost::asio::ip::tcp::socket&& socket, Server::State& state);
    ~Connection();

    void start();
    // Posted by shutdown: a connection waiting for its next request closes; a busy one finishes first.
    void close_if_idle();
    // Posted when the drain deadline passes.
    void force_close();
    boost::asio::any_io_executor executor() { return stream_.get_executor(); }

  private:
    enum class Phase { kIdle, kReading, kBusy, kWriting, kClosed };

    void wait_for_request();
    void on_first_bytes(boost::beast::error_code ec, std::size_t bytes);
    void read_header();
    void on_header(boost::beast::error_code ec, std::size_t bytes);
    void read_body();
    void on_body(boost::beast::error_code ec, std::size_t bytes);
    void dispatch();
    void respond(Outcome outcome, bool was_dispatched);
    void reject_and_close(core::Error error);
    void on_write(bool close_after, boost::beast::error_code ec, std::size_t bytes);
    void close();
    void linger_then_close();
    void discard_some();

    Server::State& state_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::optional<boost::beast::http::response<boost::beast::http::empty_body>> continue_;
    std::optional<boost::beast::http::response<boost::beast::http::string_body>> response_;
    std::string remote_;
    Phase phase_ = Phase::kIdle;

    // The request being served; read by the worker while this connection waits for its answer.
    Request request_;
    std::string request_id_;
    RouteMatch match_;
    bool keep_alive_ = true;
    bool unread_input_ = false;  // rejected before the whole request was read
    std::size_t lingered_bytes_ = 0;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace crossvoice::http
