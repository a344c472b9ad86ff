#include "app/runtime.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/embedded_personas.hpp"
#include "app/lazy_speech_engine.hpp"
#include "assistant/fts5_knowledge_index.hpp"
#include "assistant/knowledge_responder.hpp"
#include "assistant/persona_file.hpp"
#include "deepgram/deepgram_client.hpp"
#include "language/apertium_translator.hpp"
#include "language/libretranslate_translator.hpp"
#include "observability/logging.hpp"
#include "openai/chat_responder.hpp"
#include "openai/transcription_client.hpp"
#include "services/intent_vocabulary.hpp"
#include "speech/pocketsphinx_recognizer.hpp"

namespace crossvoice::app {
namespace {

// The caller id the sandbox dials from when TELNYX_PHONE_NUMBER is unset (a fictional 555-01xx number).
constexpr std::string_view kSandboxCallerId = "+12025550100";
constexpr std::string_view kWebhookPath = "/api/voice/webhook";
constexpr std::string_view kTexmlPath = "/api/voice/texml";
constexpr std::string_view kTexmlStatusPath = "/api/voice/texml/status";

core::Result<std::string> read_text_file(const std::filesystem::path& path, std::string_view variable) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
        return core::Error::validation(std::string(variable),
                                       fmt::format("{}: cannot read {}", variable, path.string()));
    }
    return text.str();
}

