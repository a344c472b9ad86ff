#include "storage/sqlite/migrations.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/fake_clock.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::storage {
namespace {

class MigrationsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = SqliteDatabase::open((dir_.path() / "crossvoice.db").string(), 2);
        ASSERT_TRUE(opened) << opened.error().message;
        db_ = std::move(opened).value();
    }

    // Every row of a query, its columns joined with '|' (NULL as "NULL").
    std::vector<std::string> rows(std::string_view sql) {
        std::vector<std::string> out;
        auto lease = db_->acquire();
        auto statement = lease->prepare(sql, "test query");
        EXPECT_TRUE(statement) << statement.error().message;
        if (!statement) return out;
        for (;;) {
            auto row = statement->step();
            EXPECT_TRUE(row) << row.error().message;
            if (!row || !row.value()) break;
            std::string line;
            for (int c = 0; c < statement->column_count(); ++c) {
                if (c > 0) line += '|';
                line += statement->is_null(c) ? "NULL" : statement->text(c);
            }
            out.push_back(line);
        }
        return out;
    }

    void exec(std::string_view sql) {
        auto lease = db_->acquire();
        auto done = lease->exec_script(sql, "test setup");
        ASSERT_TRUE(done) << done.error().message;
    }

    bool has_table(const std::string& name) {
        return !rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'").empty();
    }

    testing::TempDir dir_;  // first, so the file outlives the database
    testing::FakeClock clock_;
    std::unique_ptr<SqliteDatabase> db_;
};

const Migration kFoundation = sqlite_migrations().front();

TEST_F(MigrationsTest, TheRealListStartsAtOneAndIncreases) {
    const auto migrations = sqlite_migrations();
    ASSERT_FALSE(migrations.empty());
    EXPECT_EQ(migrations.front().version, 1);
    EXPECT_EQ(migrations.front().name, "foundation");
    for (std::size_t i = 1; i < migrations.size(); ++i) EXPECT_GT(migrations[i].version, migrations[i - 1].version);
}

TEST_F(MigrationsTest, AFreshDatabaseIsAtVersionZero) {
    auto version = schema_version(*db_);
    ASSERT_TRUE(version) << version.error().message;
    EXPECT_EQ(version.value(), 0);
}

