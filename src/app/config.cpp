#include "app/config.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string_view>

#include "amqp/amqp_url.hpp"
#include "app/dotenv.hpp"
#include "core/e164.hpp"
#include "core/platform.hpp"
#include "core/time_format.hpp"
#include "redis/redis_url.hpp"
#include "storage/postgres/pg_database.hpp"

extern char** environ;

namespace crossvoice::app {
namespace {

using Apply = std::function<core::Status(std::string_view value, Config& config)>;

struct Variable {
    std::string_view name;
    std::string_view fallback;  // "" means unset by default
    bool secret;
    std::string_view help;
    Apply apply;
};

core::Error invalid(std::string_view name, std::string_view problem) {
    return core::Error::validation(std::string(name), fmt::format("{}: {}", name, problem));
}

template <typename Int>
core::Result<Int> parse_int(std::string_view name, std::string_view text, Int min, Int max) {
    Int value{};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) {
        return invalid(name, fmt::format("'{}' is not an integer", text));
    }
    if (value < min || value > max) return invalid(name, fmt::format("must be between {} and {}", min, max));
    return value;
}

Apply int_field(std::string_view name, int Config::*field, int min, int max) {
    return [=](std::string_view value, Config& config) -> core::Status {
        auto parsed = parse_int<int>(name, value, min, max);
        if (!parsed) return std::move(parsed).error();
        config.*field = *parsed;
        return {};
    };
}

Apply millis_field(std::string_view name, std::chrono::milliseconds Config::*field) {
    return [=](std::string_view value, Config& config) -> core::Status {
        auto parsed = parse_int<std::int64_t>(name, value, 1, 3'600'000);
        if (!parsed) return std::move(parsed).error();
        config.*field = std::chrono::milliseconds{*parsed};
        return {};
    };
}

Apply text_field(std::optional<std::string> Config::*field) {
    return [=](std::string_view value, Config& config) -> core::Status {
        config.*field = std::string(value);
        return {};
    };
}

Apply url_field(std::string_view name, std::optional<std::string> Config::*field) {
    return [=](std::string_view value, Config& config) -> core::Status {
        if (value.substr(0, 7) != "http://" && value.substr(0, 8) != "https://") {
            return invalid(name, "must be an http:// or https:// URL");
        }
        config.*field = std::string(value);
        return {};
    };
}

// A comma-separated list of redaction classes (the same names the transcription API takes).
Apply redaction_field(std::string_view name, std::vector<std::string> Config::*field) {
    return [=](std::string_view value, Config& config) -> core::Status {
        std::vector<std::string> classes;
        while (!value.empty()) {
            const auto comma = value.find(',');
            const auto item = value.substr(0, comma);
            if (item != "pci" && item != "ssn" && item != "phone" && item != "email" && item != "numbers" &&
                item != "pii") {
                return invalid(name,
                               fmt::format("unknown class '{}'; use pci, ssn, phone, email, numbers or pii", item));
            }
            classes.emplace_back(item);
            if (comma == std::string_view::npos) break;
            value.remove_prefix(comma + 1);
        }
        config.*field = std::move(classes);
        return {};
    };
}

core::Status apply_listen(std::string_view value, Config& config) {
    constexpr std::string_view kName = "CROSSVOICE_LISTEN";
    const auto colon = value.rfind(':');
    if (colon == std::string_view::npos) return invalid(kName, "expected HOST:PORT, e.g. 127.0.0.1:8080");
    std::string_view host = value.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) return invalid(kName, "the host is empty; expected HOST:PORT");
    if (host == "localhost") host = "127.0.0.1";
    auto port = parse_int<int>(kName, value.substr(colon + 1), 0, 65535);
    if (!port) return std::move(port).error();
    config.listen_host = std::string(host);
    config.listen_port = static_cast<std::uint16_t>(*port);
    return {};
}

