#include "http/server.hpp"

#include <fmt/format.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <csignal>
#include <thread>
#include <vector>

#include "http/connection.hpp"
#include "http/server_state.hpp"
#include "observability/logging.hpp"

namespace crossvoice::http {

namespace net = boost::asio;
using net::ip::tcp;

Server::State::State(ServerOptions opts, const Router& r, const Pipeline& p, RequestMetrics& m)
    : options(std::move(opts)),
      router(r),
      pipeline(p),
      metrics(m),
      log(observability::logger("http")),
      access_log(observability::logger("access")),
      workers(static_cast<std::size_t>(std::max(1, options.worker_threads))) {}

void Server::State::register_connection(const std::shared_ptr<Link>& connection) {
    std::lock_guard lock(connections_mutex);
    connections.emplace(connection.get(), connection);
}

void Server::State::unregister_connection(Link* connection) {
    std::lock_guard lock(connections_mutex);
    connections.erase(connection);
    if (draining.load() && connections.empty()) ioc.stop();
}

void Server::State::begin_shutdown() {
    if (draining.exchange(true)) return;
    log->info("shutting down: no new connections; finishing in-flight requests");
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);

    std::vector<std::shared_ptr<Link>> live;
    {
        std::lock_guard lock(connections_mutex);
        if (connections.empty()) {
            ioc.stop();
            return;
        }
        for (auto& [raw, weak] : connections) {
            if (auto strong = weak.lock()) live.push_back(std::move(strong));
        }
    }
    for (auto& connection : live) {
        net::post(connection->executor(), [connection] { connection->close_if_idle(); });
    }
    drain_timer.expires_after(options.drain_timeout);
    drain_timer.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        log->warn("drain deadline passed; closing the remaining connections");
        std::lock_guard lock(connections_mutex);
        for (auto& [raw, weak] : connections) {
            if (auto strong = weak.lock()) net::post(strong->executor(), [strong] { strong->force_close(); });
        }
    });
}

namespace {

void accept_next(Server::State& state) {
    state.acceptor.async_accept(ConnectionExecutor(state.ioc.get_executor()),
                                [&state](boost::system::error_code ec, ConnectionStream::socket_type socket) {
                                    if (ec == net::error::operation_aborted || state.draining.load()) return;
                                    if (ec) {
                                        state.log->warn("accept failed: {}", ec.message());
                                    } else {
                                        boost::system::error_code ignored;
                                        socket.set_option(tcp::no_delay(true), ignored);
                                        auto connection = std::make_shared<Connection>(std::move(socket), state);
                                        state.register_connection(connection);
                                        connection->start();
                                    }
                                    accept_next(state);
                                });
}

}  // namespace

Server::Server(ServerOptions options, const Router& router, const Pipeline& pipeline, RequestMetrics& metrics)
    : state_(std::make_unique<State>(std::move(options), router, pipeline, metrics)) {}

Server::~Server() { state_->workers.join(); }

core::Result<std::uint16_t> Server::listen() {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(state_->options.host, ec);
    if (ec) return core::Error::validation("CROSSVOICE_LISTEN", "not an IP address: " + state_->options.host);
    const tcp::endpoint endpoint{address, state_->options.port};
    auto& acceptor = state_->acceptor;
    auto fail = [&](std::string_view step) {
        return core::Error::unavailable(
            fmt::format("cannot {} {}:{}: {}", step, state_->options.host, state_->options.port, ec.message()));
    };
    acceptor.open(endpoint.protocol(), ec);
    if (ec) return fail("open");
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) return fail("configure");
    acceptor.bind(endpoint, ec);
    if (ec) return fail("bind");
    acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen on");
    return acceptor.local_endpoint().port();
}

void Server::run(bool handle_signals, const std::function<void()>& on_ready) {
    auto& state = *state_;
    if (handle_signals) {
        state.signals.add(SIGINT);
        state.signals.add(SIGTERM);
        state.signals.async_wait([&state](boost::system::error_code ec, int signal) {
            if (ec) return;
            state.log->info("received signal {}", signal);
            state.begin_shutdown();
        });
    }
    accept_next(state);
    if (on_ready) on_ready();

    const int extra_threads = std::max(0, state.options.io_threads - 1);
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(extra_threads));
    for (int i = 0; i < extra_threads; ++i) threads.emplace_back([&state] { state.ioc.run(); });
    state.ioc.run();
    for (auto& thread : threads) thread.join();
    state.workers.join();
    state.log->info("server stopped");
}

void Server::shutdown() {
    net::post(state_->ioc, [state = state_.get()] { state->begin_shutdown(); });
}

}  // namespace crossvoice::http
