#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/config.hpp"

namespace CLI {
class App;
}

namespace crossvoice::app {

struct SimulateOptions {
    std::string platform;  // tetrix | joromi: who should own --to
    std::string to;
    std::optional<std::string> from;     // default: the sandbox's caller
    std::optional<std::string> service;  // default: http://CROSSVOICE_LISTEN
    bool json = false;
    // The caller's actions in command-line order: {"press", "1"}, {"say", "billing"}, {"record", "..."},
    // {"silence", ""}. Filled once the command line is parsed.
    std::vector<std::pair<std::string, std::string>> script;
    // The raw values of --press, --say, --record and --silence, option by option (the script is what counts).
    std::vector<std::string> presses, sayings, recordings;
    int silences = 0;
};

// Where the service serves the sandbox's simulated TeXML calls (the sandbox lives under /sandbox there).
inline constexpr const char* kSimulatePath = "/sandbox/sandbox/texml/calls";

// Registers `crossvoice simulate` on `cli`, writing into `options` (which must outlive parsing); the returned
// subcommand is parsed() when it was chosen.
//   crossvoice simulate --platform P --to NUMBER [--from NUMBER] [--press DIGITS]... [--say TEXT]...
//                       [--record TEXT]... [--silence]... [--json] [--service URL]
CLI::App* add_simulate_command(CLI::App& cli, SimulateOptions& options);

// Places a simulated inbound call through the service's sandbox carrier (POST {service}{kSimulatePath}) and
// prints it as a person would follow it (format_simulation), or the sandbox's JSON as it is with --json.
// Exit codes: 0 the call ran (whatever its outcome but an application error); 1 the service is unreachable,
// answered an error, or the call failed in the application; 2 bad arguments; 3 the called number belongs to
// another platform than --platform (or to none), as the reply's `platform` says.
int simulate(const SimulateOptions& options, const Config& config);

// The default --service: http://HOST:PORT from CROSSVOICE_LISTEN, a wildcard host read as loopback.
std::string default_service_url(const Config& config);

}  // namespace crossvoice::app
