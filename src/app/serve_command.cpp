#include "app/serve_command.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "app/cli_audit.hpp"
#include "app/http_app.hpp"
#include "app/runtime.hpp"
#include "app/version.hpp"
#include "http/server.hpp"
#include "observability/logging.hpp"

namespace crossvoice::app {
namespace {

// Writes the development keys to a file only the owner can read; returns false on failure.
bool write_development_keys(const std::filesystem::path& path, const std::vector<services::CreatedKey>& keys) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    ::fchmod(fd, 0600);  // O_CREAT's mode does not apply to a file that already existed
    std::string text = "# crossvoice development API keys, created on first start. Keep this file private.\n";
    for (const auto& created : keys) {
        std::string upper(core::to_string(created.key.platform));
        for (auto& ch : upper) ch = static_cast<char>(ch - 'a' + 'A');
        text += fmt::format("{}_API_KEY={}\n", upper, created.secret);
    }
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    return ::close(fd) == 0 && ok;
}

http::ServerOptions server_options(const Config& config) {
    http::ServerOptions options;
    options.host = config.listen_host;
    options.port = config.listen_port;
    options.max_body_bytes = config.max_body_bytes;
    options.header_timeout = config.header_timeout;
    options.body_timeout = config.body_timeout;
    options.idle_timeout = config.idle_timeout;
    options.drain_timeout = config.drain_timeout;
    options.stream_heartbeat = config.stream_heartbeat;
    options.io_threads = config.io_threads;
    options.worker_threads = config.worker_threads;
    options.access_log = config.access_log;
    return options;
}

}  // namespace

int serve(const Config& config) {
    auto log = observability::logger("app");
    auto opened = Runtime::open(config);
    if (!opened) {
        fmt::print(stderr, "crossvoice: {}\n", opened.error().message);
        return 1;
    }
    Runtime& runtime = **opened;

    const auto keys_file = std::filesystem::path(config.data_dir) / "dev-api-keys.env";
    auto created = runtime.keys().create_development_keys_if_none();
    if (!created) {
        fmt::print(stderr, "crossvoice: cannot create development keys: {}\n", created.error().message);
        return 1;
    }
    if (!created->empty()) {
        if (!write_development_keys(keys_file, *created)) {
            fmt::print(stderr, "crossvoice: cannot write {}\n", keys_file.string());
            return 1;
        }
        for (const auto& key : *created) {
            audit_cli_change(runtime, key.key.platform, "api_key.create", "api_key:" + key.key.id, "success");
        }
    }

    auto app = build_http_app(runtime);
    http::Server server(server_options(config), app->router, *app->pipeline, *app->request_metrics);
    auto port = server.listen();
    if (!port) {
        fmt::print(stderr, "crossvoice: {}\n", port.error().message);
        return 1;
    }
    const bool ipv6 = config.listen_host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + config.listen_host + "]" : config.listen_host;
    // A wildcard address is not one to call back: loopback reaches the same socket.
    std::string reachable = host;
    if (config.listen_host == "0.0.0.0") reachable = "127.0.0.1";
    if (config.listen_host == "::") reachable = "[::1]";
    runtime.bind_address(fmt::format("http://{}:{}", reachable, *port));
    if (auto started = runtime.start_background(); !started) {
        fmt::print(stderr, "crossvoice: {}\n", started.error().message);
        return 1;
    }
    if (runtime.sandbox() != nullptr) {
        log->info("no TELNYX_API_KEY: calls go to the built-in sandbox carrier at /sandbox/v2");
    }
    server.run(true, [&] {
        if (std::filesystem::exists(keys_file)) fmt::print("development API keys: {}\n", keys_file.string());
        fmt::print("listening on http://{}:{}\n", host, *port);
        std::fflush(stdout);
        log->info("crossvoice {} serving on {}:{} with {} I/O and {} worker threads", kVersion, host, *port,
                  config.io_threads, config.worker_threads);
    });
    runtime.stop_background();
    log->info("crossvoice stopped");
    return 0;
}

}  // namespace crossvoice::app
