#include "sandbox/sandbox_carrier.hpp"

#include <sodium.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "http/pipeline.hpp"
#include "sandbox/call_simulator.hpp"
#include "sandbox/command_request.hpp"
#include "sandbox/dial_request.hpp"
#include "sandbox/number_plan.hpp"
#include "sandbox/recording_store.hpp"
#include "sandbox/telnyx_error.hpp"
#include "sandbox/texml_call_request.hpp"
#include "sandbox/texml_session.hpp"
#include "sandbox/webhook_signer.hpp"

namespace crossvoice::sandbox {
namespace {

// The Bearer key check of the Telnyx routes: with api_key configured it must match (in constant time),
// otherwise any non-empty key will do, as a sandbox should.
std::optional<TelnyxError> check_key(const http::Request& request, const std::optional<std::string>& api_key) {
    auto secret = http::bearer_secret(request);
    if (!secret || secret->empty()) {
        return authentication_failed("Send your API key as 'Authorization: Bearer <key>'.");
    }
    if (api_key &&
        (secret->size() != api_key->size() || sodium_memcmp(secret->data(), api_key->data(), api_key->size()) != 0)) {
        return authentication_failed("The API key is not valid for this sandbox.");
    }
    return std::nullopt;
}

// An empty body is an empty object (Telnyx accepts a bare hangup); anything else must be a JSON object.
std::optional<TelnyxError> read_body(const http::Request& request, nlohmann::json& out) {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
        out = nlohmann::json::object();
        return std::nullopt;
    }
    out = nlohmann::json::parse(request.body, nullptr, false);
    if (out.is_discarded()) return invalid_json("The request body is not valid JSON.");
    if (!out.is_object()) return invalid_json("The request body must be a JSON object.");
    return std::nullopt;
}

std::string trim_trailing_slash(std::string text) {
    while (!text.empty() && text.back() == '/') text.pop_back();
    return text;
}

}  // namespace

struct SandboxCarrier::State {
    State(SandboxOptions opts, core::ports::HttpClient& http, core::ports::SpeechSynthesizer& speech,
          const core::Clock& clock)
        : options(std::move(opts)),
          signer(options.key_seed),
          simulator(options, http, speech, clock, signer, recordings),
          http_client(http),
          synthesizer(speech),
          clock_ref(clock),
          texml_url(options.texml_url),
          texml_status_url(options.texml_status_url) {}

    // Where this request's calls serve their recordings.
    std::string public_base(const http::Request& request) {
        if (options.public_base_url) return trim_trailing_slash(*options.public_base_url);
        {
            std::lock_guard lock(texml_mutex);
            if (bound_base) return *bound_base;
        }
        return "http://" + std::string(request.header("host").value_or("localhost")) + options.route_prefix;
    }

    // The "504" number: holds the (worker) request for `stall`, or until the carrier shuts down.
    void stall() {
        std::unique_lock lock(stall_mutex);
        ++stalled;
        stall_wake.wait_for(lock, options.stall, [this] { return stopping; });
        --stalled;
        stall_wake.notify_all();
    }

    http::HandlerResult dial(http::RequestContext& context);
    http::HandlerResult command(http::RequestContext& context);
    http::HandlerResult recording(http::RequestContext& context);
    http::HandlerResult texml_call(http::RequestContext& context);

    SandboxOptions options;
    WebhookSigner signer;
    RecordingStore recordings;
    CallSimulator simulator;

    // Simulated TeXML calls.
    core::ports::HttpClient& http_client;
    core::ports::SpeechSynthesizer& synthesizer;
    const core::Clock& clock_ref;
    std::mutex texml_mutex;  // guards the two URLs, which set_texml_urls may change while requests run
    std::optional<std::string> texml_url;
    std::optional<std::string> texml_status_url;
    std::optional<std::string> bound_base;  // set_bound_base_url, also guarded by texml_mutex

    std::mutex stall_mutex;
    std::condition_variable stall_wake;
    int stalled = 0;
    bool stopping = false;
};

