#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace crossvoice::http {

class Router;
class Pipeline;
class RequestMetrics;

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 takes a free port
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::chrono::milliseconds header_timeout{10'000};  // first byte to end of headers
    std::chrono::milliseconds body_timeout{30'000};
    std::chrono::milliseconds idle_timeout{60'000};  // keep-alive wait for the next request
    std::chrono::milliseconds write_timeout{30'000};
    std::chrono::milliseconds drain_timeout{15'000};  // how long shutdown waits for in-flight requests
    // Streams (SSE, WebSocket): a comment or ping when nothing was sent for this long keeps proxies from timing
    // the stream out and finds clients that vanished; a client this far behind is disconnected.
    std::chrono::milliseconds stream_heartbeat{15'000};
    std::size_t stream_backlog_bytes = 1024 * 1024;
    int io_threads = 2;
    int worker_threads = 8;
    bool access_log = true;
};

// HTTP/1.1 server on Boost.Beast. I/O threads only parse and write; handlers marked kWorker run on a
// bounded worker pool so that blocking work (database, vendors) never stalls a socket.
class Server {
  public:
    Server(ServerOptions options, const Router& router, const Pipeline& pipeline, RequestMetrics& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens. Returns the bound port (the chosen one when options.port is 0).
    core::Result<std::uint16_t> listen();
    // Serves until shutdown() or, with handle_signals, SIGINT/SIGTERM; then stops accepting, lets every
    // in-flight request finish (up to drain_timeout), closes idle connections and returns. `on_ready` runs
    // once signals are handled and connections are being accepted: the moment to announce the address.
    void run(bool handle_signals, const std::function<void()>& on_ready = {});
    // Starts the graceful shutdown. Thread-safe; calling it twice is harmless.
    void shutdown();

    struct State;

  private:
    std::unique_ptr<State> state_;
};

}  // namespace crossvoice::http
