#pragma once

// Internal to http/: what the server tracks and drains at shutdown, a connection or the stream session a
// connection became. Includes Asio and Beast, so keep it out of public headers.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace crossvoice::http {

// Each connection runs on its own strand of the shared io_context. The concrete executor type (rather than
// Beast's default any_io_executor) spares the type-erasure work on every operation: measurably faster.
using ConnectionExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;
using ConnectionStream = boost::beast::basic_stream<boost::asio::ip::tcp, ConnectionExecutor>;

class Link {
  public:
    virtual ~Link() = default;
    // Posted by shutdown: a link waiting for its next request closes; a busy one finishes first. Streams close.
    virtual void close_if_idle() = 0;
    // Posted when the drain deadline passes.
    virtual void force_close() = 0;
    virtual ConnectionExecutor executor() = 0;
};

}  // namespace crossvoice::http