// Every *.yaml/*.yml in `dir`, sorted by name so that start-up messages come in a stable order.
core::Result<std::vector<services::FlowFile>> read_flow_files(const std::string& dir, bool required) {
    std::vector<services::FlowFile> files;
    if (dir.empty()) return files;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        if (!required) return files;
        return core::Error::validation(
            "CROSSVOICE_FLOWS_DIR",
            fmt::format("CROSSVOICE_FLOWS_DIR: '{}' is not a directory (set it to the flows folder, or empty)", dir));
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto extension = entry.path().extension();
        if (!entry.is_regular_file() || (extension != ".yaml" && extension != ".yml")) continue;
        auto text = read_text_file(entry.path(), "CROSSVOICE_FLOWS_DIR");
        if (!text) return std::move(text).error();
        files.push_back({entry.path().string(), std::move(text).value()});
    }
    if (ec) {
        return core::Error::validation("CROSSVOICE_FLOWS_DIR", fmt::format("cannot list '{}': {}", dir, ec.message()));
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

services::JobRunnerOptions job_options(const Config& config) {
    services::JobRunnerOptions options;
    options.workers = config.job_workers;
    options.default_max_attempts = config.job_max_attempts;
    options.base_backoff = config.job_backoff;
    options.max_backoff = std::max(config.job_backoff, std::chrono::milliseconds{5 * 60'000});
    return options;
}

// What /readyz asks. Redis is among them: without it, webhooks and hand-offs are refused rather than risk being
// processed twice. RabbitMQ is not: without it jobs still run from the records (the integration status shows it).
std::vector<core::ports::ReadinessProbe*> readiness_probes(core::ports::ReadinessProbe& database,
                                                           const SharedState& shared) {
    std::vector<core::ports::ReadinessProbe*> probes{&database};
    if (shared.redis_probe) probes.push_back(shared.redis_probe.get());
    return probes;
}

// Starts at a chosen instant and runs on in real time from there (CROSSVOICE_IVR_NOW).
class ShiftedClock final : public core::Clock {
  public:
    explicit ShiftedClock(core::TimePoint start) : offset_(start - core::SystemClock().now()) {}
    core::TimePoint now() const override { return core::SystemClock().now() + offset_; }

  private:
    std::chrono::milliseconds offset_;
};

}  // namespace

core::Result<std::unique_ptr<Runtime>> Runtime::open(const Config& config) {
    auto stores = open_stores(config);
    if (!stores) return std::move(stores).error();
    auto shared = open_shared_state(config, **stores);
    if (!shared) return std::move(shared).error();
    std::unique_ptr<Runtime> runtime(new Runtime(config, std::move(stores).value(), std::move(shared).value()));
    if (auto voice = runtime->open_voice(); !voice) return std::move(voice).error();
    if (auto ivr = runtime->open_ivr(); !ivr) return std::move(ivr).error();
    if (auto transcription = runtime->open_transcription(); !transcription) return std::move(transcription).error();
    if (auto assistant = runtime->open_assistant(); !assistant) return std::move(assistant).error();
    if (auto messaging = runtime->open_messaging(); !messaging) return std::move(messaging).error();
    if (auto integration = runtime->open_integration(); !integration) return std::move(integration).error();
    if (auto widget = runtime->open_widget(); !widget) return std::move(widget).error();
    if (auto metrics = runtime->open_metrics(); !metrics) return std::move(metrics).error();
    return runtime;
}

namespace {

services::LiveEventHub::Options live_options(const Config& config) {
    services::LiveEventHub::Options options;
    options.poll = config.live_poll;
    return options;
}

}  // namespace

Runtime::Runtime(const Config& config, std::unique_ptr<StoreSet> stores, std::unique_ptr<SharedState> shared)
    : config_(config),
      stores_(std::move(stores)),
      shared_(std::move(shared)),
      session_store_(*stores_->sessions),
      key_store_(*stores_->api_keys),
      audit_store_(*stores_->audit),
      call_store_(*stores_->calls),
      job_queue_(shared_->jobs ? static_cast<core::ports::JobQueue&>(*shared_->jobs) : *stores_->jobs),
      database_probe_(*stores_->readiness),
      blobs_(config.blob_dir.empty() ? config.data_dir : config.blob_dir),
      memory_rate_limiter_(clock_),
      rate_limiter_(shared_->rate_limiter ? static_cast<core::ports::RateLimiter&>(*shared_->rate_limiter)
                                          : memory_rate_limiter_),
      ids_(clock_, crypto_),
      keys_(key_store_, crypto_, clock_, ids_),
      sessions_(session_store_, clock_, ids_),
      audit_(audit_store_, clock_),
      readiness_(readiness_probes(database_probe_, *shared_)),
      jobs_(job_queue_, clock_, ids_, crypto_, job_options(config), voice_metrics_.get()),
      flow_store_(*stores_->flows),
      ivr_call_store_(*stores_->ivr_calls),
      transcript_store_(*stores_->transcripts),
      knowledge_store_(*stores_->knowledge),
      assistant_store_(*stores_->assistant),
      live_log_(*stores_->live_events),
      live_translations_(nullptr),
      live_hub_(live_log_, clock_, live_options(config)),
      message_store_(*stores_->messages),
      replay_guard_(shared_->replay_guard ? static_cast<core::ports::ReplayGuard&>(*shared_->replay_guard)
                                          : *stores_->replay_guard) {}

Runtime::~Runtime() { stop_background(); }

core::Status Runtime::open_voice() {
    telnyx::CallControlOptions carrier_options;
    carrier_options.attempt_timeout = config_.carrier_timeout;
    carrier_options.retry.max_attempts = config_.carrier_attempts;
    std::string public_key;
    if (config_.telnyx_api_key) {
        carrier_options.base_url = config_.telnyx_api_base_url;
        carrier_options.api_key = *config_.telnyx_api_key;
        public_key = config_.telnyx_public_key.value_or("");
    } else {
        sandbox::SandboxOptions options;
        options.route_prefix = "/sandbox";
        options.api_key = "sandbox";
        options.answer_delay = config_.sandbox_answer_delay;
        options.talk_time = config_.sandbox_talk_time;
        options.speak_time_per_character = config_.sandbox_speak_per_character;
        options.record_second = config_.sandbox_record_second;
        // Which platform a simulated call reaches (for `crossvoice simulate --platform`); flows_ exists by the
        // time the sandbox serves its first call.
        options.number_owner = [this](std::string_view number) -> std::optional<std::string> {
            if (!flows_) return std::nullopt;
            auto route = flows_->route_for(std::string(number));
            if (!route || !*route) return std::nullopt;
            return std::string(core::to_string((*route)->platform));
        };
        auto synthesizer = speech::EspeakSynthesizer::create();
        if (!synthesizer) return std::move(synthesizer).error();
        synthesizer_ = std::move(synthesizer).value();
        sandbox_ = std::make_unique<sandbox::SandboxCarrier>(options, http_client_, *synthesizer_, clock_);
        carrier_options.api_key = "sandbox";
        carrier_options.base_url = "http://127.0.0.1/sandbox/v2";  // the port is fixed by bind_address()
        public_key = sandbox_->public_key_base64();
    }
    auto verifier = telnyx::WebhookVerifier::create(public_key, clock_);
    if (!verifier) return std::move(verifier).error();
    webhooks_ = std::make_unique<telnyx::TelnyxWebhooks>(*verifier);
    carrier_ = std::make_unique<telnyx::CallControlClient>(carrier_options, http_client_);

    services::CallSettings settings;
    settings.default_from = config_.telnyx_phone_number;
    if (!settings.default_from && sandbox_) settings.default_from = std::string(kSandboxCallerId);
    settings.connection_id = config_.telnyx_connection_id.value_or("sandbox");
    if (config_.webhook_base_url) settings.webhook_url = *config_.webhook_base_url + std::string(kWebhookPath);
    settings.dial_limit = config_.dial_limit;
    settings.dial_window = config_.dial_window;
    settings.flow_exists = [this](core::Platform platform, const std::string& name) {
        return flows_ && flows_->flow(platform, name).ok();
    };
    calls_ = std::make_unique<services::CallService>(settings, call_store_, sessions_, *carrier_, rate_limiter_,
                                                     phone_numbers_, clock_, ids_, jobs_, *voice_metrics_);
    call_events_ =
        std::make_unique<services::CallEventService>(*webhooks_, call_store_, jobs_, clock_, *voice_metrics_);
    recording_fetcher_ = std::make_unique<services::RecordingFetcher>(http_client_, blobs_, call_store_, jobs_);
    jobs_.register_handler(std::string(services::kRecordingFetchJob),
                           [this](const core::Job& job) { return recording_fetcher_->run(job); });
    return {};
}

core::Status Runtime::open_ivr() {
    flows_ = std::make_unique<services::FlowCatalog>(flow_store_, flow_parser_, time_zones_, clock_);
    auto files = read_flow_files(config_.flows_dir, config_.flows_dir_required);
    if (!files) return std::move(files).error();
    auto loaded = flows_->load_files(*files);
    if (!loaded) return std::move(loaded).error();
    if (*loaded > 0)
        observability::logger("app")->info("IVR flows: {} added or updated from {}", *loaded, config_.flows_dir);
    services::IvrOptions options;
    if (config_.webhook_base_url) {
        options.texml_url = *config_.webhook_base_url + std::string(kTexmlPath);
        options.texml_status_url = *config_.webhook_base_url + std::string(kTexmlStatusPath);
    }
    ivr_ = std::make_unique<services::IvrService>(*webhooks_, *flows_, ivr_call_store_, call_store_, sessions_,
                                                  *call_events_, texml_, time_zones_, clock_, ids_, options);
    ivr_call_control_ = std::make_unique<services::IvrCallControl>(*flows_, ivr_call_store_, call_store_, sessions_,
                                                                   *carrier_, texml_, time_zones_, clock_, ids_);
    call_events_->set_observer(ivr_call_control_.get());
    if (config_.ivr_now) {
        hours_clock_ = std::make_unique<ShiftedClock>(*config_.ivr_now);
        ivr_->set_hours_clock(hours_clock_.get());
        ivr_call_control_->set_hours_clock(hours_clock_.get());
    }
    return {};
}

namespace {

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

core::Status Runtime::open_transcription() {
    services::SpeechEngines engines;
    // The local engine is always there: it is the default without keys, and the fallback a client can name.
    speech_engines_.push_back(std::make_unique<LazySpeechEngine>(
        "pocketsphinx", [this]() -> core::Result<std::unique_ptr<core::ports::SpeechToText>> {
            auto made = speech::PocketsphinxRecognizer::create(audio_decoder_);
            if (!made) return std::move(made).error();
            return std::unique_ptr<core::ports::SpeechToText>(std::move(made).value());
        }));
    engines["pocketsphinx"] = speech_engines_.back().get();
    if (config_.deepgram_api_key) {
        deepgram::DeepgramOptions options;
        options.base_url = config_.deepgram_api_base_url;
        options.api_key = *config_.deepgram_api_key;
        options.model = config_.deepgram_model;
        speech_engines_.push_back(std::make_unique<deepgram::DeepgramClient>(options, http_client_));
        engines["deepgram"] = speech_engines_.back().get();
    }
    if (config_.openai_stt_base_url) {
        openai::TranscriptionOptions options;
        options.base_url = without_trailing_slash(*config_.openai_stt_base_url);
        options.api_key = config_.openai_stt_api_key;
        options.model = config_.openai_stt_model;
        speech_engines_.push_back(std::make_unique<openai::TranscriptionClient>(options, http_client_));
        engines["openai"] = speech_engines_.back().get();
    }
    services::TranscriptionSettings settings;
    settings.default_provider = !config_.stt_provider.empty() ? config_.stt_provider
                                : config_.deepgram_api_key    ? "deepgram"
                                                              : "pocketsphinx";
    if (!engines.contains(settings.default_provider)) {
        return core::Error::validation(
            "CROSSVOICE_STT_PROVIDER",
            fmt::format("CROSSVOICE_STT_PROVIDER is {} but it is not configured (set {})", settings.default_provider,
                        settings.default_provider == "deepgram" ? "DEEPGRAM_API_KEY" : "OPENAI_STT_BASE_URL"));
    }
    settings.sync_max_seconds = config_.transcribe_sync_seconds;
    settings.limits.max_seconds = config_.transcribe_max_seconds;
    settings.fetch.max_bytes = config_.max_upload_bytes;
    settings.platform_redaction[core::Platform::kTetrix] = config_.redact_tetrix;
    settings.platform_redaction[core::Platform::kJoromi] = config_.redact_joromi;
    settings.callback_secret = config_.callback_secret.value_or("");

    if (config_.libretranslate_url) {
        language::LibreTranslateOptions options;
        options.base_url = without_trailing_slash(*config_.libretranslate_url);
        options.api_key = config_.libretranslate_api_key;
        translator_ = std::make_unique<language::LibreTranslateTranslator>(options, http_client_);
    } else {
        translator_ = std::make_unique<language::ApertiumTranslator>();
    }
    language_pipeline_ = std::make_unique<language::LanguagePipeline>(translator_.get());
    transcription_ = std::make_unique<services::TranscriptionService>(
        settings, std::move(engines), audio_decoder_, *language_pipeline_, transcript_store_, session_store_,
        call_store_, blobs_, http_client_, crypto_, jobs_, clock_, ids_, *voice_metrics_);
    transcription_->set_vocabulary([this](core::Platform platform) {
        std::vector<std::shared_ptr<const core::ivr::IvrFlow>> flows;
        if (auto stored = flows_->list(platform)) {
            for (const auto& flow : *stored) {
                if (auto parsed = flows_->flow(platform, flow.name)) flows.push_back(*parsed);
            }
        }
        return services::intent_vocabulary(flows, personas_->personas(platform));
    });
    timeline_ = std::make_unique<services::TimelineService>(session_store_, transcript_store_);
    jobs_.register_handler(std::string(services::kTranscriptionJob),
                           [this](const core::Job& job) { return transcription_->run_job(job); });
    jobs_.register_handler(std::string(services::kRecordingTranscribeJob),
                           [this](const core::Job& job) { return transcription_->run_recording_job(job); });
    jobs_.register_handler(std::string(services::kTranscriptionCallbackJob),
                           [this](const core::Job& job) { return transcription_->run_callback_job(job); });

    // SHANGO's node on Call Control calls hears the caller through recordings and this engine.
    ivr_listener_ = std::make_unique<services::IvrListener>(
        http_client_,
        [this](std::string bytes, const std::string& language) {
            services::TranscriptionOptions words_only;  // the assistant needs the words, fast
            words_only.diarize = false;
            words_only.detect_language = false;
            words_only.entities = false;
            words_only.analyze = false;
            return transcription_->transcribe_bytes(std::move(bytes), "", language, words_only);
        },
        *ivr_call_control_);
    ivr_call_control_->set_listener(&jobs_);
    jobs_.register_handler(std::string(services::kIvrListenJob),
                           [this](const core::Job& job) { return ivr_listener_->run(job); });
    return {};
}

namespace {

// config/knowledge/<platform>/*.md, sorted; a missing folder holds no documents.
core::Result<std::vector<services::KnowledgeFile>> read_knowledge_files(const std::string& dir, bool required) {
    std::vector<services::KnowledgeFile> files;
    if (dir.empty()) return files;
    if (std::error_code ec; !std::filesystem::is_directory(dir, ec)) {
        if (!required) return files;
        return core::Error::validation("CROSSVOICE_KNOWLEDGE_DIR",
                                       fmt::format("CROSSVOICE_KNOWLEDGE_DIR: '{}' is not a directory", dir));
    }
    for (const auto platform : core::kAllPlatforms) {
        const auto folder = std::filesystem::path(dir) / std::string(core::to_string(platform));
        std::error_code ec;
        if (!std::filesystem::is_directory(folder, ec)) continue;
        for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
            auto text = read_text_file(entry.path(), "CROSSVOICE_KNOWLEDGE_DIR");
            if (!text) return std::move(text).error();
            files.push_back({platform, entry.path().stem().string(), std::move(text).value()});
        }
        if (ec) {
            return core::Error::validation("CROSSVOICE_KNOWLEDGE_DIR",
                                           fmt::format("cannot list '{}': {}", folder.string(), ec.message()));
        }
    }
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return std::tie(a.platform, a.name) < std::tie(b.platform, b.name); });
    return files;
}

}  // namespace

