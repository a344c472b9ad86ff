#include "app/config.hpp"

#include <gtest/gtest.h>

namespace crossvoice::app {
namespace {

TEST(Config, DefaultsWithAnEmptyEnvironment) {
    auto config = load_config({});
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->listen_host, "127.0.0.1");
    EXPECT_EQ(config->listen_port, 8080);
    EXPECT_EQ(config->database_url, "sqlite:data/crossvoice.db");
    EXPECT_EQ(config->sqlite_path, "data/crossvoice.db");
    EXPECT_EQ(config->data_dir, "data");
    EXPECT_EQ(config->max_body_bytes, 1024u * 1024u);
    EXPECT_GE(config->io_threads, 1);
    EXPECT_FALSE(config->telnyx_api_key.has_value());
}

TEST(Config, ReadsEveryKindOfValue) {
    auto config = load_config({{"CROSSVOICE_LISTEN", "[::1]:0"},
                               {"DATABASE_URL", "sqlite:///tmp/x.db"},
                               {"CROSSVOICE_MAX_BODY_BYTES", "2048"},
                               {"CROSSVOICE_IDLE_TIMEOUT_MS", "250"},
                               {"CROSSVOICE_IO_THREADS", "3"},
                               {"CROSSVOICE_ACCESS_LOG", "off"},
                               {"TELNYX_PHONE_NUMBER", "+15550001111"},
                               {"WEBHOOK_BASE_URL", "https://example.test"},
                               {"UNRELATED", "ignored"}});
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->listen_host, "::1");
    EXPECT_EQ(config->listen_port, 0);
    EXPECT_EQ(config->sqlite_path, "/tmp/x.db");
    EXPECT_EQ(config->max_body_bytes, 2048u);
    EXPECT_EQ(config->idle_timeout.count(), 250);
    EXPECT_EQ(config->io_threads, 3);
    EXPECT_FALSE(config->access_log);
    EXPECT_EQ(config->telnyx_phone_number, "+15550001111");
    EXPECT_EQ(config->webhook_base_url, "https://example.test");
}

TEST(Config, APostgresUrlSelectsPostgreSQL) {
    for (const std::string url :
         {"postgres://crossvoice@db.internal:5432/crossvoice", "postgresql://u:p@h/db?sslmode=require"}) {
        auto config = load_config({{"DATABASE_URL", url}});
        ASSERT_TRUE(config.ok()) << config.error().message;
        EXPECT_EQ(config->database_url, url);
        EXPECT_EQ(config->postgres_url, url);
        EXPECT_EQ(config->sqlite_path, "");
    }
}

TEST(Config, AnUnknownDatabaseSchemeIsNamedButNotTheRestOfTheUrl) {
    auto config = load_config({{"DATABASE_URL", "mysql://user:secret@h/db"}});
    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.error().message.find("'mysql'"), std::string::npos) << config.error().message;
    EXPECT_EQ(config.error().message.find("secret"), std::string::npos) << config.error().message;
}

TEST(Config, ErrorsNameTheVariable) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"CROSSVOICE_LISTEN", "8080"},
        {"CROSSVOICE_LISTEN", ":8080"},
        {"CROSSVOICE_LISTEN", "127.0.0.1:http"},
        {"CROSSVOICE_LISTEN", "127.0.0.1:70000"},
        {"DATABASE_URL", "sqlite:"},
        {"DATABASE_URL", "postgres://"},
        {"DATABASE_URL", "mysql://u@h/db"},
        {"DATABASE_URL", "data.db"},
        {"CROSSVOICE_MAX_BODY_BYTES", "0"},
        {"CROSSVOICE_MAX_BODY_BYTES", "12kb"},
        {"CROSSVOICE_HEADER_TIMEOUT_MS", "-1"},
        {"CROSSVOICE_WORKER_THREADS", "0"},
        {"CROSSVOICE_LOG_LEVEL", "loud"},
        {"CROSSVOICE_ACCESS_LOG", "maybe"},
        {"CROSSVOICE_TYPO", "1"},
        {"WEBHOOK_BASE_URL", "example.test"},
        {"TELNYX_PHONE_NUMBER", "555"},
        {"CROSS_PLATFORM_SESSION_SECRET", "short"},
    };
    for (const auto& [name, value] : bad) {
        auto config = load_config({{name, value}});
        ASSERT_FALSE(config.ok()) << name << "=" << value;
        EXPECT_EQ(config.error().code, core::ErrorCode::kValidation);
        EXPECT_NE(config.error().message.find(name), std::string::npos) << config.error().message;
    }
}

