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

struct pg_conn;
struct pg_result;

namespace crossvoice::storage {

// Turns a failed statement into a core::Error whose message names the operation ("insert session"). `sqlstate` is
// PostgreSQL's five-character code ("" when the server never answered):
//   23505 unique violation                                          -> kConflict
//   08xxx connection, 57P01..57P03 shutdown/cannot connect, 53xxx resources, 40001/40P01 (serialization failure,
//   deadlock, after the transaction's retries), 55P03 lock timeout, 57014 statement timeout, no answer at all
//                                                                   -> kUnavailable
//   anything else                                                   -> kInternal
// `server_message` should be the primary message only: the DETAIL of a constraint violation quotes the row's
// values, which may be personal data, so it is never used. Class 22 (data exceptions, e.g. "invalid input syntax
// for type bigint: …") quotes the value too, so for it only the code is reported.
core::Error pg_error(std::string_view sqlstate, std::string_view operation, std::string_view server_message = {});

// True for the codes on which a whole transaction is worth running again (40001, 40P01).
bool pg_retryable(std::string_view sqlstate);

class PgConnection;

// One statement with its parameters, executed on the first step() (or run()) as a prepared statement of its
// connection; the whole result is then held here, so a statement may stay open while others run on the same
// connection. Parameters go as text ($1, $2, …; the server casts them to the columns' types); results are read
// as text. It must not outlive the lease of its connection.
class PgStatement {
  public:
    PgStatement(PgStatement&& other) noexcept;
    PgStatement& operator=(PgStatement&&) = delete;
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;
    ~PgStatement();

    // Parameters are numbered from 1, as $1 in the SQL.
    PgStatement& bind_text(int index, std::string_view value);
    PgStatement& bind_int64(int index, std::int64_t value);
    PgStatement& bind_null(int index);

    // Any integer (bool included, sent as 0/1), anything that converts to std::string_view, nullptr, or a
    // std::optional of those (nullopt binds NULL).
    template <typename T>
    PgStatement& bind(int index, const T& value);

    // Binds the arguments to parameters 1, 2, 3, ...
    template <typename... Args>
    PgStatement& bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // True when a row is ready to read, false when there are no more.
    core::Result<bool> step();
    // Executes (if not yet) and ignores any rows.
    core::Status run();

    // Rows changed by an INSERT, UPDATE or DELETE (0 before it ran).
    int changes() const;

    // Column getters for the current row, numbered from 0.
    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    std::string text(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;
    std::optional<std::string> optional_text(int column) const;

  private:
    friend class PgConnection;
    PgStatement(PgConnection& owner, std::string sql, std::string operation);
    core::Status execute();

    PgConnection* owner_;
    std::string sql_;
    std::string operation_;
    std::vector<std::optional<std::string>> parameters_;
    pg_result* result_ = nullptr;
    int rows_ = 0;
    int row_ = -1;
};

// One libpq connection. Only ever used by the thread holding its lease, so it needs no locking of its own.
class PgConnection {
  public:
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // A statement to bind and step. `operation` names it in errors. Nothing reaches the server until step().
    core::Result<PgStatement> prepare(std::string_view sql, std::string_view operation);

    // Prepare, bind_all, run: for statements whose rows (if any) are not needed.
    template <typename... Args>
    core::Status execute(std::string_view sql, std::string_view operation, const Args&... args);

    // Runs one or more statements without parameters (schema changes, transaction control) in one round trip.
    core::Status exec_script(std::string_view sql, std::string_view operation);

    // Runs `body(PgConnection&)` inside BEGIN … COMMIT (READ COMMITTED). The body returns a core::Result<T> or
    // core::Status; when it returns an error (or throws, or COMMIT fails) everything is rolled back and the error
    // is returned. When the failure was a serialization failure (40001) or a deadlock (40P01) the whole body runs
    // again in a new transaction, up to kTransactionAttempts times: the body must therefore have no effects outside
    // the database. Unlike SQLite's BEGIN IMMEDIATE nothing is locked up front: a body that reads and then writes
    // a row others may change locks it itself (SELECT … FOR UPDATE, or an advisory transaction lock).
    // Not nestable.
    template <typename Body>
    auto transaction(std::string_view operation, Body&& body) -> std::invoke_result_t<Body&, PgConnection&>;

    // Rows changed by the last INSERT, UPDATE or DELETE run on this connection.
    int changes() const { return changes_; }

    // The SQLSTATE of the last failed statement on this connection ("" when it succeeded).
    const std::string& last_sqlstate() const { return last_sqlstate_; }

    static constexpr int kTransactionAttempts = 4;

  private:
    friend class PgDatabase;
    friend class PgStatement;
    explicit PgConnection(pg_conn* conn) : conn_(conn) {}

    // Executes one statement (prepared once per connection, cached by its text); takes ownership of nothing.
    core::Result<pg_result*> run_prepared(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                                          const std::string& operation);
    core::Error failure(pg_result* result, std::string_view operation);
    void rollback_quietly();
    bool in_transaction() const;
    // BEGIN; on a connection found dead right there (nothing has run yet, so nothing is lost) it reconnects and
    // tries once more.
    core::Status begin(std::string_view operation);
    // Usable for the next borrower: connected, idle, nothing unread. Cheap (no round trip).
    bool healthy();
    // Reconnects (PQreset); the server forgets prepared statements with the old session, so the cache goes too.
    core::Status reconnect();
    // libpq's notice receiver: logs the notice; a FATAL one (a backend telling an idle client why it is about to
    // close the connection) marks the connection as doomed.
    static void on_notice(void* connection, const pg_result* notice);