core::Status Runtime::open_assistant() {
    std::map<core::Platform, std::vector<core::Persona>> personas;
    for (const auto platform : core::kAllPlatforms) {
        const auto path =
            std::filesystem::path(config_.assistant_dir) / (std::string(core::to_string(platform)) + ".yaml");
        std::error_code ec;
        std::string text;
        std::string source = path.string();
        if (std::filesystem::is_regular_file(path, ec)) {
            auto read = read_text_file(path, "CROSSVOICE_ASSISTANT_DIR");
            if (!read) return std::move(read).error();
            text = std::move(read).value();
        } else if (!config_.assistant_dir_required) {
            // Run from elsewhere without a config folder: the personas shipped in the binary.
            text = platform == core::Platform::kJoromi ? embedded::joromi_personas() : embedded::tetrix_personas();
            source = "(built-in) " + source;
        } else {
            return core::Error::validation(
                "CROSSVOICE_ASSISTANT_DIR",
                fmt::format("CROSSVOICE_ASSISTANT_DIR: {} is missing (SHANGO's personas for {})", path.string(),
                            core::to_string(platform)));
        }
        auto parsed = assistant::parse_personas(text, source);
        if (!parsed) return std::move(parsed).error();
        personas[platform] = std::move(parsed).value();
    }
    auto catalog = services::PersonaCatalog::create(std::move(personas));
    if (!catalog) return std::move(catalog).error();
    personas_.emplace(std::move(catalog).value());

    // Each instance keeps its own index in memory, rebuilt from the stored documents whenever they change.
    knowledge_index_ = std::make_unique<assistant::Fts5KnowledgeIndex>(":memory:");
    knowledge_ = std::make_unique<services::KnowledgeService>(knowledge_store_, *knowledge_index_, clock_);
    auto files = read_knowledge_files(config_.knowledge_dir, config_.knowledge_dir_required);
    if (!files) return std::move(files).error();
    auto loaded = knowledge_->load_files(*files);
    if (!loaded) return std::move(loaded).error();
    if (*loaded > 0) {
        observability::logger("app")->info("SHANGO knowledge: {} documents added or updated from {}", *loaded,
                                           config_.knowledge_dir);
    }

    assistant::KnowledgeResponderOptions responder_options;
    responder_options.handoff_below = config_.assistant_handoff_below;
    knowledge_responder_ = std::make_unique<assistant::KnowledgeResponder>(responder_options);
    if (config_.assistant_model_url) {
        openai::ChatOptions options;
        options.base_url = without_trailing_slash(*config_.assistant_model_url);
        options.api_key = config_.assistant_model_api_key;
        options.model = config_.assistant_model;
        options.timeout = config_.assistant_model_timeout;
        model_responder_ = std::make_unique<openai::ChatResponder>(options, http_client_);
    }
    services::ShangoService::Ports ports{*personas_,
                                         *knowledge_,
                                         *knowledge_responder_,
                                         model_responder_.get(),
                                         translator_.get(),
                                         language_pipeline_.get(),
                                         assistant_store_,
                                         transcript_store_,
                                         sessions_,
                                         clock_,
                                         ids_,
                                         *assistant_metrics_};
    shango_ = std::make_unique<services::ShangoService>(ports, services::ShangoOptions{});
    ivr_assistant_ = std::make_unique<services::IvrAssistant>(*shango_);
    ivr_->set_assistant(ivr_assistant_.get());
    ivr_call_control_->set_assistant(ivr_assistant_.get());
    return {};
}

