#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>

#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

class Cli : public ServiceTest {};

TEST_F(Cli, DevelopmentKeysAreWrittenOnceToAPrivateFile) {
    struct stat info {};
    ASSERT_EQ(::stat(service_->keys_file().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_EQ(tetrix_.rfind("cv_tetrix_", 0), 0u);
    EXPECT_EQ(tetrix_.size(), std::string("cv_tetrix_").size() + 43) << "32 random bytes, base64url";
    const auto before = read_file(service_->keys_file());

    ASSERT_EQ(service_->terminate(), 0);
    start({});  // same data directory: the keys exist, nothing is recreated
    EXPECT_EQ(read_file(service_->keys_file()), before);
    EXPECT_EQ(call("GET", "/api/voice/sessions", tetrix_).status, 200);
}

TEST_F(Cli, MigrateBringsANewDatabaseToTheSchemaAndThenHasNothingToDo) {
    TempDir other;
    const std::map<std::string, std::string> env{
        {"CROSSVOICE_DATA_DIR", (other.path() / "data").string()},
        {"DATABASE_URL", "sqlite:" + (other.path() / "db" / "cv.db").string()}};
    auto first = run_crossvoice({"migrate"}, env, other.path());
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("schema version 0 -> "), std::string::npos) << first.out;
    auto again = run_crossvoice({"migrate"}, env, other.path());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("already at schema version"), std::string::npos) << again.out;
    // The running service's database is already migrated: nothing to do there either.
    auto live = run_crossvoice({"migrate"}, db_env(), dir_.path());
    ASSERT_EQ(live.exit_code, 0) << live.err;
    EXPECT_NE(live.out.find("already at schema version"), std::string::npos) << live.out;
}

TEST_F(Cli, MigrateRefusesADatabaseItCannotOpenAndSaysWhere) {
    TempDir other;
    const auto blocker = other.path() / "not-a-directory";
    std::ofstream(blocker) << "a file where the database directory should be";
    auto refused = run_crossvoice({"migrate"},
                                  {{"CROSSVOICE_DATA_DIR", (other.path() / "data").string()},
                                   {"DATABASE_URL", "sqlite:" + (blocker / "cv.db").string()}},
                                  other.path());
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("DATABASE_URL"), std::string::npos) << refused.err;
}

TEST_F(Cli, KeysListShowsKeysButNeverSecrets) {
    auto list = run_crossvoice({"keys", "list"}, db_env(), dir_.path());
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("development"), std::string::npos);
    EXPECT_NE(list.out.find("tetrix"), std::string::npos);
    EXPECT_EQ(list.out.find(tetrix_), std::string::npos);
    EXPECT_EQ(list.out.find(tetrix_.substr(10, 20)), std::string::npos);

    auto joromi_only = run_crossvoice({"keys", "list", "--platform", "joromi"}, db_env(), dir_.path());
    EXPECT_EQ(joromi_only.out.find("tetrix"), std::string::npos);
}

TEST_F(Cli, KeysCommandsRefuseBadInput) {
    auto bad_platform =
        run_crossvoice({"keys", "create", "--platform", "myspace", "--name", "x"}, db_env(), dir_.path());
    EXPECT_EQ(bad_platform.exit_code, 2);
    EXPECT_NE(bad_platform.err.find("platform"), std::string::npos);

    auto no_name = run_crossvoice({"keys", "create", "--platform", "tetrix"}, db_env(), dir_.path());
    EXPECT_NE(no_name.exit_code, 0);

    auto empty_name = run_crossvoice({"keys", "create", "--platform", "tetrix", "--name", ""}, db_env(), dir_.path());
    EXPECT_EQ(empty_name.exit_code, 2);

    auto unknown = run_crossvoice({"keys", "revoke", "key_00000000000000000000000000"}, db_env(), dir_.path());
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("not found"), std::string::npos);
}

