#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "app/shared_state.hpp"
#include "app/store_set.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "flows/yaml_flow_parser.hpp"
#include "infra/curl_http_client.hpp"
#include "infra/date_time_zones.hpp"
#include "infra/memory_rate_limiter.hpp"
#include "infra/sodium_crypto.hpp"
#include "language/language_pipeline.hpp"
#include "language/phone_number_checker.hpp"
#include "sandbox/sandbox_carrier.hpp"
#include "sandbox/sandbox_messaging.hpp"
#include "services/api_key_service.hpp"
#include "services/assistant_metrics.hpp"
#include "services/audit_service.hpp"
#include "services/call_event_service.hpp"
#include "services/call_service.hpp"
#include "services/callback_service.hpp"
#include "services/flow_catalog.hpp"
#include "services/handoff_service.hpp"
#include "services/id_generator.hpp"
#include "services/integration_selftest.hpp"
#include "services/integration_service.hpp"
#include "services/integration_status.hpp"
#include "services/integration_transcribe.hpp"
#include "services/ivr_assistant.hpp"
#include "services/ivr_call_control.hpp"
#include "services/ivr_listener.hpp"
#include "services/ivr_service.hpp"
#include "services/job_runner.hpp"
#include "services/knowledge_service.hpp"
#include "services/live_event_hub.hpp"
#include "services/messaging_service.hpp"
#include "services/metrics_sampler.hpp"
#include "services/persona_catalog.hpp"
#include "services/readiness_service.hpp"
#include "services/recording_jobs.hpp"
#include "services/session_service.hpp"
#include "services/shango_service.hpp"
#include "services/timeline_service.hpp"
#include "services/transcription_service.hpp"
#include "services/visitor_service.hpp"
#include "services/web_chat_sender.hpp"
#include "speech/audio_decoder.hpp"
#include "speech/espeak_synthesizer.hpp"
#include "storage/files/file_blob_store.hpp"
#include "telnyx/call_control_client.hpp"
#include "telnyx/telnyx_webhooks.hpp"
#include "telnyx/texml_markup.hpp"

namespace crossvoice::app {

// Where Sinch (and the sandbox messaging channel, which speaks like it) posts its callbacks.
inline constexpr std::string_view kSinchWebhookPath = "/api/webhooks/sinch";

// The composition root: the one place that names concrete adapters and wires them into use-cases.
// Every command (serve, keys, …) opens one.
//
// Carrier: with TELNYX_API_KEY, the Telnyx Call Control client at TELNYX_API_BASE_URL and webhooks verified
// with TELNYX_PUBLIC_KEY. Without it, the built-in sandbox carrier is mounted under /sandbox on the service's
// own server and the same Telnyx client talks to it over loopback, trusting the sandbox's signing key: the
// whole protocol runs for real on one machine.
//
// Messaging: with SINCH_PROJECT_ID, SINCH_APP_ID, SINCH_KEY_ID and SINCH_KEY_SECRET, WhatsApp (and SMS, unless
// TELNYX_MESSAGING_PROFILE_ID sends SMS through Telnyx) go through the Sinch Conversation API, whose callbacks
// must be signed with SINCH_WEBHOOK_SECRET. Without Sinch, the sandbox messaging channel stands in, posting
// callbacks signed like Sinch's with a secret of its own.
class Runtime {
  public:
    // Creates the data directory, opens the database of DATABASE_URL (SQLite or PostgreSQL, see StoreSet) and
    // applies pending migrations.
    static core::Result<std::unique_ptr<Runtime>> open(const Config& config);
    ~Runtime();

