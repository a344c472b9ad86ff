#pragma once

// Internal to http/: the state a listener and its connections share. Includes Asio, so keep it out
// of public headers.

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <spdlog/logger.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "http/link.hpp"
#include "http/server.hpp"

namespace crossvoice::http {

struct Server::State {
    State(ServerOptions opts, const Router& r, const Pipeline& p, RequestMetrics& m);

    void register_connection(const std::shared_ptr<Link>& connection);
    // Called from a link's destructor, on any thread.
    void unregister_connection(Link* connection);
    void begin_shutdown();  // runs on the io_context

    ServerOptions options;
    const Router& router;
    const Pipeline& pipeline;
    RequestMetrics& metrics;
    std::shared_ptr<spdlog::logger> log;
    std::shared_ptr<spdlog::logger> access_log;
    std::atomic<bool> draining{false};

    std::mutex connections_mutex;
    std::unordered_map<Link*, std::weak_ptr<Link>> connections;

    boost::asio::thread_pool workers;
    // Declared last so it is destroyed first, while the members its pending handlers use still exist.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor{ioc};
    boost::asio::signal_set signals{ioc};
    boost::asio::steady_timer drain_timer{ioc};
};

}  // namespace crossvoice::http
