#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/ports/http_client.hpp"
#include "core/ports/speech_synthesizer.hpp"
#include "core/wav.hpp"
#include "http/message.hpp"
#include "sandbox/command_request.hpp"
#include "sandbox/dial_request.hpp"
#include "sandbox/recording_store.hpp"
#include "sandbox/sandbox_call.hpp"
#include "sandbox/sandbox_options.hpp"
#include "sandbox/task_thread.hpp"
#include "sandbox/telnyx_error.hpp"
#include "sandbox/webhook_sender.hpp"
#include "sandbox/webhook_signer.hpp"

namespace crossvoice::sandbox {

using core::PcmAudio;

// The simulated phone network behind the sandbox's routes: every call leg, its timers and the webhooks it sends.
// Requests only validate, record, schedule and reply; the far end's behaviour runs on a timer thread, and
// webhooks (and the synthesis of recordings) on a delivery thread, in the order they were queued. One lock
// guards every call, so what a request sees is always consistent with what the timers do.
//
// Hang-up sources: the far end hanging up is "callee" on an outgoing leg and "caller" on an incoming one; our
// hangup command the other way round; the network giving up (timeout, time_limit, not_found) is "unknown".
// The sandbox keeps the last kMaxCalls legs (older ended ones are forgotten and then answer 404).
class CallSimulator {
  public:
    static constexpr std::size_t kMaxCalls = 1000;
    static constexpr std::size_t kMaxUtteranceBytes = 1000;
    static constexpr std::chrono::seconds kCommandIdMemory{60};

    CallSimulator(const SandboxOptions& options, core::ports::HttpClient& http, core::ports::SpeechSynthesizer& speech,
                  const core::Clock& clock, const WebhookSigner& signer, RecordingStore& recordings);
    ~CallSimulator();  // stop()
    CallSimulator(const CallSimulator&) = delete;
    CallSimulator& operator=(const CallSimulator&) = delete;

    // Stops both threads; pending timers and webhooks are dropped. Requests afterwards still answer but
    // schedule nothing.
    void stop();

    // POST /v2/calls, already authenticated and validated. `public_base` is where this call's recordings are
    // served ("http://host/prefix").
    http::Response dial(const DialRequest& request, const nlohmann::json& body, std::string public_base);
    // POST /v2/calls/{id}/actions/{action}, already authenticated; `body` is a JSON object.
    http::Response command(std::string_view call_control_id, Action action, std::string_view action_name,
                           const nlohmann::json& body);

    // Sandbox-only controls.
    http::Response press_digits(std::string_view call_control_id, const nlohmann::json& body);
    http::Response far_end_hangup(std::string_view call_control_id);
    // {"text", "language"?}: the far end says this, into the running recording or the next one.
    http::Response far_end_speech(std::string_view call_control_id, const nlohmann::json& body);
    http::Response inbound(const nlohmann::json& body, std::string public_base);
    http::Response view(std::string_view call_control_id) const;
    http::Response list() const;

  private:
    using Step = std::function<void(SandboxCall&)>;

    // Everything needed to finish a recording off the lock, on the delivery thread.
    struct RecordingJob {
        std::string id;
        std::string channels;
        std::vector<std::pair<std::string, std::string>> our_speech;
        std::vector<std::pair<std::string, std::string>> caller_speech;
        bool scripted = false;  // the far end's audio is caller_speech (maybe nothing), not the default speech
        core::TimePoint started_at{};
        core::TimePoint ended_at{};
        bool gone = false;
        std::string url;
        std::string webhook_url;
        nlohmann::json payload;  // the leg's common payload when the recording stopped
    };

    // --- everything below requires mutex_ ---
    SandboxCall* find(std::string_view call_control_id);
    const SandboxCall* find(std::string_view call_control_id) const;
    SandboxCall& add(SandboxCall call);
    SandboxCall new_leg(std::string public_base) const;
    // Runs `step` on the timer thread after `delay`, under the lock, if the leg still exists.
    void at(std::chrono::milliseconds delay, const std::string& call_control_id, Step step);
    void emit(SandboxCall& call, std::string_view event_type, nlohmann::json extra = nlohmann::json::object());
    void log_command(SandboxCall& call, std::string_view action, const nlohmann::json& body, int status, bool repeat);
    std::string now_text() const;

    void schedule_outgoing(SandboxCall& call, std::optional<int> timeout_secs, std::optional<int> time_limit_secs);
    void send_initiated(SandboxCall& call);
    void answer(SandboxCall& call);
    void end(SandboxCall& call, std::string cause, std::string source);
    void far_end_hangs_up(SandboxCall& call);
    void our_hangup(SandboxCall& call);
    void bridge(SandboxCall& a, SandboxCall& b);

    std::optional<TelnyxError> apply(SandboxCall& call, Action action, const CommandRequest& request,
                                     const nlohmann::json& body);
    std::optional<TelnyxError> transfer(SandboxCall& call, const CommandRequest& request, const nlohmann::json& body);
    // Queues speech or a playback on the leg; returns how long until it has finished playing.
    std::chrono::milliseconds queue_audio(SandboxCall& call, PlayingAudio audio, std::chrono::milliseconds duration,
                                          std::optional<std::pair<std::string, std::string>> speech);
    void stop_audio(SandboxCall& call, std::string_view status);
    void start_gather(SandboxCall& call, const GatherSettings& settings, std::chrono::milliseconds prompt);
    void press(SandboxCall& call, char digit);
    void finish_gather(SandboxCall& call, std::string_view status);
    void start_recording(SandboxCall& call, const std::string& channels, std::optional<int> max_length = std::nullopt,
                         std::optional<int> timeout_secs = std::nullopt);
    // Moves the far end's next utterance into the running recording; with timeout_secs, the recording then
    // stops once the utterance and that much silence have passed.
    void hear_far_end(SandboxCall& call);
    void stop_recording(SandboxCall& call);
    void start_streaming(SandboxCall& call, std::string url);

    // --- delivery thread only ---
    void save_recording(const RecordingJob& job);
    PcmAudio synthesize(std::string_view text, std::string_view language);

    const SandboxOptions& options_;
    core::ports::SpeechSynthesizer& speech_;
    const core::Clock& clock_;
    RecordingStore& recordings_;

    mutable std::mutex mutex_;
    std::unordered_map<std::string, SandboxCall> calls_;
    std::deque<std::string> order_;  // call_control_ids, oldest first
    struct DialMemory {
        std::chrono::steady_clock::time_point at;
        http::Response response;
        std::string call_control_id;
    };
    std::unordered_map<std::string, DialMemory> dial_command_ids_;
    std::uint64_t next_id_ = 0;  // media, gather and inter-digit timer identities

    std::optional<PcmAudio> far_end_audio_;  // delivery thread only: the far end's speech, synthesised once

    // Declared last: the threads start once everything they use exists, and stop() ends them first.
    TaskThread deliveries_{"sandbox-webhooks"};
    WebhookSender sender_;
    TaskThread timers_{"sandbox-timers"};
};

}  // namespace crossvoice::sandbox