    // Past this many distinct statements a connection executes new ones unnamed rather than growing its cache.
    static constexpr std::size_t kMaxPreparedStatements = 256;

    pg_conn* conn_;
    std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
    int changes_ = 0;
    std::string last_sqlstate_;
    bool doomed_ = false;  // the server said FATAL while we were idle: reconnect before the next use
};

// A PostgreSQL database as a bounded pool of connections, shared by every worker thread.
class PgDatabase {
  public:
    static constexpr int kDefaultPoolSize = 4;
    static constexpr std::chrono::milliseconds kDefaultAcquireTimeout{10000};

    // Connects `pool_size` times to `url` (postgres://user:password@host:port/db?params, or any libpq conninfo).
    // application_name=crossvoice, connect_timeout=5 and client_encoding=UTF8 apply unless the URL says otherwise.
    // Fails (kUnavailable) when the server cannot be reached; the message never includes the password.
    static core::Result<std::unique_ptr<PgDatabase>> open(
        const std::string& url, int pool_size = kDefaultPoolSize,
        std::chrono::milliseconds acquire_timeout = kDefaultAcquireTimeout);

    // Every lease must have been returned.
    ~PgDatabase();
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;

    // Exclusive use of one connection until the lease is destroyed. Do not hold two leases in one thread.
    class Lease {
      public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();

        PgConnection& operator*() const { return *connection_; }
        PgConnection* operator->() const { return connection_.get(); }

      private:
        friend class PgDatabase;
        Lease(PgDatabase& owner, std::unique_ptr<PgConnection> connection);
        PgDatabase* owner_;
        std::unique_ptr<PgConnection> connection_;
    };

    // Waits at most `timeout` for a free connection; a connection found dead (the server restarted, a network
    // cut) is reconnected first. kUnavailable when none became free or the reconnect failed.
    core::Result<Lease> acquire(std::chrono::milliseconds timeout);

    // Acquires a connection (waiting up to the pool's acquire timeout), runs `body(PgConnection&)` and returns
    // what it returns (a core::Result<T> or core::Status). Any exception becomes a kInternal error. A connection
    // the server dropped so recently that lending it did not notice fails its first statement with kUnavailable
    // (a transaction's BEGIN reconnects instead) and is replaced when it is next lent.
    template <typename Body>
    auto with_connection(Body&& body) -> std::invoke_result_t<Body&, PgConnection&>;

    int pool_size() const { return pool_size_; }
    // The URL without its password, for messages.
    const std::string& display_url() const { return display_url_; }

  private:
    PgDatabase(std::string display_url, std::chrono::milliseconds acquire_timeout,
               std::vector<std::unique_ptr<PgConnection>> connections);
    void release(std::unique_ptr<PgConnection> connection);

    const std::string display_url_;
    const std::chrono::milliseconds acquire_timeout_;
    const int pool_size_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
};

// `url` with the password (if any) replaced by "***".
std::string redact_postgres_url(std::string_view url);
// `url` pointing at database `name` instead (the path replaced; user, host, port and parameters kept).
std::string postgres_url_with_database(std::string_view url, std::string_view name);

namespace pg_detail {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

core::Error unexpected_exception(std::string_view operation);

}  // namespace pg_detail

template <typename T>
PgStatement& PgStatement::bind(int index, const T& value) {
    if constexpr (std::is_same_v<T, std::nullptr_t>) {
        return bind_null(index);
    } else if constexpr (pg_detail::IsOptional<T>::value) {
        return value ? bind(index, *value) : bind_null(index);
    } else if constexpr (std::is_integral_v<T>) {
        return bind_int64(index, static_cast<std::int64_t>(value));
    } else {
        return bind_text(index, std::string_view(value));
    }
}

template <typename... Args>
core::Status PgConnection::execute(std::string_view sql, std::string_view operation, const Args&... args) {
    auto statement = prepare(sql, operation);
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    return statement->run();
}

template <typename Body>
auto PgConnection::transaction(std::string_view operation, Body&& body) -> std::invoke_result_t<Body&, PgConnection&> {
    using Outcome = std::invoke_result_t<Body&, PgConnection&>;
    for (int attempt = 1;; ++attempt) {
        if (auto begun = begin(operation); !begun) return std::move(begun).error();
        std::optional<Outcome> outcome;
        try {
            outcome.emplace(body(*this));
        } catch (...) {
            outcome.emplace(pg_detail::unexpected_exception(operation));
        }
        if (*outcome) {
            auto committed = exec_script("COMMIT", operation);
            if (committed) return std::move(*outcome);
            outcome.emplace(std::move(committed).error());
        }
        // The SQLSTATE of the statement that failed (the body's or COMMIT's), read before ROLLBACK clears it.
        const bool retry = pg_retryable(last_sqlstate_) && attempt < kTransactionAttempts;
        rollback_quietly();
        if (!retry) return std::move(*outcome);
    }
}

template <typename Body>
auto PgDatabase::with_connection(Body&& body) -> std::invoke_result_t<Body&, PgConnection&> {
    try {
        auto lease = acquire(acquire_timeout_);
        if (!lease) return std::move(lease).error();
        return body(**lease);
    } catch (...) {
        return pg_detail::unexpected_exception("database access");
    }
}

}  // namespace crossvoice::storage
