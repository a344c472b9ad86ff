#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace crossvoice::app {

using Environment = std::map<std::string, std::string>;

// The effective configuration. Every field comes from one environment variable (see config.cpp's table).
struct Config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::string database_url = "sqlite:data/crossvoice.db";
    std::string sqlite_path = "data/crossvoice.db";  // from database_url; "" when it names PostgreSQL
    std::string postgres_url;                        // from database_url (postgres://…); "" for SQLite
    // Scale-out: Redis for shared rate limits and once-only marks, RabbitMQ for job delivery (unset: embedded).
    std::optional<std::string> redis_url;      // secret: may hold a password
    std::optional<std::string> amqp_url;       // secret: may hold a password
    std::string shared_prefix = "crossvoice";  // names this deployment's Redis keys and RabbitMQ queues
    std::string data_dir = "data";
    // Recordings and uploaded audio waiting for a job; empty = data_dir. Several instances must share it (a network
    // file system), since a job may run on another instance than the one that stored its audio.
    std::string blob_dir;
    std::string flows_dir = "config/flows";  // IVR flow files loaded at start; empty = none
    // Only a directory named explicitly must exist: the default one is optional, so that commands run from
    // another directory (keys, config) and a service without shipped flows still start.
    bool flows_dir_required = false;
    // CROSSVOICE_IVR_NOW: the instant hours nodes see when the service starts (time then runs on from it), to
    // rehearse after-hours and holiday routing at any time of day; unset = the real time.
    std::optional<core::TimePoint> ivr_now;
    std::size_t max_body_bytes = 1024 * 1024;
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds body_timeout{30'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds drain_timeout{15'000};
    // Live events (GET /api/events, /api/events/ws): how often the event log is read, and the keep-alive of idle
    // streams.
    std::chrono::milliseconds live_poll{100};
    std::chrono::milliseconds stream_heartbeat{15'000};
    // The language the platforms' staff read: customers' messages in another language reach their consoles
    // translated into it, and the staff's words reach the customer translated back.
    std::string agent_language = "en";
    int io_threads = 2;
    int worker_threads = 8;
    int db_pool_size = 4;
    std::string log_level = "info";
    bool access_log = true;

    // Calls and jobs.
    std::string telnyx_api_base_url = "https://api.telnyx.com/v2";
    std::chrono::milliseconds carrier_timeout{10'000};  // per attempt
    int carrier_attempts = 3;
    int dial_limit = 20;  // per platform per dial_window
    std::chrono::milliseconds dial_window{60'000};
    int job_workers = 2;
    std::chrono::milliseconds job_backoff{1'000};
    int job_max_attempts = 5;
    // The built-in sandbox carrier (used when TELNYX_API_KEY is unset).
    std::chrono::milliseconds sandbox_answer_delay{1'500};
    std::chrono::milliseconds sandbox_talk_time{6'000};
    std::chrono::milliseconds sandbox_speak_per_character{60};
    std::chrono::milliseconds sandbox_record_second{1'000};

    // Transcription.
    std::string stt_provider;  // "" = deepgram when DEEPGRAM_API_KEY is set, else pocketsphinx
    std::string deepgram_api_base_url = "https://api.deepgram.com";
    std::string deepgram_model = "nova-3";
    std::optional<std::string> openai_stt_base_url;
    std::optional<std::string> openai_stt_api_key;
    std::string openai_stt_model = "whisper-1";
    std::optional<std::string> libretranslate_url;
    std::optional<std::string> libretranslate_api_key;
    double transcribe_sync_seconds = 120;
    double transcribe_max_seconds = 4 * 3600;
    std::size_t max_upload_bytes = 100 * 1024 * 1024;
    std::vector<std::string> redact_tetrix;  // classes redacted before storage, per platform
    std::vector<std::string> redact_joromi;
    std::optional<std::string> callback_secret;

    // The widget's visitor API: other origins allowed to call it from a browser (its own always is), and its
    // rate limits.
    std::vector<std::string> widget_origins;
    int widget_starts_per_minute = 20;
    int widget_messages_per_minute = 30;

    // The built front end (console, widget, demo pages); a missing folder answers 503 on those routes.
    std::string web_dir = "build/web";

    // SHANGO.
    std::string knowledge_dir = "config/knowledge";  // <platform>/*.md loaded at start; empty = none
    bool knowledge_dir_required = false;             // as flows_dir_required
    std::string assistant_dir = "config/assistant";  // <platform>.yaml: the personas
    bool assistant_dir_required = false;  // only a folder named explicitly must exist (else the built-in personas)
    std::optional<std::string> assistant_model_url;  // OpenAI-compatible chat server; unset = knowledge base only
    std::optional<std::string> assistant_model_api_key;
    std::string assistant_model = "llama3.1";
    std::chrono::milliseconds assistant_model_timeout{8'000};
    double assistant_handoff_below = 0.35;  // knowledge-base confidence below which SHANGO hands to a person

    // Vendors and secrets; the sandbox carrier stands in for Telnyx when telnyx_api_key is unset.
    std::optional<std::string> telnyx_api_key;
    std::optional<std::string> telnyx_phone_number;
    std::optional<std::string> telnyx_connection_id;
    std::optional<std::string> telnyx_public_key;
    std::optional<std::string> deepgram_api_key;
    std::optional<std::string> webhook_base_url;
    std::optional<std::string> sinch_api_key;
    std::optional<std::string> sinch_project_id;
    std::optional<std::string> sinch_app_id;
    std::optional<std::string> sinch_key_id;
    std::optional<std::string> sinch_key_secret;
    std::optional<std::string> sinch_webhook_secret;
    std::optional<std::string> sinch_api_base_url;           // default https://us.conversation.api.sinch.com
    std::optional<std::string> sinch_auth_url;               // default https://auth.sinch.com/oauth2/token
    std::optional<std::string> sinch_platform;               // the platform a new Sinch contact writes to (tetrix)
    std::optional<std::string> telnyx_messaging_profile_id;  // set: SMS goes through Telnyx Messaging
    std::optional<std::string> cross_platform_session_secret;
};

// Builds the configuration from `env`, validating every variable it knows. Unknown CROSSVOICE_*
// variables are refused (a typo must not silently fall back to a default). Errors name the variable.
core::Result<Config> load_config(const Environment& env);

// The process environment, overlaid on the .env file named by CROSSVOICE_ENV_FILE (default ./.env,
// skipped when absent): real environment variables win. A malformed .env is an error naming file and line.
core::Result<Environment> read_environment();

struct ConfigLine {
    std::string name;
    std::string value;   // secrets masked
    std::string source;  // "environment" or "default"
    std::string help;
};

// What `crossvoice config` prints: every variable, its effective value (secrets masked) and where it came from.
std::vector<ConfigLine> describe_config(const Environment& env);

}  // namespace crossvoice::app
