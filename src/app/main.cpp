// crossvoice: one voice and messaging layer for TETRIX and JoRoMi. See README.md.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/config.hpp"
#include "app/flows_command.hpp"
#include "app/kb_command.hpp"
#include "app/keys_command.hpp"
#include "app/migrate_command.hpp"
#include "app/sandbox_command.hpp"
#include "app/serve_command.hpp"
#include "app/simulate_command.hpp"
#include "app/transcribe_command.hpp"
#include "app/version.hpp"
#include "observability/logging.hpp"

namespace {

using crossvoice::app::Config;

int print_config() {
    auto env = crossvoice::app::read_environment();
    if (!env) {
        fmt::print(stderr, "crossvoice: configuration error: {}\n", env.error().message);
        return 2;
    }
    auto config = crossvoice::app::load_config(*env);
    for (const auto& line : crossvoice::app::describe_config(*env)) {
        fmt::print("{}={}\n    # {} ({})\n", line.name, line.value, line.help, line.source);
    }
    if (!config) {
        fmt::print(stderr, "crossvoice: configuration error: {}\n", config.error().message);
        return 2;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"crossvoice: voice, IVR, transcription and messaging for TETRIX and JoRoMi"};
    cli.require_subcommand(1);
    cli.set_version_flag("--version",
                         fmt::format("crossvoice {} ({})", crossvoice::app::kVersion, crossvoice::app::kGitCommit));

    auto* serve = cli.add_subcommand("serve", "Serve the HTTP API (CROSSVOICE_LISTEN, default 127.0.0.1:8080)");
    auto* config_cmd = cli.add_subcommand("config", "Print the effective configuration, secrets masked");
    auto* keys = cli.add_subcommand("keys", "Manage API keys");
    keys->require_subcommand(1);
    std::string platform;
    std::string name;
    std::optional<std::string> list_platform;
    std::string key_id;
    auto* create = keys->add_subcommand("create", "Create a key; its last line of output is the key alone");
    create->add_option("--platform", platform, "tetrix or joromi")->required();
    create->add_option("--name", name, "what the key is for")->required();
    auto* list = keys->add_subcommand("list", "List keys (never the secrets)");
    list->add_option("--platform", list_platform, "only this platform's keys");
    auto* revoke = keys->add_subcommand("revoke", "Revoke a key: it stops working at once");
    revoke->add_option("id", key_id, "key id, as printed by keys list")->required();

    crossvoice::app::SandboxCommandOptions sandbox_options;
    auto* sandbox = cli.add_subcommand(
        "sandbox-carrier", "Run the sandbox carrier (Telnyx Call Control v2 on loopback) as its own process");
    sandbox->add_option("--listen", sandbox_options.listen, "HOST:PORT; port 0 takes a free one")
        ->capture_default_str();
    sandbox->add_option("--api-key", sandbox_options.api_key, "Bearer key to require (default: any)");
    sandbox->add_option("--key-seed", sandbox_options.key_seed_hex, "64 hex digits: a stable signing key");
    sandbox->add_option("--webhook-url", sandbox_options.webhook_url, "where to send webhooks of dials without one");
    sandbox->add_option("--ring-delay-ms", sandbox_options.ring_delay_ms, "dial to call.initiated")
        ->check(CLI::Range(0, 600'000));
    sandbox->add_option("--answer-delay-ms", sandbox_options.answer_delay_ms, "dial to call.answered")
        ->check(CLI::Range(0, 600'000));
    sandbox->add_option("--talk-time-ms", sandbox_options.talk_time_ms, "answer to the callee hanging up")
        ->check(CLI::Range(0, 3'600'000));
    sandbox->add_option("--no-answer-ms", sandbox_options.no_answer_ms, "how long the no-answer number rings")
        ->check(CLI::Range(0, 600'000));
    sandbox->add_option("--stall-ms", sandbox_options.stall_ms, "how long the timeout number holds a dial")
        ->check(CLI::Range(0, 600'000));

    auto* flows = cli.add_subcommand("flows", "IVR flow files");
    flows->require_subcommand(1);
    std::vector<std::string> flow_files;
    auto* flows_check = flows->add_subcommand(
        "check", "Validate flow files together (default: every *.yaml in CROSSVOICE_FLOWS_DIR); exit 1 on problems");
    flows_check->add_option("files", flow_files, "flow files to check");

    auto* migrate_cmd = cli.add_subcommand("migrate", "Apply pending database migrations without starting the server");

    auto* kb = cli.add_subcommand("kb", "SHANGO's knowledge base");
    kb->require_subcommand(1);
    auto* kb_reindex = kb->add_subcommand(
        "reindex", "Store the shipped documents, rebuild the index, and have running instances rebuild theirs");

    crossvoice::app::SimulateOptions simulate_options;
    auto* simulate = crossvoice::app::add_simulate_command(cli, simulate_options);

    crossvoice::app::TranscribeOptions transcribe_options;
    auto* transcribe = crossvoice::app::add_transcribe_command(cli, transcribe_options);

    CLI11_PARSE(cli, argc, argv);

    if (config_cmd->parsed()) return print_config();

    auto env = crossvoice::app::read_environment();
    if (!env) {
        fmt::print(stderr, "crossvoice: configuration error: {}\n", env.error().message);
        return 2;
    }
    auto config = crossvoice::app::load_config(*env);
    if (!config) {
        fmt::print(stderr, "crossvoice: configuration error: {}\n", config.error().message);
        return 2;
    }
    crossvoice::observability::init_logging(config->log_level);

    int exit_code = 1;
    if (serve->parsed()) exit_code = crossvoice::app::serve(*config);
    if (sandbox->parsed()) exit_code = crossvoice::app::sandbox_carrier(sandbox_options);
    if (flows_check->parsed()) exit_code = crossvoice::app::flows_check(*config, flow_files);
    if (kb_reindex->parsed()) exit_code = crossvoice::app::kb_reindex(*config);
    if (migrate_cmd->parsed()) exit_code = crossvoice::app::migrate(*config);
    if (create->parsed()) exit_code = crossvoice::app::keys_create(*config, platform, name);
    if (list->parsed()) exit_code = crossvoice::app::keys_list(*config, list_platform);
    if (revoke->parsed()) exit_code = crossvoice::app::keys_revoke(*config, key_id);
    if (simulate->parsed()) exit_code = crossvoice::app::simulate(simulate_options, *config);
    if (transcribe->parsed()) exit_code = crossvoice::app::transcribe(transcribe_options, *config);
    crossvoice::observability::shutdown_logging();
    return exit_code;
}
