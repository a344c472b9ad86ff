#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace crossvoice::storage {

// Turns a sqlite3 result code into a core::Error whose message names the operation ("insert session").
// BUSY, LOCKED, CANTOPEN, IOERR, FULL and PROTOCOL mean the database cannot serve right now (kUnavailable); a
// UNIQUE or PRIMARY KEY violation is kConflict; anything else is kInternal. `sqlite_message` should come from
// sqlite3_errmsg: it names tables, columns and constraints but never bound values, so no row data (which may
// hold PII) ends up in the message.
core::Error sqlite_error(int code, std::string_view operation, std::string_view sqlite_message = {});

class Connection;

// One prepared statement, borrowed from its connection's cache and handed back (reset, bindings cleared) when it
// goes out of scope. It must not outlive the lease of its connection.
class Statement {
  public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are numbered from 1. A failed bind is remembered and reported by the next step(), so that a run
    // of binds needs no error handling of its own.
    Statement& bind_text(int index, std::string_view value);
    Statement& bind_int64(int index, std::int64_t value);
    Statement& bind_null(int index);

    // Any integer (bool included, stored as 0/1), anything that converts to std::string_view, nullptr, or a
    // std::optional of those (nullopt binds NULL).
    template <typename T>
    Statement& bind(int index, const T& value);

    // Binds the arguments to parameters 1, 2, 3, ...
    template <typename... Args>
    Statement& bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // True when a row is ready to read, false when the statement has finished.
    core::Result<bool> step();
    // Steps to completion, ignoring any rows.
    core::Status run();

    // Columns in the result (0 for statements that return no rows).
    int column_count() const;
    // Column getters for the current row, numbered from 0.
    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    std::string text(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;
    std::optional<std::string> optional_text(int column) const;

  private:
    friend class Connection;
    Statement(Connection& owner, sqlite3_stmt* stmt, std::string sql, std::string operation);

    Connection* owner_;
    sqlite3_stmt* stmt_;
    std::string sql_;  // the cache key under which the statement goes back to its connection
    std::string operation_;
    int bind_error_ = 0;
};

// One sqlite3 connection. Only ever used by the thread holding its lease, so it needs no locking of its own.
class Connection {
  public:
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Prepares one SQL statement (or takes it from this connection's cache). `operation` names it in errors.
    core::Result<Statement> prepare(std::string_view sql, std::string_view operation);

    // Prepare, bind_all, run: for statements that return no rows.
    template <typename... Args>
    core::Status execute(std::string_view sql, std::string_view operation, const Args&... args);

    // Runs one or more statements without parameters (schema changes, transaction control).
    core::Status exec_script(std::string_view sql, std::string_view operation);

    // Runs `body(Connection&)` inside BEGIN IMMEDIATE ... COMMIT. The body returns a core::Result<T> or
    // core::Status; when it returns an error (or throws, or COMMIT fails) everything is rolled back and the error is
    // returned. IMMEDIATE takes the write lock up front, so a read-then-write body cannot fail half way with a
    // snapshot conflict; other writers wait through the busy timeout. Not nestable: a body must not call
    // transaction() again (sqlite refuses a BEGIN inside a transaction).
    template <typename Body>
    auto transaction(std::string_view operation, Body&& body) -> std::invoke_result_t<Body&, Connection&>;

    // Row id of the last successful INSERT on this connection.
    std::int64_t last_insert_rowid() const;
    // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    int changes() const;

    // The Error for a failed call on this connection, with sqlite's own message.
    core::Error error(int code, std::string_view operation) const;

  private:
    friend class SqliteDatabase;
    friend class Statement;
    explicit Connection(sqlite3* db) : db_(db) {}
    void recycle(sqlite3_stmt* stmt, std::string sql);
    void rollback_quietly();
    bool in_transaction() const;

    // Enough for every statement the stores issue, including each filter combination of a session listing.
    static constexpr std::size_t kMaxCachedStatements = 64;

    sqlite3* db_;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
    // The database's in-process writer lock (see transaction()); null only for a connection outside a pool.
    std::mutex* writer_ = nullptr;
};

// A SQLite database file opened as a fixed pool of connections in WAL mode, shared by every worker thread.
// Readers never block each other or the writer; writers take turns, each waiting up to the busy timeout.
class SqliteDatabase {
  public:
    static constexpr int kDefaultPoolSize = 4;
    static constexpr std::chrono::milliseconds kDefaultBusyTimeout{5000};