TEST_F(MigrationsTest, AFreshDatabaseGetsEveryMigrationAndThePlatformSeed) {
    auto migrated = migrate(*db_, sqlite_migrations(), clock_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    EXPECT_EQ(migrated.value(), sqlite_migrations().back().version);

    std::vector<std::string> expected_rows;
    for (const auto& migration : sqlite_migrations()) {
        expected_rows.push_back(std::to_string(migration.version) + "|" + std::string(migration.name) + "|" +
                                std::to_string(core::to_unix_ms(clock_.now())));
    }
    EXPECT_EQ(rows("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"), expected_rows);
    EXPECT_EQ(rows("SELECT id, display_name FROM platforms ORDER BY id"),
              (std::vector<std::string>{"joromi|JoRoMi", "tetrix|TETRIX"}));
    for (const char* table : {"platforms", "api_keys", "sessions", "audit_log", "calls", "call_events",
                              "call_recordings", "jobs", "schema_migrations"}) {
        EXPECT_TRUE(has_table(table)) << table;
    }
    // The seed's created_at is the real time of migration: a plausible unix-ms value, not 0.
    EXPECT_EQ(rows("SELECT COUNT(*) FROM platforms WHERE created_at > 1600000000000"), (std::vector<std::string>{"2"}));

    auto version = schema_version(*db_);
    ASSERT_TRUE(version) << version.error().message;
    EXPECT_EQ(version.value(), migrated.value());
}

TEST_F(MigrationsTest, TheFoundationEnforcesItsKeys) {
    ASSERT_TRUE(migrate(*db_, sqlite_migrations(), clock_));
    auto lease = db_->acquire();
    // foreign_keys=ON: a row for a platform that does not exist is refused.
    auto orphan = lease->execute(
        "INSERT INTO api_keys (id, platform, name, secret_hash, hint, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        "insert api key", "key_1", "myspace", "n", "h1", "abcd", 1);
    ASSERT_FALSE(orphan);
    EXPECT_EQ(orphan.error().code, core::ErrorCode::kInternal);
}

// The lookups on every webhook and every worker poll must not scan their tables. The control id index is partial
// (undialed calls share ''), so sqlite only uses it when the query repeats the index's condition.
TEST_F(MigrationsTest, CallAndJobLookupsAreServedByIndexes) {
    ASSERT_TRUE(migrate(*db_, sqlite_migrations(), clock_));
    const std::vector<std::pair<std::string, std::string>> lookups = {
        {"SELECT id FROM calls WHERE call_control_id = ?1 AND call_control_id <> ''", "calls_call_control_id"},
        {"SELECT id FROM calls WHERE platform = ?1 AND session_id = ?2 ORDER BY created_at, id",
         "calls_platform_session"},
        {"SELECT id FROM call_events WHERE call_id = ?1 ORDER BY occurred_at, received_at, rowid",
         "call_events_call_occurred"},
        {"SELECT id FROM jobs WHERE kind IN (?1) AND ((status = 'queued' AND run_at <= ?2) OR "
         "(status = 'running' AND lease_until <= ?2)) ORDER BY run_at, created_at, rowid LIMIT 1",
         "jobs_status_run_at"},
    };
    for (const auto& [sql, index] : lookups) {
        std::string plan;
        for (const auto& row : rows("EXPLAIN QUERY PLAN " + sql)) plan += row + "\n";
        EXPECT_NE(plan.find("INDEX " + index + " ("), std::string::npos) << sql << "\n" << plan;
        EXPECT_EQ(plan.find("SCAN"), std::string::npos) << sql << "\n" << plan;
    }
}

TEST_F(MigrationsTest, MigratingTwiceIsANoOp) {
    auto first = migrate(*db_, sqlite_migrations(), clock_);
    ASSERT_TRUE(first) << first.error().message;
    const auto before = rows("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    const auto platforms_before = rows("SELECT id, display_name, created_at FROM platforms ORDER BY id");

    clock_.advance_ms(60'000);
    auto second = migrate(*db_, sqlite_migrations(), clock_);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second.value(), first.value());
    EXPECT_EQ(rows("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"), before);
    EXPECT_EQ(rows("SELECT id, display_name, created_at FROM platforms ORDER BY id"), platforms_before);
}

TEST_F(MigrationsTest, TheDefaultOverloadAppliesTheRealList) {
    auto migrated = migrate(*db_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    EXPECT_EQ(migrated.value(), sqlite_migrations().back().version);
}

TEST_F(MigrationsTest, AFailingMigrationIsRolledBackAndNamed) {
    const std::vector<Migration> migrations = {
        kFoundation,
        {2, "add_widgets", "CREATE TABLE widgets (id INTEGER PRIMARY KEY);"},
        // Its first statement succeeds, its second fails: the first must not survive.
        {3, "add_gadgets", "CREATE TABLE gadgets (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1);"},
        {4, "add_sprockets", "CREATE TABLE sprockets (id INTEGER PRIMARY KEY);"},
    };
    auto migrated = migrate(*db_, migrations, clock_);
    ASSERT_FALSE(migrated);
    EXPECT_NE(migrated.error().message.find("migration 3"), std::string::npos) << migrated.error().message;
    EXPECT_NE(migrated.error().message.find("add_gadgets"), std::string::npos) << migrated.error().message;
    EXPECT_NE(migrated.error().message.find("no_such_table"), std::string::npos) << migrated.error().message;

    EXPECT_TRUE(has_table("widgets"));
    EXPECT_FALSE(has_table("gadgets"));
    EXPECT_FALSE(has_table("sprockets"));
    EXPECT_EQ(rows("SELECT version FROM schema_migrations ORDER BY version"), (std::vector<std::string>{"1", "2"}));

    // Once fixed, the run picks up where it stopped.
    const std::vector<Migration> fixed = {migrations[0],
                                          migrations[1],
                                          {3, "add_gadgets", "CREATE TABLE gadgets (id INTEGER PRIMARY KEY);"},
                                          migrations[3]};
    auto retried = migrate(*db_, fixed, clock_);
    ASSERT_TRUE(retried) << retried.error().message;
    EXPECT_EQ(retried.value(), 4);
    EXPECT_TRUE(has_table("gadgets"));
    EXPECT_TRUE(has_table("sprockets"));
}

TEST_F(MigrationsTest, ADatabaseFromANewerBuildIsRefusedUntouched) {
    ASSERT_TRUE(migrate(*db_, sqlite_migrations(), clock_));
    exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from_the_future', 0)");
    const auto before = rows("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");

    const std::vector<Migration> with_pending = {kFoundation, {2, "add_widgets", "CREATE TABLE widgets (id INTEGER);"}};
    auto migrated = migrate(*db_, with_pending, clock_);
    ASSERT_FALSE(migrated);
    EXPECT_NE(migrated.error().message.find("99"), std::string::npos) << migrated.error().message;
    EXPECT_NE(migrated.error().message.find("newer"), std::string::npos) << migrated.error().message;
    EXPECT_FALSE(has_table("widgets"));
    EXPECT_EQ(rows("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"), before);
}

TEST_F(MigrationsTest, AListOutOfOrderIsRejected) {
    const std::vector<Migration> migrations = {
        {2, "second", "CREATE TABLE a (id INTEGER);"},
        {1, "first", "CREATE TABLE b (id INTEGER);"},
    };
    auto migrated = migrate(*db_, migrations, clock_);
    ASSERT_FALSE(migrated);
    EXPECT_FALSE(has_table("a"));
}

TEST(SqliteOpenTest, AnUnopenablePathIsAnError) {
    testing::TempDir dir;
    auto opened = SqliteDatabase::open((dir.path() / "missing" / "crossvoice.db").string(), 2);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, core::ErrorCode::kUnavailable);
    EXPECT_NE(opened.error().message.find("open"), std::string::npos) << opened.error().message;
}

TEST(SqliteOpenTest, ADirectoryIsNotADatabase) {
    testing::TempDir dir;
    auto opened = SqliteDatabase::open(dir.path().string(), 1);
    ASSERT_FALSE(opened);
}

}  // namespace
}  // namespace crossvoice::storage