    const Config& config() const { return config_; }
    services::ApiKeyService& keys() { return keys_; }
    services::SessionService& sessions() { return sessions_; }
    services::AuditService& audit() { return audit_; }
    services::ReadinessService& readiness() { return readiness_; }
    services::CallService& calls() { return *calls_; }
    services::CallEventService& call_events() { return *call_events_; }
    services::FlowCatalog& flows() { return *flows_; }
    services::IvrService& ivr() { return *ivr_; }
    services::JobRunner& jobs() { return jobs_; }
    services::TranscriptionService& transcription() { return *transcription_; }
    services::TimelineService& timeline() { return *timeline_; }
    services::ShangoService& shango() { return *shango_; }
    services::KnowledgeService& knowledge() { return *knowledge_; }
    services::MessagingService& messaging() { return *messaging_; }
    services::HandoffService& handoffs() { return *handoffs_; }
    services::LiveEventHub& live_events() { return live_hub_; }
    services::CallbackService& callbacks() { return *callbacks_; }
    services::IntegrationService& integration() { return *integration_; }
    services::IntegrationStatusService& integration_status() { return *integration_status_; }
    services::IntegrationSelfTest& integration_selftest() { return *integration_selftest_; }
    services::IntegrationTranscribe& integration_transcribe() { return *integration_transcribe_; }
    services::VisitorService& visitors() { return *visitors_; }
    // The in-process sandbox messaging channel, when no messaging vendor is configured.
    sandbox::SandboxMessaging* sandbox_messaging() { return sandbox_messaging_.get(); }
    std::shared_ptr<const services::AssistantMetrics> assistant_metrics() const { return assistant_metrics_; }
    std::shared_ptr<const services::VoiceMetrics> voice_metrics() const { return voice_metrics_; }
    std::shared_ptr<const services::MessagingMetrics> messaging_metrics() const { return messaging_metrics_; }
    std::shared_ptr<const services::LiveSubscriberMetrics> live_metrics() const { return live_metrics_; }
    std::shared_ptr<const services::SampledMetrics> sampled_metrics() const { return sampled_metrics_; }
    // The in-process sandbox carrier, when no Telnyx account is configured.
    sandbox::SandboxCarrier* sandbox() { return sandbox_.get(); }

    // Once the server has bound: URLs that default to the service's own address (the sandbox carrier's API,
    // the webhook URL when WEBHOOK_BASE_URL is unset) are fixed here, before any request is served.
    void bind_address(const std::string& base_url);
    // Starts and stops the job workers and the live event hub (serve only; CLI commands never run jobs).
    core::Status start_background();
    void stop_background();

  private:
    Runtime(const Config& config, std::unique_ptr<StoreSet> stores, std::unique_ptr<SharedState> shared);
    core::Status open_voice();
    core::Status open_ivr();
    core::Status open_transcription();
    core::Status open_assistant();
    core::Status open_messaging();                          // runtime_messaging.cpp
    core::Status open_integration();                        // runtime_integration.cpp
    core::Status open_widget();                             // runtime_widget.cpp
    core::Status open_metrics();                            // runtime_metrics.cpp
    std::vector<services::SelfTestStep> self_test_steps();  // runtime_integration.cpp

