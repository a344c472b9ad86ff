#include "storage/postgres/pg_database.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace crossvoice::storage {
namespace {

TEST(PgError, MapsSqlstatesToErrorKinds) {
    EXPECT_EQ(pg_error("23505", "insert session", "duplicate key value").code, core::ErrorCode::kConflict);
    EXPECT_EQ(pg_error("08006", "find session").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(pg_error("57P01", "find session").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(pg_error("40P01", "ingest call event").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(pg_error("", "find session", "server closed the connection").code, core::ErrorCode::kUnavailable);
    EXPECT_EQ(pg_error("42P01", "find session", "relation does not exist").code, core::ErrorCode::kInternal);
    EXPECT_EQ(pg_error("23503", "append message", "violates foreign key").code, core::ErrorCode::kInternal);
}

TEST(PgError, NamesTheOperationButNeverAValue) {
    const auto error = pg_error("22P02", "list sessions", "invalid input syntax for type bigint: \"+12025550111\"");
    EXPECT_NE(error.message.find("list sessions"), std::string::npos) << error.message;
    EXPECT_EQ(error.message.find("12025550111"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("22P02"), std::string::npos) << error.message;
}

TEST(PgUrl, PasswordsAreRedactedAndTheDatabaseReplaced) {
    EXPECT_EQ(redact_postgres_url("postgres://cv:s3cret@db:5432/crossvoice?sslmode=require"),
              "postgres://cv:***@db:5432/crossvoice?sslmode=require");
    EXPECT_EQ(redact_postgres_url("postgresql://cv@db/crossvoice"), "postgresql://cv@db/crossvoice");
    EXPECT_EQ(redact_postgres_url("host=db password=s3cret dbname=x"), "host=db password=*** dbname=x");
    EXPECT_EQ(postgres_url_with_database("postgres://cv@127.0.0.1:5432/postgres", "cv_t_1"),
              "postgres://cv@127.0.0.1:5432/cv_t_1");
    EXPECT_EQ(postgres_url_with_database("postgres://cv@h/postgres?sslmode=disable", "x"),
              "postgres://cv@h/x?sslmode=disable");
    EXPECT_EQ(postgres_url_with_database("postgres://cv@h", "x"), "postgres://cv@h/x");
}

// The pool against the test server (scripts/with-test-servers.sh); skipped without it, failed under CI=true.
class PgDatabaseTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* url = std::getenv("CROSSVOICE_TEST_POSTGRES_URL");
        if (url == nullptr) {
            const char* ci = std::getenv("CI");
            if (ci != nullptr && std::string(ci) == "true") FAIL() << "CROSSVOICE_TEST_POSTGRES_URL is not set";
            GTEST_SKIP() << "CROSSVOICE_TEST_POSTGRES_URL is not set";
        }
        url_ = url;
    }

    std::unique_ptr<PgDatabase> open(int pool_size) {
        auto db = PgDatabase::open(url_, pool_size, std::chrono::milliseconds(200));
        EXPECT_TRUE(db.ok()) << db.error().message;
        return db.ok() ? std::move(db).value() : nullptr;
    }

    std::int64_t backend_pid(PgDatabase& db) {
        auto pid = db.with_connection([](PgConnection& c) -> core::Result<std::int64_t> {
            auto statement = c.prepare("SELECT pg_backend_pid()", "read pid");
            if (!statement) return std::move(statement).error();
            auto row = statement->step();
            if (!row) return std::move(row).error();
            return statement->int64(0);
        });
        EXPECT_TRUE(pid.ok()) << pid.error().message;
        return pid.ok() ? *pid : -1;
    }

    // Terminates backend `pid` and waits (polling the server's own view) until it is gone.
    void terminate(PgDatabase& admin, std::int64_t pid) {
        auto killed = admin.with_connection(
            [&](PgConnection& c) { return c.execute("SELECT pg_terminate_backend($1)", "terminate", pid); });
        ASSERT_TRUE(killed.ok()) << killed.error().message;
        for (bool alive = true; alive;) {
            auto found = admin.with_connection([&](PgConnection& c) -> core::Result<bool> {
                auto statement = c.prepare("SELECT 1 FROM pg_stat_activity WHERE pid = $1", "find backend");
                if (!statement) return std::move(statement).error();
                statement->bind_all(pid);
                return statement->step();
            });
            ASSERT_TRUE(found.ok()) << found.error().message;
            alive = *found;
        }
    }

    std::string url_;
};

TEST_F(PgDatabaseTest, AConnectionTheServerDroppedIsReplacedBeforeItIsLent) {
    auto db = open(1);
    auto admin = open(1);
    ASSERT_TRUE(db && admin);
    const auto first = backend_pid(*db);
    terminate(*admin, first);
    // The next borrower gets a working connection (a new backend), not the dead one's error.
    const auto second = backend_pid(*db);
    EXPECT_NE(second, -1);
    EXPECT_NE(second, first);
}

TEST_F(PgDatabaseTest, ATransactionOnAConnectionTheServerDroppedReconnectsAtBegin) {
    auto db = open(1);
    auto admin = open(1);
    ASSERT_TRUE(db && admin);
    const auto first = backend_pid(*db);
    auto killed = admin->with_connection(
        [&](PgConnection& c) { return c.execute("SELECT pg_terminate_backend($1)", "terminate", first); });
    ASSERT_TRUE(killed.ok()) << killed.error().message;
    // Possibly lent before the connection's end reached us: BEGIN finds out, reconnects and goes on.
    auto done = db->with_connection([](PgConnection& c) {
        return c.transaction("select", [](PgConnection& t) { return t.execute("SELECT 1", "select"); });
    });
    EXPECT_TRUE(done.ok()) << done.error().message;
}

TEST_F(PgDatabaseTest, AnExhaustedPoolAnswersUnavailableAfterTheTimeout) {
    auto db = open(1);
    ASSERT_TRUE(db);
    auto held = db->acquire(std::chrono::milliseconds(200));
    ASSERT_TRUE(held.ok());
    auto waited = db->acquire(std::chrono::milliseconds(50));
    ASSERT_FALSE(waited.ok());
    EXPECT_EQ(waited.error().code, core::ErrorCode::kUnavailable);
}

TEST_F(PgDatabaseTest, AFailedBodyIsRolledBackAndASerializationFailureIsRetried) {
    auto db = open(1);
    ASSERT_TRUE(db);
    auto outcome = db->with_connection([](PgConnection& c) -> core::Result<int> {
        if (auto made = c.exec_script("CREATE TEMP TABLE t (n INTEGER)", "create"); !made)
            return std::move(made).error();
        // An error: nothing of the body stays.
        auto failed = c.transaction("insert", [](PgConnection& t) -> core::Status {
            if (auto inserted = t.execute("INSERT INTO t VALUES (1)", "insert"); !inserted) return inserted;
            return core::Error::internal("the body gives up");
        });
        if (failed) return core::Error::internal("the body's error was lost");
        // A serialization failure on the first attempt: the whole body runs again and commits once.
        int attempts = 0;
        auto retried = c.transaction("insert", [&](PgConnection& t) -> core::Status {
            ++attempts;
            if (auto inserted = t.execute("INSERT INTO t VALUES (2)", "insert"); !inserted) return inserted;
            if (attempts == 1) {
                return t.exec_script("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$",
                                     "provoke");
            }
            return {};
        });
        if (!retried) return std::move(retried).error();
        auto count = c.prepare("SELECT COUNT(*), MIN(n) FROM t", "count");
        if (!count) return std::move(count).error();
        auto row = count->step();
        if (!row) return std::move(row).error();
        if (count->int64(0) != 1 || count->int64(1) != 2) return core::Error::internal("wrong rows");
        return attempts;
    });
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    EXPECT_EQ(*outcome, 2);
}

}  // namespace
}  // namespace crossvoice::storage
