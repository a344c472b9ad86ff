#include "app/sandbox_command.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <charconv>
#include <cstdio>

#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "infra/curl_http_client.hpp"
#include "observability/logging.hpp"
#include "sandbox/sandbox_carrier.hpp"
#include "speech/espeak_synthesizer.hpp"

namespace crossvoice::app {
namespace {

std::optional<std::array<unsigned char, 32>> parse_seed(const std::string& hex) {
    std::array<unsigned char, 32> seed{};
    std::size_t length = 0;
    if (hex.size() != 64 ||
        sodium_hex2bin(seed.data(), seed.size(), hex.data(), hex.size(), nullptr, &length, nullptr) != 0 ||
        length != seed.size()) {
        return std::nullopt;
    }
    return seed;
}

bool split_listen(const std::string& listen, std::string& host, std::uint16_t& port) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned value = 0;
    const auto* begin = listen.data() + colon + 1;
    const auto* end = listen.data() + listen.size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc{} || ptr != end || begin == end || value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
    return true;
}

}  // namespace

int sandbox_carrier(const SandboxCommandOptions& command) {
    sandbox::SandboxOptions options;
    options.api_key = command.api_key;
    options.default_webhook_url = command.webhook_url;
    options.ring_delay = std::chrono::milliseconds{command.ring_delay_ms};
    options.answer_delay = std::chrono::milliseconds{command.answer_delay_ms};
    options.talk_time = std::chrono::milliseconds{command.talk_time_ms};
    options.no_answer_after = std::chrono::milliseconds{command.no_answer_ms};
    options.stall = std::chrono::milliseconds{command.stall_ms};
    if (command.key_seed_hex) {
        options.key_seed = parse_seed(*command.key_seed_hex);
        if (!options.key_seed) {
            fmt::print(stderr, "crossvoice: --key-seed must be 64 hex digits\n");
            return 2;
        }
    }
    http::ServerOptions server_options;
    if (!split_listen(command.listen, server_options.host, server_options.port)) {
        fmt::print(stderr, "crossvoice: --listen must be HOST:PORT, e.g. 127.0.0.1:0\n");
        return 2;
    }
    server_options.worker_threads = 4;  // only the stalling number blocks a worker

    core::SystemClock clock;
    infra::CurlHttpClient http_client;
    auto synthesizer = speech::EspeakSynthesizer::create();
    if (!synthesizer) {
        fmt::print(stderr, "crossvoice: {}\n", synthesizer.error().message);
        return 1;
    }
    sandbox::SandboxCarrier carrier(options, http_client, **synthesizer, clock);
    http::Router router;
    carrier.add_routes(router);
    // Every sandbox route is open (it checks the Telnyx-style Bearer itself) and nothing is audited.
    http::Pipeline pipeline(
        [](std::string_view) -> core::Result<core::Principal> {
            return core::Error::unauthorized("the sandbox carrier has no API keys");
        },
        [](core::AuditEntry) {});
    http::RequestMetrics metrics(router);
    http::Server server(server_options, router, pipeline, metrics);
    auto port = server.listen();
    if (!port) {
        fmt::print(stderr, "crossvoice: {}\n", port.error().message);
        return 1;
    }
    const bool ipv6 = server_options.host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + server_options.host + "]" : server_options.host;
    server.run(true, [&] {
        fmt::print("public key: {}\n", carrier.public_key_base64());
        fmt::print("listening on http://{}:{}\n", host, *port);
        std::fflush(stdout);
        observability::logger("sandbox")->info("sandbox carrier on {}:{}", host, *port);
    });
    return 0;
}

}  // namespace crossvoice::app