core::Status apply_database_url(std::string_view value, Config& config) {
    constexpr std::string_view kName = "DATABASE_URL";
    if (value.substr(0, 7) == "sqlite:") {
        std::string_view path = value.substr(7);
        if (path.substr(0, 2) == "//") path.remove_prefix(2);
        if (path.empty()) return invalid(kName, "sqlite: needs a file path, e.g. sqlite:data/crossvoice.db");
        config.database_url = std::string(value);
        config.sqlite_path = std::string(path);
        config.postgres_url.clear();
        return {};
    }
    if (value.substr(0, 11) == "postgres://" || value.substr(0, 13) == "postgresql://") {
        // libpq reads the rest (user, password, host, port, database, parameters) when it connects.
        if (value.find("://") + 3 == value.size()) {
            return invalid(kName,
                           "postgres:// needs at least a host, e.g. postgres://crossvoice@db.internal/crossvoice");
        }
        config.database_url = std::string(value);
        config.postgres_url = std::string(value);
        config.sqlite_path.clear();
        return {};
    }
    // The scheme is named (never the rest: a URL may carry a password).
    const auto scheme = value.find(':');
    return invalid(
        kName, fmt::format("unsupported scheme '{}'; use sqlite:PATH or postgres://USER@HOST:PORT/DATABASE",
                           scheme == std::string_view::npos ? std::string_view("(none)") : value.substr(0, scheme)));
}

