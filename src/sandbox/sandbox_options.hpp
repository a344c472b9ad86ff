#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>

namespace crossvoice::sandbox {

// How the sandbox carrier behaves. The defaults feel like a real phone call to a person watching the console;
// tests shrink the delays to a few milliseconds.
struct SandboxOptions {
    std::string route_prefix;            // "" standalone, "/sandbox" inside the service; routes live at {prefix}/v2/...
    std::optional<std::string> api_key;  // when set, Bearer must equal it; otherwise any non-empty Bearer is accepted
    std::optional<std::string> default_webhook_url;  // when the dial carries no webhook_url
    // Base for recording URLs, the prefix included ("https://voice.example.com/sandbox"); default: "http://" + the
    // dial request's Host header + prefix. Recordings are then at {base}/recordings/{id}.wav.
    std::optional<std::string> public_base_url;
    std::chrono::milliseconds ring_delay{100};        // dial -> call.initiated
    std::chrono::milliseconds answer_delay{700};      // dial -> call.answered for numbers that answer
    std::chrono::milliseconds talk_time{3000};        // answered -> the far end hangs up (if nobody else ends it first)
    std::chrono::milliseconds no_answer_after{2000};  // for the no-answer number: capped by timeout_secs
    std::chrono::milliseconds stall{5000};            // how long the "timeout" number holds the dial request
    int webhook_max_attempts = 3;
    std::string callee_speech =
        "Hello, this is the crossvoice sandbox. I would like to check my order status. Thank you, goodbye.";
    std::optional<std::array<unsigned char, 32>> key_seed;  // Ed25519 seed for a stable key; random when absent

    // Not in the first brief, added so that tests need not wait for real-length prompts. `speak` lasts this long
    // per character of its text (an estimate: synthesising in the request handler would block it).
    std::chrono::milliseconds speak_time_per_character{60};
    // playback_start "plays" for this long: the sandbox never fetches the audio_url.
    std::chrono::milliseconds playback_time{2000};
};

}  // namespace crossvoice::sandbox