    // Opens (creating if missing) the database file at `path` with `pool_size` connections, each set to
    // journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON and the given busy timeout. The parent directory must
    // exist. ":memory:" is not supported: every connection would see its own empty database.
    static core::Result<std::unique_ptr<SqliteDatabase>> open(
        const std::string& path, int pool_size = kDefaultPoolSize,
        std::chrono::milliseconds busy_timeout = kDefaultBusyTimeout);

    // Every lease must have been returned.
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    // Exclusive use of one connection until the lease is destroyed. Do not hold two leases in one thread: with
    // every connection leased, the second acquire would wait forever.
    class Lease {
      public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();

        Connection& operator*() const { return *connection_; }
        Connection* operator->() const { return connection_.get(); }

      private:
        friend class SqliteDatabase;
        Lease(SqliteDatabase& owner, std::unique_ptr<Connection> connection);
        SqliteDatabase* owner_;
        std::unique_ptr<Connection> connection_;
    };

    // Blocks until a connection is free.
    Lease acquire();
    // Waits at most `timeout` for a free connection.
    std::optional<Lease> try_acquire_for(std::chrono::milliseconds timeout);

    // Acquires a connection, runs `body(Connection&)` and returns what it returns (a core::Result<T> or
    // core::Status). Any exception becomes a kInternal error, so none escapes the adapter.
    template <typename Body>
    auto with_connection(Body&& body) -> std::invoke_result_t<Body&, Connection&>;

    const std::string& path() const { return path_; }
    int pool_size() const { return pool_size_; }

  private:
    SqliteDatabase(std::string path, std::vector<std::unique_ptr<Connection>> connections);
    void release(std::unique_ptr<Connection> connection);

    const std::string path_;
    const int pool_size_;
    std::mutex writer_mutex_;  // taken by Connection::transaction
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

namespace detail {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

core::Error unexpected_exception(std::string_view operation);

}  // namespace detail

template <typename T>
Statement& Statement::bind(int index, const T& value) {
    if constexpr (std::is_same_v<T, std::nullptr_t>) {
        return bind_null(index);
    } else if constexpr (detail::IsOptional<T>::value) {
        return value ? bind(index, *value) : bind_null(index);
    } else if constexpr (std::is_integral_v<T>) {
        return bind_int64(index, static_cast<std::int64_t>(value));
    } else {
        return bind_text(index, std::string_view(value));
    }
}

template <typename... Args>
core::Status Connection::execute(std::string_view sql, std::string_view operation, const Args&... args) {
    auto statement = prepare(sql, operation);
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    return statement->run();
}

template <typename Body>
auto Connection::transaction(std::string_view operation, Body&& body) -> std::invoke_result_t<Body&, Connection&> {
    using Outcome = std::invoke_result_t<Body&, Connection&>;
    // Writers of this process queue on a mutex instead of SQLite's busy handler, which polls with sleeps of
    // 1 to 100 ms: under concurrent webhooks that polling, not the work, set the tail latency. The busy timeout
    // still covers writers in other processes (the CLI).
    std::unique_lock<std::mutex> writer;
    if (writer_ != nullptr) writer = std::unique_lock<std::mutex>(*writer_);
    if (auto begun = exec_script("BEGIN IMMEDIATE", operation); !begun) return std::move(begun).error();
    std::optional<Outcome> outcome;
    try {
        outcome.emplace(body(*this));
    } catch (...) {
        outcome.emplace(detail::unexpected_exception(operation));
    }
    if (!*outcome) {
        rollback_quietly();
        return std::move(*outcome);
    }
    if (auto committed = exec_script("COMMIT", operation); !committed) {
        rollback_quietly();
        return std::move(committed).error();
    }
    return std::move(*outcome);
}

template <typename Body>
auto SqliteDatabase::with_connection(Body&& body) -> std::invoke_result_t<Body&, Connection&> {
    try {
        auto lease = acquire();
        return body(*lease);
    } catch (...) {
        return detail::unexpected_exception("database access");
    }
}

}  // namespace crossvoice::storage
