#include "storage/sqlite/database.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_readiness.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::storage {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
  protected:
    static constexpr int kPoolSize = 3;

    void SetUp() override {
        auto opened = SqliteDatabase::open((dir_.path() / "crossvoice.db").string(), kPoolSize);
        ASSERT_TRUE(opened) << opened.error().message;
        db_ = std::move(opened).value();
        auto lease = db_->acquire();
        auto created = lease->exec_script("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)",
                                          "create things");
        ASSERT_TRUE(created) << created.error().message;
    }

    std::int64_t count_things() {
        auto lease = db_->acquire();
        auto statement = lease->prepare("SELECT COUNT(*) FROM things", "count things");
        EXPECT_TRUE(statement) << statement.error().message;
        if (!statement) return -1;
        auto row = statement->step();
        EXPECT_TRUE(row && row.value());
        return statement->int64(0);
    }

    std::string pragma(Connection& connection, const std::string& name) {
        auto statement = connection.prepare("PRAGMA " + name, "read pragma");
        EXPECT_TRUE(statement) << statement.error().message;
        if (!statement) return {};
        auto row = statement->step();
        EXPECT_TRUE(row && row.value());
        return statement->text(0);
    }

    testing::TempDir dir_;  // first, so the file outlives the database
    std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteDatabaseTest, EveryConnectionHasTheSettings) {
    std::vector<SqliteDatabase::Lease> leases;
    for (int i = 0; i < kPoolSize; ++i) leases.push_back(db_->acquire());
    for (auto& lease : leases) {
        EXPECT_EQ(pragma(*lease, "journal_mode"), "wal");
        EXPECT_EQ(pragma(*lease, "synchronous"), "1");  // NORMAL
        EXPECT_EQ(pragma(*lease, "foreign_keys"), "1");
        EXPECT_EQ(pragma(*lease, "busy_timeout"), "5000");
    }
    EXPECT_EQ(db_->pool_size(), kPoolSize);
}

TEST_F(SqliteDatabaseTest, StatementsBindAndReadEveryKindOfValue) {
    auto lease = db_->acquire();
    auto statement = lease->prepare("SELECT ?, ?, ?, ?, ?, ?, ?, ?", "select values");
    ASSERT_TRUE(statement) << statement.error().message;
    const std::string with_nul("a\0b", 3);
    statement->bind_all(std::string("héllo ✓"), std::numeric_limits<std::int64_t>::min(), nullptr,
                        std::optional<std::string>(), std::optional<std::int64_t>(42), true, with_nul, "literal");
    auto row = statement->step();
    ASSERT_TRUE(row) << row.error().message;
    ASSERT_TRUE(row.value());
    EXPECT_EQ(statement->column_count(), 8);
    EXPECT_EQ(statement->text(0), "héllo ✓");
    EXPECT_EQ(statement->int64(1), std::numeric_limits<std::int64_t>::min());
    EXPECT_TRUE(statement->is_null(2));
    EXPECT_EQ(statement->optional_text(2), std::nullopt);
    EXPECT_EQ(statement->optional_text(3), std::nullopt);
    EXPECT_EQ(statement->optional_int64(3), std::nullopt);
    EXPECT_EQ(statement->optional_int64(4), 42);
    EXPECT_EQ(statement->int64(5), 1);
    EXPECT_EQ(statement->text(6), with_nul);
    EXPECT_EQ(statement->optional_text(7), "literal");
    auto done = statement->step();
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_FALSE(done.value());
}

TEST_F(SqliteDatabaseTest, AReusedStatementStartsClean) {
    auto lease = db_->acquire();
    for (const char* name : {"one", "two"}) {
        auto inserted = lease->execute("INSERT INTO things (name, note) VALUES (?, ?)", "insert thing", name,
                                       std::optional<std::string>());
        ASSERT_TRUE(inserted) << inserted.error().message;
    }
    // The same SQL used twice at once (nested) must not share one sqlite3_stmt.
    auto outer = lease->prepare("SELECT name FROM things ORDER BY id", "list things");
    ASSERT_TRUE(outer) << outer.error().message;
    auto inner = lease->prepare("SELECT name FROM things ORDER BY id", "list things");
    ASSERT_TRUE(inner) << inner.error().message;
    ASSERT_TRUE(outer->step().value());
    ASSERT_TRUE(inner->step().value());
    ASSERT_TRUE(inner->step().value());
    EXPECT_EQ(outer->text(0), "one");
    EXPECT_EQ(inner->text(0), "two");
}