void Runtime::bind_address(const std::string& base_url) {
    bound_base_url_ = base_url;
    if (sandbox_) {
        // The sandbox's recordings are served from our own loopback address.
        transcription_->trust_audio_prefix(base_url + "/sandbox/");
        carrier_->set_base_url(base_url + "/sandbox/v2");
        sandbox_->set_texml_urls(base_url + std::string(kTexmlPath), base_url + std::string(kTexmlStatusPath));
        sandbox_->set_bound_base_url(base_url + "/sandbox");
    }
    if (sandbox_messaging_) sandbox_messaging_->set_callback_url(base_url + std::string(kSinchWebhookPath));
    if (!config_.webhook_base_url) {
        calls_->set_webhook_url(base_url + std::string(kWebhookPath));
        ivr_->set_urls(base_url + std::string(kTexmlPath), base_url + std::string(kTexmlStatusPath));
        if (!sandbox_) {
            observability::logger("app")->warn(
                "WEBHOOK_BASE_URL is unset: calls ask the carrier to call back {}{}, which only a carrier on this "
                "machine can reach",
                base_url, kWebhookPath);
        }
    }
}

core::Status Runtime::start_background() {
    // Without the hub, live event clients would only ever get "ready": a service that cannot read its own log
    // is not one to run.
    if (auto started = live_hub_.start(); !started) {
        return core::Error::unavailable("live events cannot start: " + started.error().message);
    }
    jobs_.start();
    if (metrics_sampler_) metrics_sampler_->start();
    return {};
}

void Runtime::stop_background() {
    if (metrics_sampler_) metrics_sampler_->stop();
    live_hub_.stop();
    jobs_.stop();
}

}  // namespace crossvoice::app
