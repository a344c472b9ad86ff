#include "app/simulate_command.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

#include "app/simulation_report.hpp"
#include "core/e164.hpp"
#include "core/platform.hpp"
#include "infra/curl_http_client.hpp"

namespace crossvoice::app {
namespace {

using nlohmann::json;

constexpr std::string_view kServeHint = "is `crossvoice serve` running without TELNYX_API_KEY?";
// A call runs every TeXML round trip inside one request: give it time.
constexpr std::chrono::milliseconds kCallTimeout{120'000};

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// What an error answer says: the sandbox's {"errors":[{detail}]} or the service's {"error": "..."}.
std::string error_message(const core::ports::HttpResponse& response) {
    const auto body = json::parse(response.body, nullptr, false);
    if (body.is_object()) {
        if (body.contains("errors") && body["errors"].is_array() && !body["errors"].empty() &&
            body["errors"][0].is_object()) {
            const auto& first = body["errors"][0];
            auto message = first.value("detail", first.value("title", std::string()));
            if (first.contains("source") && first["source"].is_object() && first["source"].contains("pointer")) {
                message += fmt::format(" ({})", first["source"].value("pointer", ""));
            }
            if (!message.empty()) return message;
        }
        if (body.contains("error") && body["error"].is_string()) return body["error"].get<std::string>();
    }
    return fmt::format("HTTP {}", response.status);
}

}  // namespace

CLI::App* add_simulate_command(CLI::App& cli, SimulateOptions& options) {
    auto* command = cli.add_subcommand(
        "simulate", "Place a simulated inbound call through the service's sandbox carrier and follow it");
    command->add_option("--platform", options.platform, "tetrix or joromi: the platform that should own --to");
    command->add_option("--to", options.to, "the number called (E.164)");
    command->add_option("--from", options.from, "the caller's number (default: the sandbox's caller)");
    // One value per occurrence: repeated options keep their order with the others (see parse_order below).
    command->add_option("--press", options.presses, "the caller presses these keys at the next menu (repeatable)")
        ->allow_extra_args(false);
    command->add_option("--say", options.sayings, "the caller says this at the next menu (repeatable)")
        ->allow_extra_args(false);
    command->add_option("--record", options.recordings, "the caller leaves this message at the next recording")
        ->allow_extra_args(false);
    command->add_flag("--silence", options.silences, "the caller says nothing at the next menu (repeatable)");
    command->add_flag("--json", options.json, "print the sandbox's JSON transcript as it is");
    command->add_option("--service", options.service, "the service's base URL (default: from CROSSVOICE_LISTEN)");
    command->callback([command, &options] {
        options.script.clear();
        std::map<const CLI::Option*, std::size_t> seen;
        for (const auto* option : command->parse_order()) {
            const auto index = seen[option]++;
            const auto name = option->get_name();
            if (name == "--silence") {
                options.script.emplace_back("silence", "");
            } else if (name == "--press" || name == "--say" || name == "--record") {
                const auto& values = option->results();
                if (index < values.size()) options.script.emplace_back(name.substr(2), values[index]);
            }
        }
    });
    return command;
}

std::string default_service_url(const Config& config) {
    std::string host = config.listen_host;
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::" || host == "[::]") host = "::1";
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    return fmt::format("http://{}:{}", host, config.listen_port);
}

int simulate(const SimulateOptions& options, const Config& config) {
    const auto platform = core::parse_platform(options.platform);
    if (!platform) {
        fmt::print(stderr, "crossvoice: --platform must be tetrix or joromi\n");
        return 2;
    }
    if (!core::is_e164(options.to)) {
        fmt::print(stderr, "crossvoice: --to must be a number in E.164 form, e.g. +12025550100\n");
        return 2;
    }
    if (options.from && !core::is_e164(*options.from)) {
        fmt::print(stderr, "crossvoice: --from must be a number in E.164 form, e.g. +12025550199\n");
        return 2;
    }
    const auto service = without_trailing_slash(options.service.value_or(default_service_url(config)));
    if (!service.starts_with("http://") && !service.starts_with("https://")) {
        fmt::print(stderr, "crossvoice: --service must be an http:// or https:// URL\n");
        return 2;
    }

    json script = json::array();
    for (const auto& [kind, value] : options.script) {
        script.push_back(kind == "silence" ? json{{"silence", true}} : json{{kind, value}});
    }
    json body{{"to", options.to}, {"script", std::move(script)}};
    if (options.from) body["from"] = *options.from;

    core::ports::HttpRequest request;
    request.method = "POST";
    request.url = service + kSimulatePath;
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    request.body = body.dump();
    request.attempt_timeout = kCallTimeout;
    request.deadline = kCallTimeout;
    request.retry.max_attempts = 1;  // each request places a call
    infra::CurlHttpClient http;
    const auto response = http.send(request);
    if (!response) {
        fmt::print(stderr, "crossvoice: cannot reach the service at {} ({}): {}\n", service, response.error().message,
                   kServeHint);
        return 1;
    }
    if (response->status == 404) {
        fmt::print(stderr, "crossvoice: {} has no sandbox carrier (HTTP 404 for {}): {}\n", service, kSimulatePath,
                   kServeHint);
        return 1;
    }
    const auto reply = json::parse(response->body, nullptr, false);
    if (response->status != 200 || !reply.is_object()) {
        fmt::print(stderr, "crossvoice: the sandbox refused the call: {}\n", error_message(*response));
        return 1;
    }

    if (options.json) {
        fmt::print("{}\n", response->body);
    } else {
        fmt::print("{}", format_simulation(reply));
    }
    std::fflush(stdout);

    if (reply.contains("platform")) {
        const auto& owner = reply["platform"];
        if (!owner.is_string()) {
            fmt::print(stderr, "crossvoice: no platform owns {} (wanted {})\n", options.to, options.platform);
            return 3;
        }
        if (owner.get<std::string>() != core::to_string(*platform)) {
            fmt::print(stderr, "crossvoice: {} belongs to {}, not {}\n", options.to, owner.get<std::string>(),
                       options.platform);
            return 3;
        }
    }
    if (reply.value("outcome", std::string()) == "error") {
        fmt::print(stderr, "crossvoice: the call failed in the application: {}\n",
                   reply.value("error", std::string("unknown error")));
        return 1;
    }
    return 0;
}

}  // namespace crossvoice::app