const std::vector<Variable>& variables() {
    static const std::vector<Variable> table = {
        {"CROSSVOICE_LISTEN", "127.0.0.1:8080", false, "address to serve on; port 0 takes a free port", apply_listen},
        {"DATABASE_URL", "sqlite:data/crossvoice.db", false,
         "storage: sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE", apply_database_url},
        {"REDIS_URL", "", true,
         "redis://[[user]:password@]host[:port][/db]: rate limits and once-only marks shared by every instance; "
         "empty keeps them in this process and its database",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return {};
             if (auto parsed = redis::parse_redis_url(value); !parsed) return std::move(parsed).error();
             config.redis_url = std::string(value);
             return {};
         }},
        {"AMQP_URL", "", true,
         "amqp://user:password@host[:port][/vhost]: RabbitMQ delivers background jobs to every instance's workers; "
         "empty has the workers read the jobs table",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return {};
             if (auto parsed = amqp::parse_amqp_url(value); !parsed) return std::move(parsed).error();
             config.amqp_url = std::string(value);
             return {};
         }},
        {"CROSSVOICE_SHARED_PREFIX", "crossvoice", false,
         "names this deployment's keys in Redis and exchanges and queues in RabbitMQ, so deployments can share servers",
         [](std::string_view value, Config& config) -> core::Status {
             const bool fits =
                 !value.empty() && value.size() <= 40 && std::all_of(value.begin(), value.end(), [](char c) {
                     return std::islower(static_cast<unsigned char>(c)) ||
                            std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                 });
             if (!fits) return invalid("CROSSVOICE_SHARED_PREFIX", "use 1 to 40 of a-z, 0-9, '-' and '_'");
             config.shared_prefix = std::string(value);
             return {};
         }},
        {"CROSSVOICE_DATA_DIR", "data", false, "directory for the database, development keys and recordings",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return invalid("CROSSVOICE_DATA_DIR", "must not be empty");
             config.data_dir = std::string(value);
             return {};
         }},
        {"CROSSVOICE_BLOB_DIR", "", false,
         "recordings and uploaded audio awaiting a job; empty = CROSSVOICE_DATA_DIR; several instances must share it",
         [](std::string_view value, Config& config) -> core::Status {
             config.blob_dir = std::string(value);
             return {};
         }},
        {"CROSSVOICE_FLOWS_DIR", "config/flows", false,
         "IVR flow files (*.yaml) validated and loaded at start; empty loads none",
         [](std::string_view value, Config& config) -> core::Status {
             config.flows_dir = std::string(value);
             config.flows_dir_required = value != "config/flows";
             return {};
         }},
        {"CROSSVOICE_IVR_NOW", "", false,
         "RFC 3339 instant IVR hours nodes see at start (rehearsing after-hours routing); empty = real time",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return {};
             auto parsed = core::parse_rfc3339(value);
             if (!parsed) return invalid("CROSSVOICE_IVR_NOW", "must be an RFC 3339 time, e.g. 2026-11-24T15:00:00Z");
             config.ivr_now = *parsed;
             return {};
         }},
        {"CROSSVOICE_MAX_BODY_BYTES", "1048576", false, "largest request body accepted (413 beyond)",
         [](std::string_view value, Config& config) -> core::Status {
             auto parsed = parse_int<std::size_t>("CROSSVOICE_MAX_BODY_BYTES", value, 1, std::size_t{1} << 30);
             if (!parsed) return std::move(parsed).error();
             config.max_body_bytes = *parsed;
             return {};
         }},
        {"CROSSVOICE_HEADER_TIMEOUT_MS", "10000", false, "time allowed to send the request headers",
         millis_field("CROSSVOICE_HEADER_TIMEOUT_MS", &Config::header_timeout)},
        {"CROSSVOICE_BODY_TIMEOUT_MS", "30000", false, "time allowed to send the request body",
         millis_field("CROSSVOICE_BODY_TIMEOUT_MS", &Config::body_timeout)},
        {"CROSSVOICE_IDLE_TIMEOUT_MS", "60000", false, "keep-alive connections idle longer are closed",
         millis_field("CROSSVOICE_IDLE_TIMEOUT_MS", &Config::idle_timeout)},
        {"CROSSVOICE_DRAIN_TIMEOUT_MS", "15000", false, "on shutdown, how long in-flight requests may take",
         millis_field("CROSSVOICE_DRAIN_TIMEOUT_MS", &Config::drain_timeout)},
        {"CROSSVOICE_LIVE_POLL_MS", "100", false, "how often live events are read from the shared event log",
         millis_field("CROSSVOICE_LIVE_POLL_MS", &Config::live_poll)},
        {"CROSSVOICE_STREAM_HEARTBEAT_MS", "15000", false, "keep-alive of idle SSE and WebSocket streams",
         millis_field("CROSSVOICE_STREAM_HEARTBEAT_MS", &Config::stream_heartbeat)},
        {"CROSSVOICE_AGENT_LANGUAGE", "en", false, "language the staff read; live events translate to and from it",
         [](std::string_view value, Config& config) -> core::Status {
             const bool letters = value.size() == 2 && std::isalpha(static_cast<unsigned char>(value[0])) &&
                                  std::isalpha(static_cast<unsigned char>(value[1]));
             if (!letters) {
                 return core::Error::validation(
                     "CROSSVOICE_AGENT_LANGUAGE",
                     "CROSSVOICE_AGENT_LANGUAGE must be a two-letter language code, e.g. en");
             }
             config.agent_language = std::string(value);
             return {};
         }},
        {"CROSSVOICE_IO_THREADS", "0", false, "socket threads; 0 means one per core",
         [](std::string_view value, Config& config) -> core::Status {
             auto parsed = parse_int<int>("CROSSVOICE_IO_THREADS", value, 0, 64);
             if (!parsed) return std::move(parsed).error();
             const int cores = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
             config.io_threads = *parsed == 0 ? cores : *parsed;
             return {};
         }},
        {"CROSSVOICE_WORKER_THREADS", "8", false, "threads for blocking work (database, vendors)",
         int_field("CROSSVOICE_WORKER_THREADS", &Config::worker_threads, 1, 256)},
        {"CROSSVOICE_DB_POOL_SIZE", "4", false, "SQLite connections",
         int_field("CROSSVOICE_DB_POOL_SIZE", &Config::db_pool_size, 1, 64)},
        {"CROSSVOICE_LOG_LEVEL", "info", false, "trace, debug, info, warn, error or off",
         [](std::string_view value, Config& config) -> core::Status {
             for (std::string_view level : {"trace", "debug", "info", "warn", "error", "off"}) {
                 if (value == level) {
                     config.log_level = std::string(value);
                     return {};
                 }
             }
             return invalid("CROSSVOICE_LOG_LEVEL", "must be one of trace, debug, info, warn, error, off");
         }},
        {"CROSSVOICE_ACCESS_LOG", "on", false, "one log line per request: on or off",
         [](std::string_view value, Config& config) -> core::Status {
             if (value == "on" || value == "true" || value == "1") {
                 config.access_log = true;
             } else if (value == "off" || value == "false" || value == "0") {
                 config.access_log = false;
             } else {
                 return invalid("CROSSVOICE_ACCESS_LOG", "must be on or off");
             }
             return {};
         }},
        {"CROSSVOICE_ENV_FILE", ".env", false,
         "the .env file read at start; ./.env may be absent, a named one must exist",
         [](std::string_view, Config&) -> core::Status { return {}; }},
        {"CROSSVOICE_CARRIER_TIMEOUT_MS", "10000", false, "per-attempt deadline of a carrier (Telnyx) request",
         millis_field("CROSSVOICE_CARRIER_TIMEOUT_MS", &Config::carrier_timeout)},
        {"CROSSVOICE_CARRIER_ATTEMPTS", "3", false, "tries per carrier request (network errors, 429, 5xx)",
         int_field("CROSSVOICE_CARRIER_ATTEMPTS", &Config::carrier_attempts, 1, 10)},
        {"CROSSVOICE_DIAL_LIMIT", "20", false, "outbound calls a platform may start per dial window",
         int_field("CROSSVOICE_DIAL_LIMIT", &Config::dial_limit, 1, 100'000)},
        {"CROSSVOICE_DIAL_WINDOW_MS", "60000", false, "the dial limit's rolling window",
         millis_field("CROSSVOICE_DIAL_WINDOW_MS", &Config::dial_window)},
        {"CROSSVOICE_JOB_WORKERS", "2", false, "background job threads (recordings, transcription)",
         int_field("CROSSVOICE_JOB_WORKERS", &Config::job_workers, 1, 64)},
        {"CROSSVOICE_JOB_BACKOFF_MS", "1000", false, "first retry delay of a failed job; doubles per attempt",
         millis_field("CROSSVOICE_JOB_BACKOFF_MS", &Config::job_backoff)},
        {"CROSSVOICE_JOB_MAX_ATTEMPTS", "5", false, "attempts before a failing job is marked dead",
         int_field("CROSSVOICE_JOB_MAX_ATTEMPTS", &Config::job_max_attempts, 1, 100)},
        {"CROSSVOICE_SANDBOX_ANSWER_DELAY_MS", "1500", false, "sandbox carrier: dial to answer",
         millis_field("CROSSVOICE_SANDBOX_ANSWER_DELAY_MS", &Config::sandbox_answer_delay)},
        {"CROSSVOICE_SANDBOX_TALK_TIME_MS", "6000", false, "sandbox carrier: answer to the callee hanging up",
         millis_field("CROSSVOICE_SANDBOX_TALK_TIME_MS", &Config::sandbox_talk_time)},
        {"CROSSVOICE_SANDBOX_SPEAK_MS_PER_CHAR", "60", false, "sandbox carrier: how long speak takes per character",
         millis_field("CROSSVOICE_SANDBOX_SPEAK_MS_PER_CHAR", &Config::sandbox_speak_per_character)},
        {"CROSSVOICE_SANDBOX_RECORD_SECOND_MS", "1000", false,
         "sandbox carrier: how long one second of record_start's max_length and timeout_secs lasts",
         millis_field("CROSSVOICE_SANDBOX_RECORD_SECOND_MS", &Config::sandbox_record_second)},
        {"CROSSVOICE_STT_PROVIDER", "", false,
         "speech-to-text engine: deepgram, pocketsphinx or openai; empty = deepgram with a key, else pocketsphinx",
         [](std::string_view value, Config& config) -> core::Status {
             if (value != "deepgram" && value != "pocketsphinx" && value != "openai") {
                 return invalid("CROSSVOICE_STT_PROVIDER", "must be deepgram, pocketsphinx or openai");
             }
             config.stt_provider = std::string(value);
             return {};
         }},
        {"DEEPGRAM_API_BASE_URL", "https://api.deepgram.com", false, "Deepgram API base (a loopback fake in tests)",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.substr(0, 7) != "http://" && value.substr(0, 8) != "https://") {
                 return invalid("DEEPGRAM_API_BASE_URL", "must be an http:// or https:// URL");
             }
             while (!value.empty() && value.back() == '/') value.remove_suffix(1);
             config.deepgram_api_base_url = std::string(value);
             return {};
         }},
        {"DEEPGRAM_MODEL", "nova-3", false, "Deepgram model",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return invalid("DEEPGRAM_MODEL", "must not be empty");
             config.deepgram_model = std::string(value);
             return {};
         }},
        {"OPENAI_STT_BASE_URL", "", false,
         "an OpenAI-compatible transcription server (whisper), e.g. http://127.0.0.1:8080",
         url_field("OPENAI_STT_BASE_URL", &Config::openai_stt_base_url)},
        {"OPENAI_STT_API_KEY", "", true, "bearer key of that server", text_field(&Config::openai_stt_api_key)},
        {"OPENAI_STT_MODEL", "whisper-1", false, "model name sent to that server",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return invalid("OPENAI_STT_MODEL", "must not be empty");
             config.openai_stt_model = std::string(value);
             return {};
         }},
        {"LIBRETRANSLATE_URL", "", false, "a LibreTranslate-compatible server; unset uses Apertium",
         url_field("LIBRETRANSLATE_URL", &Config::libretranslate_url)},
        {"LIBRETRANSLATE_API_KEY", "", true, "its api_key", text_field(&Config::libretranslate_api_key)},
        {"CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "120", false,
         "audio up to this long is transcribed within the request; longer becomes a job (202)",
         [](std::string_view value, Config& config) -> core::Status {
             auto parsed = parse_int<int>("CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", value, 0, 24 * 3600);
             if (!parsed) return std::move(parsed).error();
             config.transcribe_sync_seconds = *parsed;
             return {};
         }},
        {"CROSSVOICE_TRANSCRIBE_MAX_SECONDS", "14400", false, "longest audio accepted (413 beyond)",
         [](std::string_view value, Config& config) -> core::Status {
             auto parsed = parse_int<int>("CROSSVOICE_TRANSCRIBE_MAX_SECONDS", value, 1, 24 * 3600);
             if (!parsed) return std::move(parsed).error();
             config.transcribe_max_seconds = *parsed;
             return {};
         }},
        {"CROSSVOICE_MAX_UPLOAD_BYTES", "104857600", false, "largest audio upload or download (413 beyond)",
         [](std::string_view value, Config& config) -> core::Status {
             auto parsed = parse_int<std::size_t>("CROSSVOICE_MAX_UPLOAD_BYTES", value, 1024, std::size_t{1} << 31);
             if (!parsed) return std::move(parsed).error();
             config.max_upload_bytes = *parsed;
             return {};
         }},
        {"CROSSVOICE_REDACT_TETRIX", "", false, "redaction classes TETRIX transcripts get before storage (pci,ssn,…)",
         redaction_field("CROSSVOICE_REDACT_TETRIX", &Config::redact_tetrix)},
        {"CROSSVOICE_REDACT_JOROMI", "", false, "redaction classes JoRoMi transcripts get before storage",
         redaction_field("CROSSVOICE_REDACT_JOROMI", &Config::redact_joromi)},
        {"CROSSVOICE_WIDGET_ORIGINS", "", false,
         "other origins whose pages may embed the widget (comma list of scheme://host[:port], or *); "
         "its own origin always may",
         [](std::string_view value, Config& config) -> core::Status {
             std::vector<std::string> origins;
             while (!value.empty()) {
                 const auto comma = value.find(',');
                 auto item = value.substr(0, comma);
                 while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
                 while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
                 const auto scheme = item.find("://");
                 const bool web = item.starts_with("http://") || item.starts_with("https://");
                 const bool bare = scheme != std::string_view::npos && item.size() > scheme + 3 &&
                                   item.find('/', scheme + 3) == std::string_view::npos;
                 if (item != "*" && !(web && bare)) {
                     return invalid(
                         "CROSSVOICE_WIDGET_ORIGINS",
                         fmt::format("'{}' is not an origin; use scheme://host[:port] (no path) or *", item));
                 }
                 origins.emplace_back(item);
                 if (comma == std::string_view::npos) break;
                 value.remove_prefix(comma + 1);
             }
             config.widget_origins = std::move(origins);
             return {};
         }},
        {"CROSSVOICE_WIDGET_STARTS_PER_MINUTE", "20", false,
         "widget conversations one client address may start per minute (429 beyond)",
         int_field("CROSSVOICE_WIDGET_STARTS_PER_MINUTE", &Config::widget_starts_per_minute, 1, 100'000)},
        {"CROSSVOICE_WIDGET_MESSAGES_PER_MINUTE", "30", false,
         "messages a widget visitor may send per minute in one conversation (429 beyond)",
         int_field("CROSSVOICE_WIDGET_MESSAGES_PER_MINUTE", &Config::widget_messages_per_minute, 1, 100'000)},
        {"CROSSVOICE_CALLBACK_SECRET", "", true, "signs transcription callbacks (X-Crossvoice-Signature)",
         text_field(&Config::callback_secret)},
        {"CROSSVOICE_KNOWLEDGE_DIR", "config/knowledge", false,
         "SHANGO's shipped knowledge documents (<platform>/*.md), indexed at start; empty loads none",
         [](std::string_view value, Config& config) -> core::Status {
             config.knowledge_dir = std::string(value);
             config.knowledge_dir_required = !value.empty() && value != "config/knowledge";
             return {};
         }},
        {"CROSSVOICE_WEB_DIR", "build/web", false,
         "the built console, widget and demo pages (make web) served at /console/, /widget.js and /demo/",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return invalid("CROSSVOICE_WEB_DIR", "must not be empty");
             config.web_dir = std::string(value);
             return {};
         }},
        {"CROSSVOICE_ASSISTANT_DIR", "config/assistant", false, "SHANGO's personas per platform (<platform>.yaml)",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return invalid("CROSSVOICE_ASSISTANT_DIR", "must not be empty");
             config.assistant_dir = std::string(value);
             config.assistant_dir_required = value != "config/assistant";
             return {};
         }},
        {"ASSISTANT_MODEL_URL", "", false,
         "an OpenAI-compatible chat server for SHANGO (Ollama, llama.cpp, vLLM, OpenAI); unset = knowledge base only",
         url_field("ASSISTANT_MODEL_URL", &Config::assistant_model_url)},
        {"ASSISTANT_MODEL_API_KEY", "", true, "bearer key of that server",
         text_field(&Config::assistant_model_api_key)},
        {"ASSISTANT_MODEL", "llama3.1", false, "model name sent to that server",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.empty()) return invalid("ASSISTANT_MODEL", "must not be empty");
             config.assistant_model = std::string(value);
             return {};
         }},
        {"ASSISTANT_MODEL_TIMEOUT_MS", "8000", false, "how long SHANGO waits for the model before answering itself",
         millis_field("ASSISTANT_MODEL_TIMEOUT_MS", &Config::assistant_model_timeout)},
        {"CROSSVOICE_ASSISTANT_HANDOFF_BELOW", "35", false,
         "knowledge-base confidence (percent) below which SHANGO hands over to a person",
         [](std::string_view value, Config& config) -> core::Status {
             auto parsed = parse_int<int>("CROSSVOICE_ASSISTANT_HANDOFF_BELOW", value, 0, 100);
             if (!parsed) return std::move(parsed).error();
             config.assistant_handoff_below = *parsed / 100.0;
             return {};
         }},
        {"TELNYX_API_BASE_URL", "https://api.telnyx.com/v2", false, "Telnyx API base (a sandbox-carrier URL in tests)",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.substr(0, 7) != "http://" && value.substr(0, 8) != "https://") {
                 return invalid("TELNYX_API_BASE_URL", "must be an http:// or https:// URL");
             }
             while (!value.empty() && value.back() == '/') value.remove_suffix(1);
             config.telnyx_api_base_url = std::string(value);
             return {};
         }},
        {"WEBHOOK_BASE_URL", "", false, "public base URL vendors call back",
         url_field("WEBHOOK_BASE_URL", &Config::webhook_base_url)},
        {"TELNYX_API_KEY", "", true, "Telnyx API v2 key; unset uses the sandbox carrier",
         text_field(&Config::telnyx_api_key)},
        {"TELNYX_PHONE_NUMBER", "", false, "default caller id (E.164)",
         [](std::string_view value, Config& config) -> core::Status {
             if (!core::is_e164(value))
                 return invalid("TELNYX_PHONE_NUMBER", "must be an E.164 number like +15551234567");
             config.telnyx_phone_number = std::string(value);
             return {};
         }},
        {"TELNYX_CONNECTION_ID", "", false, "Telnyx Call Control application id",
         text_field(&Config::telnyx_connection_id)},
        {"TELNYX_PUBLIC_KEY", "", false, "Telnyx webhook signing public key (base64)",
         text_field(&Config::telnyx_public_key)},
        {"DEEPGRAM_API_KEY", "", true, "Deepgram key; unset uses local speech-to-text",
         text_field(&Config::deepgram_api_key)},
        {"SINCH_API_KEY", "", true, "Sinch API key", text_field(&Config::sinch_api_key)},
        {"SINCH_PROJECT_ID", "", false, "Sinch project id", text_field(&Config::sinch_project_id)},
        {"SINCH_APP_ID", "", false, "Sinch Conversation API app id", text_field(&Config::sinch_app_id)},
        {"SINCH_KEY_ID", "", false, "Sinch access key id", text_field(&Config::sinch_key_id)},
        {"SINCH_KEY_SECRET", "", true, "Sinch access key secret", text_field(&Config::sinch_key_secret)},
        {"SINCH_WEBHOOK_SECRET", "", true, "Sinch webhook HMAC secret", text_field(&Config::sinch_webhook_secret)},
        {"SINCH_API_BASE_URL", "https://us.conversation.api.sinch.com", false,
         "Sinch Conversation API base (region us, eu or br; a fake's URL in tests)",
         url_field("SINCH_API_BASE_URL", &Config::sinch_api_base_url)},
        {"SINCH_AUTH_URL", "https://auth.sinch.com/oauth2/token", false, "Sinch OAuth2 token endpoint",
         url_field("SINCH_AUTH_URL", &Config::sinch_auth_url)},
        {"SINCH_PLATFORM", "tetrix", false,
         "the platform a customer's first message on the Sinch app opens a session on (tetrix or joromi)",
         [](std::string_view value, Config& config) -> core::Status {
             if (!core::parse_platform(value)) return invalid("SINCH_PLATFORM", "must be tetrix or joromi");
             config.sinch_platform = std::string(value);
             return {};
         }},
        {"TELNYX_MESSAGING_PROFILE_ID", "", false, "Telnyx messaging profile; set: SMS goes through Telnyx",
         text_field(&Config::telnyx_messaging_profile_id)},
        {"CROSS_PLATFORM_SESSION_SECRET", "", true, "key material for cross-platform hand-off tokens",
         [](std::string_view value, Config& config) -> core::Status {
             if (value.size() < 32) return invalid("CROSS_PLATFORM_SESSION_SECRET", "must be at least 32 characters");
             config.cross_platform_session_secret = std::string(value);
             return {};
         }},
    };
    return table;
}

