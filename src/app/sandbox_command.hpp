#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace crossvoice::app {

struct SandboxCommandOptions {
    std::string listen = "127.0.0.1:0";
    std::optional<std::string> api_key;       // Bearer the sandbox requires; any non-empty one when unset
    std::optional<std::string> key_seed_hex;  // 64 hex digits: a stable Ed25519 key across restarts
    std::optional<std::string> webhook_url;   // for dials that carry none
    int ring_delay_ms = 100;
    int answer_delay_ms = 700;
    int talk_time_ms = 3000;
    int no_answer_ms = 2000;
    int stall_ms = 5000;
};

// `crossvoice sandbox-carrier`: the sandbox carrier as its own process, speaking Telnyx Call Control v2 on
// --listen. Prints "listening on http://HOST:PORT" and "public key: <base64>" (TELNYX_PUBLIC_KEY for the
// service), then serves until SIGINT/SIGTERM.
int sandbox_carrier(const SandboxCommandOptions& options);

}  // namespace crossvoice::app
