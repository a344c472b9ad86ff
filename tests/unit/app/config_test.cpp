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

TEST(Config, ErrorsNameTheVariable) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"CROSSVOICE_LISTEN", "8080"},
        {"CROSSVOICE_LISTEN", ":8080"},
        {"CROSSVOICE_LISTEN", "127.0.0.1:http"},
        {"CROSSVOICE_LISTEN", "127.0.0.1:70000"},
        {"DATABASE_URL", "sqlite:"},
        {"DATABASE_URL", "postgres://u@h/db"},
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

}  // namespace
}  // namespace crossvoice::app