TEST(Config, DescribeMasksSecrets) {
    const auto lines = describe_config({{"SINCH_KEY_SECRET", "s3cr3t-value"}, {"TELNYX_CONNECTION_ID", "conn-1"}});
    bool saw_secret = false;
    for (const auto& line : lines) {
        EXPECT_EQ(line.value.find("s3cr3t"), std::string::npos);
        if (line.name == "SINCH_KEY_SECRET") {
            saw_secret = true;
            EXPECT_EQ(line.value, "******** (12 characters)");
            EXPECT_EQ(line.source, "environment");
        }
        if (line.name == "TELNYX_CONNECTION_ID") {
            EXPECT_EQ(line.value, "conn-1");
        }
        if (line.name == "DEEPGRAM_API_KEY") {
            EXPECT_EQ(line.value, "(unset)");
        }
        if (line.name == "CROSSVOICE_LISTEN") {
            EXPECT_EQ(line.source, "default");
        }
    }
    EXPECT_TRUE(saw_secret);
}

TEST(Config, TranscriptionDefaults) {
    auto config = load_config({});
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->stt_provider, "");
    EXPECT_EQ(config->deepgram_api_base_url, "https://api.deepgram.com");
    EXPECT_EQ(config->deepgram_model, "nova-3");
    EXPECT_FALSE(config->openai_stt_base_url.has_value());
    EXPECT_FALSE(config->openai_stt_api_key.has_value());
    EXPECT_EQ(config->openai_stt_model, "whisper-1");
    EXPECT_FALSE(config->libretranslate_url.has_value());
    EXPECT_FALSE(config->libretranslate_api_key.has_value());
    EXPECT_EQ(config->transcribe_sync_seconds, 120);
    EXPECT_EQ(config->transcribe_max_seconds, 4 * 3600);
    EXPECT_EQ(config->max_upload_bytes, 100u * 1024u * 1024u);
    EXPECT_TRUE(config->redact_tetrix.empty());
    EXPECT_TRUE(config->redact_joromi.empty());
    EXPECT_FALSE(config->callback_secret.has_value());
}

TEST(Config, ReadsTheTranscriptionVariables) {
    auto config = load_config({{"CROSSVOICE_STT_PROVIDER", "openai"},
                               {"DEEPGRAM_API_BASE_URL", "http://127.0.0.1:9100//"},
                               {"DEEPGRAM_MODEL", "nova-2-phonecall"},
                               {"OPENAI_STT_BASE_URL", "http://127.0.0.1:8081"},
                               {"OPENAI_STT_API_KEY", "sk-local"},
                               {"OPENAI_STT_MODEL", "large-v3"},
                               {"LIBRETRANSLATE_URL", "https://translate.example.test"},
                               {"LIBRETRANSLATE_API_KEY", "lt-key"},
                               {"CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "30"},
                               {"CROSSVOICE_TRANSCRIBE_MAX_SECONDS", "600"},
                               {"CROSSVOICE_MAX_UPLOAD_BYTES", "2048"},
                               {"CROSSVOICE_REDACT_TETRIX", "pci,ssn"},
                               {"CROSSVOICE_REDACT_JOROMI", "pii"},
                               {"CROSSVOICE_CALLBACK_SECRET", "cb-secret"}});
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->stt_provider, "openai");
    EXPECT_EQ(config->deepgram_api_base_url, "http://127.0.0.1:9100") << "trailing slashes are stripped";
    EXPECT_EQ(config->deepgram_model, "nova-2-phonecall");
    EXPECT_EQ(config->openai_stt_base_url, "http://127.0.0.1:8081");
    EXPECT_EQ(config->openai_stt_api_key, "sk-local");
    EXPECT_EQ(config->openai_stt_model, "large-v3");
    EXPECT_EQ(config->libretranslate_url, "https://translate.example.test");
    EXPECT_EQ(config->libretranslate_api_key, "lt-key");
    EXPECT_EQ(config->transcribe_sync_seconds, 30);
    EXPECT_EQ(config->transcribe_max_seconds, 600);
    EXPECT_EQ(config->max_upload_bytes, 2048u);
    EXPECT_EQ(config->redact_tetrix, (std::vector<std::string>{"pci", "ssn"}));
    EXPECT_EQ(config->redact_joromi, (std::vector<std::string>{"pii"}));
    EXPECT_EQ(config->callback_secret, "cb-secret");

    for (const char* provider : {"deepgram", "pocketsphinx"}) {
        auto other = load_config({{"CROSSVOICE_STT_PROVIDER", provider}});
        ASSERT_TRUE(other.ok()) << provider << ": " << other.error().message;
        EXPECT_EQ(other->stt_provider, provider);
    }
    auto every_class = load_config({{"CROSSVOICE_REDACT_TETRIX", "pci,ssn,phone,email,numbers,pii"}});
    ASSERT_TRUE(every_class.ok()) << every_class.error().message;
    EXPECT_EQ(every_class->redact_tetrix.size(), 6u);
    auto sync_zero = load_config({{"CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "0"}});
    ASSERT_TRUE(sync_zero.ok()) << "0 sends every transcription to a job: " << sync_zero.error().message;
    EXPECT_EQ(sync_zero->transcribe_sync_seconds, 0);
}

TEST(Config, TranscriptionErrorsNameTheVariable) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"CROSSVOICE_STT_PROVIDER", "whisper"},         {"CROSSVOICE_STT_PROVIDER", "Deepgram"},
        {"DEEPGRAM_API_BASE_URL", "api.deepgram.com"},  {"OPENAI_STT_BASE_URL", "127.0.0.1:8081"},
        {"LIBRETRANSLATE_URL", "ftp://translate.test"}, {"CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "-1"},
        {"CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "2m"},   {"CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "86401"},
        {"CROSSVOICE_TRANSCRIBE_MAX_SECONDS", "0"},     {"CROSSVOICE_TRANSCRIBE_MAX_SECONDS", "1.5"},
        {"CROSSVOICE_MAX_UPLOAD_BYTES", "1023"},        {"CROSSVOICE_MAX_UPLOAD_BYTES", "100MB"},
        {"CROSSVOICE_REDACT_TETRIX", "pci,credit"},     {"CROSSVOICE_REDACT_JOROMI", "PII"},
    };
    for (const auto& [name, value] : bad) {
        auto config = load_config({{name, value}});
        ASSERT_FALSE(config.ok()) << name << "=" << value;
        EXPECT_EQ(config.error().code, core::ErrorCode::kValidation);
        EXPECT_NE(config.error().message.find(name), std::string::npos) << config.error().message;
    }
}

TEST(Config, AnUnknownRedactionClassIsNamed) {
    auto config = load_config({{"CROSSVOICE_REDACT_JOROMI", "ssn,passport"}});
    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.error().message.find("CROSSVOICE_REDACT_JOROMI"), std::string::npos);
    EXPECT_NE(config.error().message.find("'passport'"), std::string::npos) << config.error().message;
}

