#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ports/http_client.hpp"
#include "core/ports/speech_synthesizer.hpp"

namespace crossvoice::sandbox::testing {

// One webhook attempt as the receiver saw it.
struct Delivery {
    std::string url;
    std::string body;
    std::optional<std::string> signature;
    std::optional<std::string> timestamp;
    std::optional<std::string> content_type;
    nlohmann::json json;
    int answered = 200;    // what the fake answered; 0 for a simulated transport failure
    int max_attempts = 0;  // the HttpClient retry setting the sandbox asked for

    std::string event_type() const;
    std::string call_control_id() const;
    const nlohmann::json& payload() const;
    int attempt() const;
    bool accepted() const { return answered >= 200 && answered < 300; }
};

// Captures every webhook delivery and answers from a script (then 200). Tests wait on it with a generous
// timeout instead of sleeping.
class CapturingHttpClient final : public core::ports::HttpClient {
  public:
    static constexpr int kTransportError = 0;
    static constexpr std::chrono::milliseconds kWait{5'000};

    core::Result<core::ports::HttpResponse> send(const core::ports::HttpRequest& request) override;

    // The next answers, in order: HTTP statuses, or kTransportError for "no answer".
    void script(std::vector<int> answers);
    std::vector<Delivery> deliveries() const;
    // Accepted deliveries of one leg, in the order they arrived.
    std::vector<Delivery> accepted_for(const std::string& call_control_id) const;
    std::vector<std::string> event_types_for(const std::string& call_control_id) const;

    // `done` runs under the fake's lock: it must read only the deliveries it is given.
    bool wait_until(const std::function<bool(const std::vector<Delivery>&)>& done,
                    std::chrono::milliseconds timeout = kWait) const;
    // The first accepted delivery of `event_type` for the leg, waiting for it; nullopt after the timeout.
    std::optional<Delivery> wait_for(const std::string& call_control_id, const std::string& event_type,
                                     std::chrono::milliseconds timeout = kWait) const;

  private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<Delivery> deliveries_;
    std::deque<int> script_;
};

// Answers every text with a small mono WAV (8 kHz) whose samples all equal 1000 + the text's length, so a test
// can tell whose speech landed where in a recording.
class FakeSpeech final : public core::ports::SpeechSynthesizer {
  public:
    static constexpr int kRate = 8'000;
    static std::int16_t level_for(std::string_view text) { return static_cast<std::int16_t>(1000 + text.size()); }

    core::Result<std::string> synthesize_wav(std::string_view text, std::string_view language) override;

    std::atomic<int> calls{0};
};

}  // namespace crossvoice::sandbox::testing