http::HandlerResult SandboxCarrier::State::dial(http::RequestContext& context) {
    context.audit.action = "sandbox.dial";
    context.audit.recorded_elsewhere = true;  // the carrier's own log is GET /sandbox/calls
    if (auto error = check_key(context.request, options.api_key)) return render(*error);
    nlohmann::json body;
    if (auto error = read_body(context.request, body)) return render(*error);
    DialRequest request;
    if (auto error = read_dial_request(body, request)) return render(*error);
    if (behaviour_for(request.to) == NumberBehaviour::kDialStalls) {
        stall();
        return render({.status = 504,
                       .code = "10008",
                       .title = "Request timeout",
                       .detail = "The dial request timed out (sandbox number ending in 504)."});
    }
    return simulator.dial(request, body, public_base(context.request));
}

http::HandlerResult SandboxCarrier::State::command(http::RequestContext& context) {
    const auto id = context.param("call_control_id");
    const auto name = context.param("action");
    context.audit.action = "sandbox." + std::string(name);
    context.audit.recorded_elsewhere = true;  // the carrier's own log is GET /sandbox/calls
    context.audit.target = "call:" + std::string(id);
    if (auto error = check_key(context.request, options.api_key)) return render(*error);
    const auto action = parse_action(name);
    if (!action) return render(not_found("Unknown Call Control action: " + std::string(name)));
    nlohmann::json body;
    if (auto error = read_body(context.request, body)) return render(*error);
    return simulator.command(id, *action, name, body);
}

http::HandlerResult SandboxCarrier::State::recording(http::RequestContext& context) {
    constexpr std::string_view kSuffix = ".wav";
    const auto file = context.param("file");
    if (!file.ends_with(kSuffix)) return render(not_found("Recording not found."));
    const auto found = recordings.find(std::string(file.substr(0, file.size() - kSuffix.size())));
    if (!found) return render(not_found("Recording not found."));
    if (found->gone) {
        return render({.status = 410,
                       .code = "10005",
                       .title = "Gone",
                       .detail = "This recording is no longer available (sandbox number ending in 410)."});
    }
    return http::Response::text(200, "audio/wav", found->wav);
}