TEST_F(SqliteDatabaseTest, AUniqueViolationIsAConflictThatDoesNotQuoteTheValue) {
    auto lease = db_->acquire();
    const std::string secret = "alice@example.com";
    ASSERT_TRUE(lease->execute("INSERT INTO things (name) VALUES (?)", "insert thing", secret));
    auto again = lease->execute("INSERT INTO things (name) VALUES (?)", "insert thing", secret);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
    EXPECT_NE(again.error().message.find("insert thing"), std::string::npos) << again.error().message;
    EXPECT_EQ(again.error().message.find(secret), std::string::npos) << again.error().message;
}

TEST_F(SqliteDatabaseTest, ABadStatementIsAnInternalErrorNamingTheOperation) {
    auto lease = db_->acquire();
    auto statement = lease->prepare("SELECT nope FROM things", "read nope");
    ASSERT_FALSE(statement);
    EXPECT_EQ(statement.error().code, core::ErrorCode::kInternal);
    EXPECT_NE(statement.error().message.find("read nope"), std::string::npos) << statement.error().message;
}

TEST_F(SqliteDatabaseTest, PrepareTakesOneStatementOnly) {
    auto lease = db_->acquire();
    auto statement = lease->prepare("SELECT 1; SELECT 2", "two statements");
    ASSERT_FALSE(statement);
    auto trailing = lease->prepare("SELECT 1;  \n", "one statement");
    EXPECT_TRUE(trailing) << trailing.error().message;
}