TEST(Config, DescribeListsAndMasksTheTranscriptionVariables) {
    const auto lines = describe_config({{"OPENAI_STT_API_KEY", "sk-abcdef"},
                                        {"LIBRETRANSLATE_API_KEY", "lt-abcdef"},
                                        {"CROSSVOICE_CALLBACK_SECRET", "cb-abcdef"},
                                        {"DEEPGRAM_MODEL", "nova-2"}});
    std::vector<std::string> seen;
    for (const auto& line : lines) {
        seen.push_back(line.name);
        EXPECT_EQ(line.value.find("abcdef"), std::string::npos) << line.name << " shows a secret";
        if (line.name == "OPENAI_STT_API_KEY" || line.name == "LIBRETRANSLATE_API_KEY" ||
            line.name == "CROSSVOICE_CALLBACK_SECRET") {
            EXPECT_EQ(line.value, "******** (9 characters)") << line.name;
            EXPECT_EQ(line.source, "environment");
        }
        if (line.name == "DEEPGRAM_MODEL") {
            EXPECT_EQ(line.value, "nova-2");
        }
        if (line.name == "CROSSVOICE_TRANSCRIBE_SYNC_SECONDS") {
            EXPECT_EQ(line.value, "120");
            EXPECT_EQ(line.source, "default");
        }
    }
    for (const char* name :
         {"CROSSVOICE_STT_PROVIDER", "DEEPGRAM_API_BASE_URL", "DEEPGRAM_MODEL", "OPENAI_STT_BASE_URL",
          "OPENAI_STT_API_KEY", "OPENAI_STT_MODEL", "LIBRETRANSLATE_URL", "LIBRETRANSLATE_API_KEY",
          "CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "CROSSVOICE_TRANSCRIBE_MAX_SECONDS", "CROSSVOICE_MAX_UPLOAD_BYTES",
          "CROSSVOICE_REDACT_TETRIX", "CROSSVOICE_REDACT_JOROMI", "CROSSVOICE_CALLBACK_SECRET"}) {
        bool listed = false;
        for (const auto& one : seen) listed = listed || one == name;
        EXPECT_TRUE(listed) << name << " is not listed";
    }
}

}  // namespace
}  // namespace crossvoice::app