http::HandlerResult SandboxCarrier::State::texml_call(http::RequestContext& context) {
    context.audit.action = "sandbox.texml_call";
    context.audit.recorded_elsewhere = true;  // the service records the call it answers
    nlohmann::json body;
    if (auto error = read_body(context.request, body)) return render(*error);
    TexmlCall call;
    std::optional<TelnyxError> error;
    {
        std::lock_guard lock(texml_mutex);
        error = read_texml_call(body, texml_url, texml_status_url, call);
    }
    if (error) return render(*error);
    const TexmlEnvironment environment{
        .http = http_client,
        .signer = signer,
        .speech = synthesizer,
        .recordings = recordings,
        .clock = clock_ref,
        .public_base = public_base(context.request),
        .talk_secs = static_cast<int>(
            std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(options.talk_time).count())),
    };
    auto reply = run_texml_call(call, environment).to_json();
    if (options.number_owner) {
        const auto owner = options.number_owner(call.to);
        reply["platform"] = owner ? nlohmann::json(*owner) : nlohmann::json();
    }
    return http::Response::json(200, reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

SandboxCarrier::SandboxCarrier(SandboxOptions options, core::ports::HttpClient& http,
                               core::ports::SpeechSynthesizer& speech, const core::Clock& clock)
    : state_(std::make_unique<State>(std::move(options), http, speech, clock)) {}

SandboxCarrier::~SandboxCarrier() {
    state_->simulator.stop();
    std::unique_lock lock(state_->stall_mutex);
    state_->stopping = true;
    state_->stall_wake.notify_all();
    // A stalled dial is still inside its handler, using this object: wait until it has left.
    state_->stall_wake.wait(lock, [this] { return state_->stalled == 0; });
}

std::string SandboxCarrier::public_key_base64() const { return state_->signer.public_key_base64(); }

void SandboxCarrier::set_bound_base_url(std::string base) {
    std::lock_guard lock(state_->texml_mutex);
    state_->bound_base = trim_trailing_slash(base);
}

void SandboxCarrier::set_texml_urls(std::string texml, std::string status) {
    std::lock_guard lock(state_->texml_mutex);
    state_->texml_url = std::move(texml);
    state_->texml_status_url = std::move(status);
}

void SandboxCarrier::add_routes(http::Router& router) {
    using http::Access;
    using http::Execution;
    using http::Method;
    using http::RequestContext;
    const auto& prefix = state_->options.route_prefix;
    auto* state = state_.get();

    router.add({Method::kPost, prefix + "/v2/calls", "Sandbox carrier: dial (Telnyx Call Control v2)", Access::kPublic,
                Execution::kWorker, [state](RequestContext& context) { return state->dial(context); }});
    router.add({Method::kPost, prefix + "/v2/calls/{call_control_id}/actions/{action}",
                "Sandbox carrier: a Call Control command", Access::kPublic, Execution::kInline,
                [state](RequestContext& context) { return state->command(context); }});
    router.add({Method::kGet, prefix + "/recordings/{file}", "Sandbox carrier: a recording (WAV)", Access::kPublic,
                Execution::kInline, [state](RequestContext& context) { return state->recording(context); }});

    router.add({Method::kPost, prefix + "/sandbox/calls/{call_control_id}/dtmf", "Sandbox: the far end presses keys",
                Access::kPublic, Execution::kInline, [state](RequestContext& context) -> http::HandlerResult {
                    context.audit.action = "sandbox.press_digits";
                    context.audit.recorded_elsewhere = true;  // the carrier's own log is GET /sandbox/calls
                    nlohmann::json body;
                    if (auto error = read_body(context.request, body)) return render(*error);
                    return state->simulator.press_digits(context.param("call_control_id"), body);
                }});
    router.add({Method::kPost, prefix + "/sandbox/calls/{call_control_id}/speech", "Sandbox: the far end speaks",
                Access::kPublic, Execution::kInline, [state](RequestContext& context) -> http::HandlerResult {
                    context.audit.action = "sandbox.far_end_speech";
                    context.audit.recorded_elsewhere = true;  // the carrier's own log is GET /sandbox/calls
                    nlohmann::json body;
                    if (auto error = read_body(context.request, body)) return render(*error);
                    return state->simulator.far_end_speech(context.param("call_control_id"), body);
                }});
    router.add({Method::kPost, prefix + "/sandbox/calls/{call_control_id}/hangup", "Sandbox: the far end hangs up",
                Access::kPublic, Execution::kInline, [state](RequestContext& context) -> http::HandlerResult {
                    context.audit.action = "sandbox.far_end_hangup";
                    context.audit.recorded_elsewhere = true;  // the carrier's own log is GET /sandbox/calls
                    return state->simulator.far_end_hangup(context.param("call_control_id"));
                }});
    router.add({Method::kPost, prefix + "/sandbox/inbound", "Sandbox: an inbound call arrives", Access::kPublic,
                Execution::kInline, [state](RequestContext& context) -> http::HandlerResult {
                    context.audit.action = "sandbox.inbound";
                    context.audit.recorded_elsewhere = true;  // the carrier's own log is GET /sandbox/calls
                    nlohmann::json body;
                    if (auto error = read_body(context.request, body)) return render(*error);
                    return state->simulator.inbound(body, state->public_base(context.request));
                }});
    router.add({Method::kGet, prefix + "/sandbox/calls/{call_control_id}", "Sandbox: one call and its commands",
                Access::kPublic, Execution::kInline, [state](RequestContext& context) -> http::HandlerResult {
                    return state->simulator.view(context.param("call_control_id"));
                }});
    router.add({Method::kPost, prefix + "/sandbox/texml/calls", "Sandbox: a simulated inbound TeXML call",
                Access::kPublic, Execution::kWorker,
                [state](RequestContext& context) { return state->texml_call(context); }});
    router.add({Method::kGet, prefix + "/sandbox/calls", "Sandbox: every call", Access::kPublic, Execution::kInline,
                [state](RequestContext&) -> http::HandlerResult { return state->simulator.list(); }});
}

}  // namespace crossvoice::sandbox
