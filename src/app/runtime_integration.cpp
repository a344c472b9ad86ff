// The integration API's wiring: its use-case over the session, call and messaging use-cases, and one probe per
// dependency for GET /api/voice/integration/status, each asking the adapter this runtime actually chose.
#include <fmt/format.h>

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include <thread>

#include <nlohmann/json.hpp>

#include "app/runtime.hpp"
#include "core/wav.hpp"

namespace crossvoice::app {
namespace {

using services::DependencyCheck;
using services::DependencyMode;

std::string trimmed(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

core::ports::HttpRequest get(std::string url, core::ports::HttpHeaders headers = {}) {
    core::ports::HttpRequest request;
    request.url = std::move(url);
    request.headers = std::move(headers);
    return request;
}

core::ports::HttpHeaders bearer(const std::optional<std::string>& key) {
    if (!key) return {};
    return {{"Authorization", "Bearer " + *key}};
}

}  // namespace

core::Status Runtime::open_integration() {
    integration_ = std::make_unique<services::IntegrationService>(
        services::IntegrationService::Ports{sessions_, call_store_, transcript_store_, calls_.get(), messaging_.get()});
    integration_transcribe_ = std::make_unique<services::IntegrationTranscribe>(services::IntegrationTranscribe::Ports{
        *transcription_, sessions_, *shango_, messaging_.get(), message_store_, transcript_store_});

    std::vector<DependencyCheck> checks;

    // Carrier: Telnyx's balance (cheap, authenticated), or the in-process sandbox asked over loopback exactly
    // as the Call Control client reaches it (an unknown call's view: the sandbox answers 404 without side effects).
    if (config_.telnyx_api_key) {
        checks.push_back({"carrier", DependencyMode::kLive, "telnyx", false,
                          services::http_probe(http_client_, get(trimmed(config_.telnyx_api_base_url) + "/balance",
                                                                 bearer(config_.telnyx_api_key)))});
    } else {
        checks.push_back({"carrier", DependencyMode::kSandbox, "sandbox", false, [this]() -> core::Status {
                              if (bound_base_url_.empty()) {
                                  return core::Error::unavailable("the sandbox carrier is not served by this process");
                              }
                              return services::http_probe(
                                  http_client_, get(bound_base_url_ + "/sandbox/sandbox/calls/status-probe"))();
                          }});
    }

    // Speech: the default engine. A vendor is asked over HTTP; the local engine transcribes a quarter second of
    // silence (the first check loads its model, as the first transcription would).
    const std::string provider = !config_.stt_provider.empty() ? config_.stt_provider
                                 : config_.deepgram_api_key    ? "deepgram"
                                                               : "pocketsphinx";
    if (provider == "deepgram") {
        core::ports::HttpHeaders headers;
        if (config_.deepgram_api_key) headers.emplace_back("Authorization", "Token " + *config_.deepgram_api_key);
        checks.push_back({"speech", DependencyMode::kLive, "deepgram", false,
                          services::http_probe(http_client_,
                                               get(trimmed(config_.deepgram_api_base_url) + "/v1/projects", headers))});
    } else if (provider == "openai" && config_.openai_stt_base_url) {
        checks.push_back({"speech", DependencyMode::kLive, "openai", false,
                          services::http_probe(http_client_, get(trimmed(*config_.openai_stt_base_url) + "/models",
                                                                 bearer(config_.openai_stt_api_key)))});
    } else {
        core::ports::SpeechToText* engine = nullptr;
        for (const auto& candidate : speech_engines_) {
            if (candidate->name() == provider) engine = candidate.get();
        }
        checks.push_back({"speech", DependencyMode::kLocal, provider, false, [engine]() -> core::Status {
                              if (engine == nullptr) return core::Error::unavailable("no local speech engine");
                              core::PcmAudio silence;
                              silence.sample_rate = 16'000;
                              silence.samples.assign(4'000, 0);
                              core::ports::SttRequest request;
                              request.audio = core::write_wav(silence);
                              request.content_type = "audio/wav";
                              request.language = "en-US";
                              auto transcript = engine->transcribe(request);
                              if (!transcript) return std::move(transcript).error();
                              return {};
                          }});
    }

    // Translation: LibreTranslate's language list, or one real translation through the local Apertium pipeline.
    if (config_.libretranslate_url) {
        checks.push_back(
            {"translation", DependencyMode::kLive, "libretranslate", false,
             services::http_probe(http_client_, get(trimmed(*config_.libretranslate_url) + "/languages"))});
    } else {
        checks.push_back({"translation", DependencyMode::kLocal, "apertium", false, [this]() -> core::Status {
                              if (!translator_) return core::Error::unavailable("no translator");
                              const auto pairs = translator_->pairs();
                              if (pairs.empty()) {
                                  return core::Error::unavailable("apertium: no language pairs are installed");
                              }
                              auto translated =
                                  translator_->translate("hello", pairs.front().source, pairs.front().target);
                              if (!translated) return std::move(translated).error();
                              return {};
                          }});
    }

    // Assistant: the chat model's model list when one is configured, else the knowledge base's own index.
    if (config_.assistant_model_url) {
        checks.push_back({"assistant", DependencyMode::kLive, "openai", false,
                          services::http_probe(http_client_, get(trimmed(*config_.assistant_model_url) + "/models",
                                                                 bearer(config_.assistant_model_api_key)))});
    } else {
        checks.push_back({"assistant", DependencyMode::kEmbedded, "knowledge-base", false, [this]() -> core::Status {
                              auto found = knowledge_->search(core::Platform::kTetrix, "hours", 1);
                              if (!found) return std::move(found).error();
                              return {};
                          }});
    }

    // Messaging: Sinch's API host (asked without a token: the OAuth token is not fetched for a status page, so a
    // 401 is the host answering), or the sandbox channel over loopback (an empty customer message, which it
    // refuses with 400 and nothing sent).
    if (sinch_sender_) {
        checks.push_back(
            {"messaging", DependencyMode::kLive, "sinch", false,
             services::http_probe(
                 http_client_,
                 get(trimmed(config_.sinch_api_base_url.value_or("https://us.conversation.api.sinch.com")) +
                     "/v1/projects/" + config_.sinch_project_id.value_or("") + "/apps"),
                 false)});
    } else {
        checks.push_back(
            {"messaging", DependencyMode::kSandbox, "sandbox", false, [this]() -> core::Status {
                 if (bound_base_url_.empty()) {
                     return core::Error::unavailable("the sandbox messaging channel is not served by this process");
                 }
                 auto request =
                     get(bound_base_url_ + "/sandbox/sandbox/messages", {{"Content-Type", "application/json"}});
                 request.method = "POST";
                 request.body = "{}";
                 return services::http_probe(http_client_, std::move(request))();
             }});
    }
    // The database is the one dependency nothing works without: an embedded file, or a PostgreSQL server.
    const auto database_mode = stores_->backend == "postgres" ? DependencyMode::kLive : DependencyMode::kEmbedded;
    checks.push_back({"database", database_mode, stores_->backend, true, [this]() { return database_probe_.check(); }});
    // Cache: the rate limiter's store (dial limits), asked with a key of its own: Redis when configured (then
    // required: without it webhooks and hand-offs are refused), else this process's memory.
    checks.push_back({"cache", shared_->redis ? DependencyMode::kLive : DependencyMode::kEmbedded,
                      shared_->redis ? "redis" : "memory", shared_->redis != nullptr, [this]() -> core::Status {
                          auto decision =
                              rate_limiter_.acquire("integration-status-probe", LONG_MAX, std::chrono::seconds(1));
                          if (!decision) return std::move(decision).error();
                          return {};
                      }});
    // Queue: RabbitMQ's publisher connection when configured (not required: jobs then run from the records),
    // else the job table's due-job query, the one the workers poll.
    if (shared_->jobs) {
        checks.push_back({"queue", DependencyMode::kLive, "rabbitmq", false,
                          [this]() -> core::Status { return shared_->jobs->check(); }});
    } else {
        checks.push_back({"queue", database_mode, stores_->backend, false, [this]() -> core::Status {
                              auto due = job_queue_.next_due({"integration.status.probe"});
                              if (!due) return std::move(due).error();
                              return {};
                          }});
    }

    integration_status_ = std::make_unique<services::IntegrationStatusService>(std::move(checks), clock_);
    integration_selftest_ = std::make_unique<services::IntegrationSelfTest>(self_test_steps());
    return {};
}

std::vector<services::SelfTestStep> Runtime::self_test_steps() {
    using StepResult = core::Result<std::string>;
    std::vector<services::SelfTestStep> steps;

    steps.push_back({"database", [this](const core::Principal&) -> StepResult {
                         if (auto checked = database_probe_.check(); !checked) return std::move(checked).error();
                         return std::string("SELECT 1 answered");
                     }});

    // A sandbox call through the platform's IVR: the in-process sandbox carrier dials a number one of the caller's
    // flows owns ("main" when it has one) and runs the call to its end over loopback, exactly as
    // `crossvoice simulate` does; the caller stays silent. Its TeXML requests are served by other workers of the
    // pool while this one waits. With Telnyx nothing is dialled: a self-test does not ring a real phone.
    steps.push_back(
        {"ivr", [this](const core::Principal& caller) -> StepResult {
             if (config_.telnyx_api_key || !sandbox_) return std::string("live carrier configured: not dialled");
             if (bound_base_url_.empty()) {
                 return core::Error::unavailable("the sandbox carrier is not served by this process");
             }
             auto flows = flows_->list(caller.platform);
             if (!flows) return std::move(flows).error();
             // The platform's main line ("tetrix-main"), else the first flow that owns a number.
             const auto main_line = std::string(core::to_string(caller.platform)) + "-main";
             const core::ports::StoredFlow* chosen = nullptr;
             for (const auto& flow : *flows) {
                 if (flow.numbers.empty()) continue;
                 if (chosen == nullptr || flow.name == main_line || flow.name == "main") chosen = &flow;
             }
             if (chosen == nullptr) {
                 return core::Error::unavailable(
                     fmt::format("no {} flow routes a number to call", core::to_string(caller.platform)));
             }
             const auto& number = chosen->numbers.front();
             core::ports::HttpRequest request;
             request.method = "POST";
             request.url = bound_base_url_ + "/sandbox/sandbox/texml/calls";
             request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
             request.body =
                 nlohmann::json{
                     {"to", number}, {"from", "+12025550199"}, {"script", nlohmann::json::array({{{"silence", true}}})}}
                     .dump();
             request.attempt_timeout = std::chrono::seconds(30);
             request.deadline = std::chrono::seconds(30);
             request.retry.max_attempts = 1;  // each request places a call
             auto response = http_client_.send(request);
             if (!response) return std::move(response).error();
             const auto reply = nlohmann::json::parse(response->body, nullptr, false);
             if (response->status != 200 || !reply.is_object()) {
                 return core::Error::unavailable(
                     fmt::format("the sandbox carrier refused the call to {}: HTTP {}", number, response->status));
             }
             std::string kinds;
             std::size_t count = 0;
             if (reply.contains("steps") && reply["steps"].is_array()) {
                 for (const auto& step : reply["steps"]) {
                     kinds += (kinds.empty() ? "" : ", ") + step.value("kind", std::string("?"));
                     ++count;
                 }
             }
             // The call opened a session of its own; a completed call leaves it active (a conversation may go on
             // in another channel), but this one was only a test: end it.
             const auto call_sid = reply.value("callSid", std::string());
             std::string session_note;
             if (auto placed = call_store_.find_by_control_id(call_sid); placed && *placed) {
                 if (auto ended = sessions_.end(caller, (*placed)->session_id); ended) {
                     session_note = fmt::format("; session {} ended", (*placed)->session_id);
                 }
             }
             const auto outcome = reply.value("outcome", std::string("unknown"));
             if (outcome == "error") {
                 return core::Error::unavailable(fmt::format("the call to {} (flow {}) failed: {}", number,
                                                             chosen->name, reply.value("error", std::string("?"))));
             }
             return fmt::format("call {} to {} (flow {}): {} after {} steps ({}), {} simulated s{}", call_sid, number,
                                chosen->name, outcome, count, kinds, reply.value("durationSecs", 0), session_note);
         }});

    // A spoken sample made with the sandbox's voice (eSpeak NG, in this process), transcribed by the configured
    // engine: the same decode and engine path a recording takes.
    const std::string provider = !config_.stt_provider.empty() ? config_.stt_provider
                                 : config_.deepgram_api_key    ? "deepgram"
                                                               : "pocketsphinx";
    core::ports::SpeechToText* engine = nullptr;
    for (const auto& candidate : speech_engines_) {
        if (candidate->name() == provider) engine = candidate.get();
    }
    steps.push_back({"transcription", [this, engine](const core::Principal&) -> StepResult {
                         if (engine == nullptr) return core::Error::unavailable("no speech engine is configured");
                         core::ports::SpeechSynthesizer* voice = synthesizer_.get();
                         std::unique_ptr<speech::EspeakSynthesizer> own;
                         if (voice == nullptr) {
                             auto made = speech::EspeakSynthesizer::create();
                             if (!made) return std::move(made).error();
                             own = std::move(made).value();
                             voice = own.get();
                         }
                         static constexpr std::string_view kSample = "hello, thank you for calling";
                         auto sample = voice->synthesize_wav(kSample, "en");
                         if (!sample) return std::move(sample).error();
                         core::ports::SttRequest request;
                         request.audio = std::move(sample).value();
                         request.content_type = "audio/wav";
                         request.language = "en-US";
                         auto transcript = engine->transcribe(request);
                         if (!transcript) return std::move(transcript).error();
                         if (transcript->text.empty()) {
                             return core::Error::unavailable(
                                 fmt::format("{} heard nothing in the sample \"{}\"", engine->name(), kSample));
                         }
                         return fmt::format("{} heard \"{}\" for \"{}\"", engine->name(), transcript->text, kSample);
                     }});

    // SHANGO's knowledge-base answer to a question every platform's documents cover.
    steps.push_back({"assistant", [this](const core::Principal& caller) -> StepResult {
                         static constexpr std::string_view kQuestion = "What are your support hours?";
                         auto passages = knowledge_->search(caller.platform, kQuestion, 3);
                         if (!passages) return std::move(passages).error();
                         if (passages->empty()) {
                             return core::Error::unavailable(
                                 fmt::format("the knowledge base has nothing on \"{}\"", kQuestion));
                         }
                         core::AssistantRequest request;
                         request.platform = caller.platform;
                         request.channel = core::Channel::kChat;
                         request.utterance = std::string(kQuestion);
                         request.persona = personas_->personas(caller.platform).front();
                         request.intent = "general";
                         request.passages = std::move(passages).value();
                         auto reply = knowledge_responder_->respond(request);
                         if (!reply) return std::move(reply).error();
                         return fmt::format("{} answered (confidence {:.2f}): {}", reply->responder, reply->confidence,
                                            reply->text);
                     }});

    // A message out through the sandbox channel and its delivery report back, on a session of its own that is
    // ended afterwards. With a real vendor nothing is sent: a self-test does not text a stranger.
    steps.push_back(
        {"messaging", [this](const core::Principal& caller) -> StepResult {
             if (!sandbox_messaging_) {
                 return std::string("skipped: a live vendor carries messages; nothing was sent");
             }
             auto session = sessions_.open(caller, {"sms", "+12025550199", std::nullopt, R"({"source":"self-test"})"});
             if (!session) return std::move(session).error();
             services::OutgoingMessage outgoing;
             outgoing.text = "crossvoice self-test";
             outgoing.channel = core::Channel::kSms;
             outgoing.author = core::MessageAuthor::kSystem;
             outgoing.takes_over = false;
             auto sent = messaging_->send(caller, session->id, std::move(outgoing));
             if (!sent) {
                 (void)sessions_.end(caller, session->id);
                 return std::move(sent).error();
             }
             // The job sends it; the sandbox reports delivery to our webhook. Poll the timeline.
             std::string status = "pending";
             const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
             while (std::chrono::steady_clock::now() < deadline) {
                 core::ports::TimelineQuery query;
                 query.platform = session->platform;
                 query.session_id = session->id;
                 query.limit = 10;
                 auto messages = transcript_store_.list(query);
                 if (!messages) break;
                 for (const auto& message : *messages) {
                     if (message.id == sent->id) status = std::string(core::to_string(message.status));
                 }
                 if (status == "delivered" || status == "read" || status == "failed") break;
                 std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling interval
             }
             (void)sessions_.end(caller, session->id);
             if (status != "delivered" && status != "read") {
                 return core::Error::unavailable(
                     fmt::format("message {} on session {} is {} after 10 s", sent->id, session->id, status));
             }
             return fmt::format("message {} on session {} was {}", sent->id, session->id, status);
         }});

    // A hand-off: a single-use token for a throw-away session (marked "self-test", ended afterwards) issued to the
    // other platform, claimed as that platform, and a second claim of the same token refused.
    steps.push_back(
        {"handoff", [this](const core::Principal& caller) -> StepResult {
             if (!handoff_sealer_) return std::string("disabled: CROSS_PLATFORM_SESSION_SECRET unset");
             const auto other =
                 caller.platform == core::Platform::kTetrix ? core::Platform::kJoromi : core::Platform::kTetrix;
             auto session = sessions_.open(caller, {"chat", std::nullopt, std::nullopt, R"({"source":"self-test"})"});
             if (!session) return std::move(session).error();
             const auto finish = [&](StepResult result) {
                 (void)sessions_.end(caller, session->id);
                 return result;
             };
             services::HandoffRequest request;
             request.to_platform = std::string(core::to_string(other));
             request.expires_in = services::HandoffService::kMinLifetime;
             auto ticket = handoffs_->issue(caller, session->id, request);
             if (!ticket) return finish(std::move(ticket).error());
             const core::Principal receiver{other, caller.key_id};
             auto claimed = handoffs_->claim(receiver, ticket->token);
             if (!claimed) return finish(std::move(claimed).error());
             if (claimed->id != session->id) {
                 return finish(core::Error::internal(
                     fmt::format("the claim of session {}'s token continued {}", session->id, claimed->id)));
             }
             auto replayed = handoffs_->claim(receiver, ticket->token);
             if (replayed || replayed.error().code != core::ErrorCode::kConflict) {
                 return finish(core::Error::internal("a used hand-off token was not refused as used"));
             }
             return finish(fmt::format("session {} issued to {} and claimed there; the used token was refused",
                                       session->id, core::to_string(other)));
         }});
    return steps;
}

}  // namespace crossvoice::app
