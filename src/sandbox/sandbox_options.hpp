#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

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
    // How long one second of record_start's max_length and timeout_secs lasts, so tests need not wait for them.
    std::chrono::milliseconds record_second{1000};

    // Simulated TeXML calls (POST {prefix}/sandbox/texml/calls): the application URL and the status callback URL
    // used when the request names none (the service sets its /api/voice/texml and /api/voice/texml/status), and
    // who owns a called number (the reply then says `platform`: the owner's name, or null for nobody; called on
    // worker threads, so it must be thread-safe).
    std::optional<std::string> texml_url;
    std::optional<std::string> texml_status_url;
    std::function<std::optional<std::string>(std::string_view number)> number_owner;
};

}  // namespace crossvoice::sandbox