    Config config_;
    core::SystemClock clock_;
    infra::SodiumCrypto crypto_;
    // The store ports on DATABASE_URL's database; the references below are its members, named as the use-cases
    // take them.
    std::unique_ptr<StoreSet> stores_;
    // Redis and RabbitMQ when configured (REDIS_URL, AMQP_URL); the references below prefer them.
    std::unique_ptr<SharedState> shared_;
    core::ports::SessionStore& session_store_;
    core::ports::ApiKeyStore& key_store_;
    core::ports::AuditStore& audit_store_;
    core::ports::CallStore& call_store_;
    core::ports::JobQueue& job_queue_;
    core::ports::ReadinessProbe& database_probe_;
    storage::FileBlobStore blobs_;
    infra::CurlHttpClient http_client_;
    infra::MemoryRateLimiter memory_rate_limiter_;
    core::ports::RateLimiter& rate_limiter_;  // Redis's when REDIS_URL is set, else the memory one
    language::PhoneNumberChecker phone_numbers_;
    services::IdGenerator ids_;
    services::ApiKeyService keys_;
    services::SessionService sessions_;
    services::AuditService audit_;
    services::ReadinessService readiness_;
    std::shared_ptr<services::VoiceMetrics> voice_metrics_ = std::make_shared<services::VoiceMetrics>();
    // Declared before the use-cases that count into them (runtime_metrics.cpp wires them).
    std::shared_ptr<services::MessagingMetrics> messaging_metrics_ = std::make_shared<services::MessagingMetrics>();
    std::shared_ptr<services::LiveSubscriberMetrics> live_metrics_ =
        std::make_shared<services::LiveSubscriberMetrics>();
    std::shared_ptr<services::SampledMetrics> sampled_metrics_ = std::make_shared<services::SampledMetrics>();
    services::JobRunner jobs_;
    std::unique_ptr<speech::EspeakSynthesizer> synthesizer_;  // the sandbox's voices
    std::unique_ptr<sandbox::SandboxCarrier> sandbox_;
    std::unique_ptr<telnyx::CallControlClient> carrier_;
    std::unique_ptr<telnyx::TelnyxWebhooks> webhooks_;
    std::unique_ptr<services::CallService> calls_;
    std::unique_ptr<services::CallEventService> call_events_;
    std::unique_ptr<services::RecordingFetcher> recording_fetcher_;
    core::ports::FlowStore& flow_store_;
    core::ports::IvrCallStore& ivr_call_store_;
    infra::DateTimeZones time_zones_;
    flows::YamlFlowParser flow_parser_;
    telnyx::TexmlMarkup texml_;
    std::unique_ptr<services::FlowCatalog> flows_;
    std::unique_ptr<services::IvrService> ivr_;
    std::unique_ptr<services::IvrCallControl> ivr_call_control_;
    std::unique_ptr<core::Clock> hours_clock_;  // CROSSVOICE_IVR_NOW
    TranscriptsAndTimeline& transcript_store_;
    speech::SndfileAudioDecoder audio_decoder_;
    // Speech-to-text engines and the translator, behind their ports; each present only when configured.
    std::vector<std::unique_ptr<core::ports::SpeechToText>> speech_engines_;
    std::unique_ptr<core::ports::Translator> translator_;
    std::unique_ptr<language::LanguagePipeline> language_pipeline_;
    std::unique_ptr<services::TranscriptionService> transcription_;
    std::unique_ptr<services::TimelineService> timeline_;
    // SHANGO: personas, knowledge (stored markdown, an in-memory index per instance), responders.
    std::optional<services::PersonaCatalog> personas_;
    core::ports::KnowledgeStore& knowledge_store_;
    core::ports::AssistantStore& assistant_store_;
    std::unique_ptr<core::ports::KnowledgeIndex> knowledge_index_;
    std::unique_ptr<services::KnowledgeService> knowledge_;
    std::unique_ptr<core::ports::AssistantResponder> knowledge_responder_;
    std::unique_ptr<core::ports::AssistantResponder> model_responder_;
    std::shared_ptr<services::AssistantMetrics> assistant_metrics_ = std::make_shared<services::AssistantMetrics>();
    std::unique_ptr<services::ShangoService> shango_;
    std::unique_ptr<services::IvrAssistant> ivr_assistant_;
    std::unique_ptr<services::IvrListener> ivr_listener_;
    // Live events: the log the stores write (triggers) and the hub that reads it for SSE and WebSocket clients.
    core::ports::LiveEventLog& live_log_;
    std::unique_ptr<services::LiveTranslations> live_translations_;  // set by open_messaging
    services::LiveEventHub live_hub_;
    // Messaging: the timeline's contacts and deliveries, the channels' senders, Sinch's callbacks.
    core::ports::MessageStore& message_store_;
    core::ports::ReplayGuard& replay_guard_;
    std::unique_ptr<sandbox::SandboxMessaging> sandbox_messaging_;
    std::unique_ptr<core::ports::ChannelSender> sinch_sender_;
    std::unique_ptr<core::ports::ChannelSender> telnyx_sms_;
    services::WebChatSender web_chat_;
    std::unique_ptr<core::ports::ChannelWebhooks> sinch_webhooks_;
    std::unique_ptr<services::MessagingService> messaging_;
    std::unique_ptr<services::CallbackService> callbacks_;  // chat -> voice
    // Cross-platform hand-off: disabled (no sealer) without CROSS_PLATFORM_SESSION_SECRET.
    std::unique_ptr<core::ports::HandoffSealer> handoff_sealer_;
    std::unique_ptr<services::HandoffService> handoffs_;
    // The integration API and its dependency probes; bound_base_url_ is where the probes reach the sandboxes.
    std::string bound_base_url_;  // set by bind_address, before serving
    std::unique_ptr<services::IntegrationService> integration_;
    std::unique_ptr<services::IntegrationStatusService> integration_status_;
    std::unique_ptr<services::IntegrationSelfTest> integration_selftest_;
    std::unique_ptr<services::IntegrationTranscribe> integration_transcribe_;
    // The widget's visitors: their tokens' sealer and the use-case.
    std::unique_ptr<core::ports::VisitorTokenSealer> visitor_tokens_;
    std::unique_ptr<services::VisitorService> visitors_;
    // The gauges read from the store and the dependency probes, in the background. Last: it reads the stores and
    // the probes above, so it is destroyed (stopped) first.
    std::unique_ptr<services::MetricsSampler> metrics_sampler_;
};

}  // namespace crossvoice::app