const Variable* find_variable(std::string_view name) {
    for (const auto& variable : variables()) {
        if (variable.name == name) return &variable;
    }
    return nullptr;
}

}  // namespace

core::Result<Config> load_config(const Environment& env) {
    for (const auto& [name, value] : env) {
        if (name.rfind("CROSSVOICE_", 0) == 0 && find_variable(name) == nullptr) {
            return invalid(name, "unknown setting (see `crossvoice config` for the known ones)");
        }
    }
    Config config;
    for (const auto& variable : variables()) {
        const auto it = env.find(std::string(variable.name));
        const bool given = it != env.end() && !it->second.empty();
        if (!given && variable.fallback.empty()) continue;
        if (auto applied = variable.apply(given ? std::string_view(it->second) : variable.fallback, config); !applied) {
            return std::move(applied).error();
        }
    }
    // A real carrier account is useless without these two: calls need the application to dial from, and
    // webhooks that cannot be verified must not be accepted.
    if (config.telnyx_api_key) {
        if (!config.telnyx_connection_id) {
            return invalid("TELNYX_CONNECTION_ID", "is required when TELNYX_API_KEY is set (the Call Control app id)");
        }
        if (!config.telnyx_public_key) {
            return invalid("TELNYX_PUBLIC_KEY", "is required when TELNYX_API_KEY is set, to verify webhooks");
        }
    }
    return config;
}