TEST(SqliteErrorTest, CodesMapToErrorKinds) {
    EXPECT_EQ(sqlite_error(SQLITE_BUSY, "x").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(sqlite_error(SQLITE_BUSY_SNAPSHOT, "x").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(sqlite_error(SQLITE_LOCKED, "x").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(sqlite_error(SQLITE_CANTOPEN, "x").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(sqlite_error(SQLITE_IOERR_WRITE, "x").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(sqlite_error(SQLITE_FULL, "x").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(sqlite_error(SQLITE_CONSTRAINT_UNIQUE, "x").code, core::ErrorCode::kConflict);
    EXPECT_EQ(sqlite_error(SQLITE_CONSTRAINT_PRIMARYKEY, "x").code, core::ErrorCode::kConflict);
    EXPECT_EQ(sqlite_error(SQLITE_CONSTRAINT_FOREIGNKEY, "x").code, core::ErrorCode::kInternal);
    EXPECT_EQ(sqlite_error(SQLITE_CONSTRAINT_NOTNULL, "x").code, core::ErrorCode::kInternal);
    EXPECT_EQ(sqlite_error(SQLITE_CORRUPT, "x").code, core::ErrorCode::kInternal);
    EXPECT_EQ(sqlite_error(SQLITE_ERROR, "x").code, core::ErrorCode::kInternal);
    EXPECT_EQ(sqlite_error(SQLITE_BUSY, "load session").message, "database: load session failed: database is locked");
}

TEST_F(SqliteDatabaseTest, ATransactionCommitsWhatItsBodyDid) {
    {
        auto lease = db_->acquire();
        auto result = lease->transaction("add two", [](Connection& c) -> core::Result<int> {
            if (auto a = c.execute("INSERT INTO things (name) VALUES (?)", "insert thing", "a"); !a) return a.error();
            if (auto b = c.execute("INSERT INTO things (name) VALUES (?)", "insert thing", "b"); !b) return b.error();
            return 7;
        });
        ASSERT_TRUE(result) << result.error().message;
        EXPECT_EQ(result.value(), 7);
    }
    EXPECT_EQ(count_things(), 2);  // seen from whichever connection count_things borrows
}

TEST_F(SqliteDatabaseTest, ATransactionRollsBackWhenItsBodyFails) {
    {
        auto lease = db_->acquire();
        auto result = lease->transaction("add then fail", [](Connection& c) -> core::Status {
            if (auto a = c.execute("INSERT INTO things (name) VALUES (?)", "insert thing", "a"); !a) return a.error();
            return c.execute("INSERT INTO things (name) VALUES (?)", "insert thing", "a");  // duplicate
        });
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, core::ErrorCode::kConflict);
    }
    EXPECT_EQ(count_things(), 0);
}

TEST_F(SqliteDatabaseTest, ATransactionRollsBackWhenItsBodyThrows) {
    {
        auto lease = db_->acquire();
        auto result = lease->transaction("add then throw", [](Connection& c) -> core::Status {
            if (auto a = c.execute("INSERT INTO things (name) VALUES (?)", "insert thing", "a"); !a) return a.error();
            throw std::runtime_error("private detail");
        });
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, core::ErrorCode::kInternal);
        EXPECT_EQ(result.error().message.find("private detail"), std::string::npos);
    }
    EXPECT_EQ(count_things(), 0);
}

TEST_F(SqliteDatabaseTest, WithConnectionTurnsExceptionsIntoErrors) {
    auto result = db_->with_connection([](Connection&) -> core::Result<int> { throw std::bad_alloc(); });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, core::ErrorCode::kInternal);
}

TEST_F(SqliteDatabaseTest, ATransactionLeftOpenIsRolledBackWhenTheLeaseEnds) {
    {
        auto lease = db_->acquire();
        ASSERT_TRUE(lease->exec_script("BEGIN IMMEDIATE; INSERT INTO things (name) VALUES ('x');", "leak"));
    }
    // Every connection, including the one that leaked, can write again and sees no row.
    std::vector<SqliteDatabase::Lease> leases;
    for (int i = 0; i < kPoolSize; ++i) leases.push_back(db_->acquire());
    for (auto& lease : leases) {
        auto inserted = lease->transaction("write", [](Connection& c) {
            return c.execute("INSERT INTO things (name) VALUES (NULL)", "insert thing");
        });
        EXPECT_TRUE(inserted) << inserted.error().message;
    }
    leases.clear();
    EXPECT_EQ(count_things(), kPoolSize);
}

TEST_F(SqliteDatabaseTest, AcquireWaitsUntilAConnectionIsReturned) {
    std::vector<SqliteDatabase::Lease> leases;
    for (int i = 0; i < kPoolSize; ++i) leases.push_back(db_->acquire());
    EXPECT_FALSE(db_->try_acquire_for(std::chrono::milliseconds(0)).has_value());

    std::atomic<bool> acquired{false};
    std::thread waiter([&] {
        auto lease = db_->acquire();  // blocks until the pop_back below returns one
        acquired = true;
    });
    leases.pop_back();
    waiter.join();
    EXPECT_TRUE(acquired.load());
    EXPECT_TRUE(db_->try_acquire_for(std::chrono::milliseconds(0)).has_value());
}

TEST_F(SqliteDatabaseTest, ManyThreadsShareTheConnections) {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 30;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto inserted = db_->with_connection([&](Connection& c) {
                    return c.execute("INSERT INTO things (name) VALUES (?)", "insert thing",
                                     std::to_string(t) + "-" + std::to_string(i));
                });
                if (!inserted) ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(count_things(), kThreads * kPerThread);
}

TEST_F(SqliteDatabaseTest, TheReadinessProbeAnswersForTheDatabase) {
    SqliteReadiness probe(*db_, std::chrono::milliseconds(0));
    EXPECT_EQ(probe.name(), "database");
    auto ready = probe.check();
    EXPECT_TRUE(ready) << ready.error().message;

    std::vector<SqliteDatabase::Lease> leases;
    for (int i = 0; i < kPoolSize; ++i) leases.push_back(db_->acquire());
    auto busy = probe.check();
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, core::ErrorCode::kUnavailable);
}

TEST(SqliteOpenTest, APoolNeedsAtLeastOneConnection) {
    testing::TempDir dir;
    auto opened = SqliteDatabase::open((dir.path() / "crossvoice.db").string(), 0);
    EXPECT_FALSE(opened);
}

TEST(SqliteOpenTest, AFileThatIsNotADatabaseIsRefused) {
    testing::TempDir dir;
    const auto path = dir.path() / "notes.txt";
    std::ofstream(path) << std::string(4096, 'x');
    auto opened = SqliteDatabase::open(path.string(), 1);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("journal_mode"), std::string::npos) << opened.error().message;
}

}  // namespace
}  // namespace crossvoice::storage