TEST_F(Cli, ConfigMasksSecrets) {
    auto env = db_env();
    env["TELNYX_API_KEY"] = "KEYsupersecretvalue123";
    env["TELNYX_CONNECTION_ID"] = "conn-1";
    env["TELNYX_PUBLIC_KEY"] = "GhUVJvBLhTMrmLz9ZCKFUaGyAVlvTtn2ZMeYvp7Ct3c=";
    auto config = run_crossvoice({"config"}, env, dir_.path());
    ASSERT_EQ(config.exit_code, 0) << config.err;
    EXPECT_EQ(config.out.find("supersecret"), std::string::npos);
    EXPECT_NE(config.out.find("TELNYX_API_KEY=******** (22 characters)"), std::string::npos) << config.out;
    // The service's own database (a PostgreSQL URL when the suite runs on PostgreSQL), passwords masked.
    EXPECT_NE(config.out.find("DATABASE_URL=" + env["DATABASE_URL"].substr(0, env["DATABASE_URL"].find(':') + 1)),
              std::string::npos)
        << config.out;
    env["DATABASE_URL"] = "postgres://crossvoice:hunter2secret@db.internal:5432/crossvoice";
    auto postgres = run_crossvoice({"config"}, env, dir_.path());
    ASSERT_EQ(postgres.exit_code, 0) << postgres.err;
    EXPECT_EQ(postgres.out.find("hunter2secret"), std::string::npos) << postgres.out;
    EXPECT_NE(postgres.out.find("DATABASE_URL=postgres://crossvoice:***@db.internal:5432/crossvoice"),
              std::string::npos)
        << postgres.out;
}

TEST_F(Cli, BadConfigurationRefusesToStartAndNamesTheVariable) {
    struct Case {
        std::string name;
        std::string value;
    };
    for (const auto& c : {Case{"CROSSVOICE_LISTEN", "nonsense"}, Case{"CROSSVOICE_LISTEN", "127.0.0.1:99999"},
                          Case{"DATABASE_URL", "mysql://db"}, Case{"CROSSVOICE_MAX_BODY_BYTES", "-5"},
                          Case{"CROSSVOICE_LISTNE", "127.0.0.1:0"}, Case{"WEBHOOK_BASE_URL", "ftp://x"},
                          Case{"TELNYX_PHONE_NUMBER", "12345"}}) {
        auto env = db_env();
        env[c.name] = c.value;
        auto result = run_crossvoice({"serve"}, env, dir_.path());
        EXPECT_EQ(result.exit_code, 2) << c.name;
        EXPECT_NE(result.err.find(c.name), std::string::npos) << result.err;
    }

    // A Telnyx account needs its Call Control app and a key that can verify its webhooks.
    auto env = db_env();
    env["TELNYX_API_KEY"] = "KEY123";
    auto no_connection = run_crossvoice({"serve"}, env, dir_.path());
    EXPECT_EQ(no_connection.exit_code, 2);
    EXPECT_NE(no_connection.err.find("TELNYX_CONNECTION_ID"), std::string::npos) << no_connection.err;
    env["TELNYX_CONNECTION_ID"] = "conn-1";
    auto no_key = run_crossvoice({"serve"}, env, dir_.path());
    EXPECT_EQ(no_key.exit_code, 2);
    EXPECT_NE(no_key.err.find("TELNYX_PUBLIC_KEY"), std::string::npos) << no_key.err;
    env["TELNYX_PUBLIC_KEY"] = "not-a-key";
    auto bad_key = run_crossvoice({"serve"}, env, dir_.path());
    EXPECT_NE(bad_key.exit_code, 0);
    EXPECT_NE(bad_key.err.find("TELNYX_PUBLIC_KEY"), std::string::npos) << bad_key.err;
}

TEST_F(Cli, DotEnvFileIsReadAndEnvironmentWins) {
    const auto env_file = dir_.path() / "test.env";
    std::ofstream(env_file) << "# comment\nexport TELNYX_PHONE_NUMBER=\"+15550001111\"\nCROSSVOICE_LOG_LEVEL=warn\n";
    auto env = db_env();
    env["CROSSVOICE_ENV_FILE"] = env_file.string();
    env["CROSSVOICE_LOG_LEVEL"] = "error";
    auto config = run_crossvoice({"config"}, env, dir_.path());
    ASSERT_EQ(config.exit_code, 0) << config.err;
    EXPECT_NE(config.out.find("TELNYX_PHONE_NUMBER=+15550001111"), std::string::npos) << config.out;
    EXPECT_NE(config.out.find("CROSSVOICE_LOG_LEVEL=error"), std::string::npos);

    std::ofstream(env_file) << "NOT A VALID LINE\n";
    auto broken = run_crossvoice({"serve"}, env, dir_.path());
    EXPECT_EQ(broken.exit_code, 2);
    EXPECT_NE(broken.err.find("line 1"), std::string::npos) << broken.err;
}

}  // namespace
}  // namespace crossvoice::testing