core::Result<Environment> read_environment() {
    Environment process;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (equals != std::string_view::npos) process[std::string(text.substr(0, equals))] = text.substr(equals + 1);
    }
    const auto named = process.find("CROSSVOICE_ENV_FILE");
    const bool explicit_file = named != process.end();
    const std::string path = explicit_file ? named->second : ".env";
    std::ifstream file(path);
    if (!file) {
        if (explicit_file) return invalid("CROSSVOICE_ENV_FILE", fmt::format("cannot read '{}'", path));
        return process;
    }
    std::stringstream contents;
    contents << file.rdbuf();
    auto from_file = parse_dotenv(contents.str());
    if (!from_file) {
        auto error = std::move(from_file).error();
        error.message = fmt::format("{}: {}", path, error.message);
        return error;
    }
    Environment merged = std::move(from_file).value();
    for (auto& [name, value] : process) merged[name] = std::move(value);
    return merged;
}

std::vector<ConfigLine> describe_config(const Environment& env) {
    std::vector<ConfigLine> lines;
    for (const auto& variable : variables()) {
        const auto it = env.find(std::string(variable.name));
        const bool given = it != env.end() && !it->second.empty();
        std::string value = given ? it->second : std::string(variable.fallback);
        if (variable.secret && !value.empty()) value = fmt::format("******** ({} characters)", value.size());
        // Not a secret as a whole (a SQLite path is worth showing), but a PostgreSQL URL may carry a password.
        if (variable.name == "DATABASE_URL" && value.rfind("postgres", 0) == 0) {
            value = storage::redact_postgres_url(value);
        }
        if (value.empty()) value = "(unset)";
        lines.push_back({std::string(variable.name), std::move(value), given ? "environment" : "default",
                         std::string(variable.help)});
    }
    return lines;
}

}  // namespace crossvoice::app
