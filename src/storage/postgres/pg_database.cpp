#include "storage/postgres/pg_database.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <cassert>
#include <charconv>
#include <limits>

#include "storage/logger.hpp"

namespace crossvoice::storage {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string sqlstate_of(const PGresult* result) {
    if (result == nullptr) return {};
    const char* code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    return code == nullptr ? std::string() : std::string(code);
}

std::string primary_message(const PGresult* result, PGconn* conn) {
    if (result != nullptr) {
        if (const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) return primary;
    }
    // No result, or a client-side failure: libpq's own text (connection trouble; it holds no row data).
    std::string text = conn != nullptr ? PQerrorMessage(conn) : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

core::Error pg_error(std::string_view sqlstate, std::string_view operation, std::string_view server_message) {
    core::ErrorCode kind = core::ErrorCode::kInternal;
    if (sqlstate == "23505") {
        kind = core::ErrorCode::kConflict;
    } else if (sqlstate.empty() || starts_with(sqlstate, "08") || starts_with(sqlstate, "53") || sqlstate == "57P01" ||
               sqlstate == "57P02" || sqlstate == "57P03" || sqlstate == "57014" || sqlstate == "55P03" ||
               pg_retryable(sqlstate)) {
        kind = core::ErrorCode::kUnavailable;
    }
    std::string reason;
    if (starts_with(sqlstate, "22")) {
        reason = fmt::format("data exception (SQLSTATE {})", sqlstate);  // the server's text quotes the value
    } else if (server_message.empty()) {
        reason = sqlstate.empty() ? std::string("no answer from the server") : fmt::format("SQLSTATE {}", sqlstate);
    } else {
        reason = std::string(server_message);
    }
    core::Error error{kind, fmt::format("database: {} failed: {}", operation, reason), {}};
    if (!sqlstate.empty()) return std::move(error).with("sqlstate", std::string(sqlstate));
    return error;
}

bool pg_retryable(std::string_view sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

namespace pg_detail {

core::Error unexpected_exception(std::string_view operation) {
    // The exception's text is left out on purpose: it could quote data being processed.
    return core::Error::internal(fmt::format("database: {} failed: unexpected exception", operation));
}

}  // namespace pg_detail

// ---- PgStatement

PgStatement::PgStatement(PgConnection& owner, std::string sql, std::string operation)
    : owner_(&owner), sql_(std::move(sql)), operation_(std::move(operation)) {}

PgStatement::PgStatement(PgStatement&& other) noexcept
    : owner_(other.owner_),
      sql_(std::move(other.sql_)),
      operation_(std::move(other.operation_)),
      parameters_(std::move(other.parameters_)),
      result_(std::exchange(other.result_, nullptr)),
      rows_(other.rows_),
      row_(other.row_) {}

PgStatement::~PgStatement() {
    if (result_ != nullptr) PQclear(result_);
}

PgStatement& PgStatement::bind_text(int index, std::string_view value) {
    if (index < 1) return *this;
    if (parameters_.size() < static_cast<std::size_t>(index)) parameters_.resize(static_cast<std::size_t>(index));
    parameters_[static_cast<std::size_t>(index - 1)] = std::string(value);
    return *this;
}

PgStatement& PgStatement::bind_int64(int index, std::int64_t value) { return bind_text(index, std::to_string(value)); }

PgStatement& PgStatement::bind_null(int index) {
    if (index < 1) return *this;
    if (parameters_.size() < static_cast<std::size_t>(index)) parameters_.resize(static_cast<std::size_t>(index));
    parameters_[static_cast<std::size_t>(index - 1)].reset();
    return *this;
}

core::Status PgStatement::execute() {
    auto result = owner_->run_prepared(sql_, parameters_, operation_);
    if (!result) return std::move(result).error();
    result_ = *result;
    rows_ = PQresultStatus(result_) == PGRES_TUPLES_OK ? PQntuples(result_) : 0;
    row_ = -1;
    return {};
}

core::Result<bool> PgStatement::step() {
    if (result_ == nullptr) {
        if (auto executed = execute(); !executed) return std::move(executed).error();
    }
    if (row_ < rows_) ++row_;
    return row_ < rows_;
}

core::Status PgStatement::run() {
    if (result_ != nullptr) return {};
    return execute();
}

int PgStatement::changes() const {
    if (result_ == nullptr) return 0;
    const char* count = PQcmdTuples(result_);
    int value = 0;
    if (count != nullptr) std::from_chars(count, count + std::char_traits<char>::length(count), value);
    return value;
}

bool PgStatement::is_null(int column) const { return PQgetisnull(result_, row_, column) != 0; }

std::int64_t PgStatement::int64(int column) const {
    const char* text = PQgetvalue(result_, row_, column);
    const int length = PQgetlength(result_, row_, column);
    std::int64_t value = 0;
    std::from_chars(text, text + length, value);
    return value;
}

std::string PgStatement::text(int column) const {
    return std::string(PQgetvalue(result_, row_, column), static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

std::optional<std::int64_t> PgStatement::optional_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

std::optional<std::string> PgStatement::optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

// ---- PgConnection

PgConnection::~PgConnection() { PQfinish(conn_); }

core::Result<PgStatement> PgConnection::prepare(std::string_view sql, std::string_view operation) {
    return PgStatement(*this, std::string(sql), std::string(operation));
}

core::Error PgConnection::failure(PGresult* result, std::string_view operation) {
    last_sqlstate_ = sqlstate_of(result);
    core::Error error = pg_error(last_sqlstate_, operation, primary_message(result, conn_));
    if (result != nullptr) PQclear(result);
    return error;
}

core::Result<PGresult*> PgConnection::run_prepared(const std::string& sql,
                                                   const std::vector<std::optional<std::string>>& params,
                                                   const std::string& operation) {
    if (params.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return core::Error::internal(fmt::format("database: {} failed: too many parameters", operation));
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
    const int count = static_cast<int>(params.size());

    PGresult* result = nullptr;
    auto known = prepared_.find(sql);
    if (known == prepared_.end() && prepared_.size() < kMaxPreparedStatements) {
        std::string name = fmt::format("cv{}", prepared_.size() + 1);
        PGresult* prepared = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
        if (prepared == nullptr || PQresultStatus(prepared) != PGRES_COMMAND_OK) return failure(prepared, operation);
        PQclear(prepared);
        known = prepared_.emplace(sql, std::move(name)).first;
    }
    if (known != prepared_.end()) {
        result = PQexecPrepared(conn_, known->second.c_str(), count, values.data(), nullptr, nullptr, 0);
    } else {
        result = PQexecParams(conn_, sql.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0);
    }
    const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return failure(result, operation);
    last_sqlstate_.clear();
    const char* count_text = PQcmdTuples(result);
    changes_ = 0;
    if (count_text != nullptr && *count_text != '\0') {
        std::from_chars(count_text, count_text + std::char_traits<char>::length(count_text), changes_);
    }
    return result;
}

core::Status PgConnection::exec_script(std::string_view sql, std::string_view operation) {
    const std::string terminated(sql);
    PGresult* result = PQexec(conn_, terminated.c_str());
    const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return failure(result, operation);
    PQclear(result);
    last_sqlstate_.clear();
    return {};
}

bool PgConnection::in_transaction() const {
    const PGTransactionStatusType status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

void PgConnection::rollback_quietly() {
    if (!in_transaction()) return;
    PGresult* result = PQexec(conn_, "ROLLBACK");
    if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) {
        logger()->error("database: rollback failed: {}", primary_message(result, conn_));
    }
    if (result != nullptr) PQclear(result);
}

core::Status PgConnection::begin(std::string_view operation) {
    auto begun = exec_script("BEGIN", operation);
    if (begun || PQstatus(conn_) == CONNECTION_OK) return begun;
    if (auto reconnected = reconnect(); !reconnected) return begun;
    return exec_script("BEGIN", operation);
}

bool PgConnection::healthy() {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    // Reads whatever the server sent while the connection sat idle (never blocking): a terminated backend first
    // sends its FATAL message, then closes; the second read finds the end of the socket, which turns the status
    // bad here rather than on a borrower's first statement.
    if (PQconsumeInput(conn_) == 0 || PQconsumeInput(conn_) == 0) return false;
    // PQisBusy parses what arrived; an error on an idle connection goes to on_notice, which sees FATAL. (The
    // socket's end can come a moment after the message, so the message is what tells us.)
    const bool busy = PQisBusy(conn_) != 0;
    if (PGnotify* notify = PQnotifies(conn_)) PQfreemem(notify);
    return !busy && !doomed_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

void PgConnection::on_notice(void* connection, const PGresult* notice) {
    const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char* text = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
    if (severity != nullptr && (std::string_view(severity) == "FATAL" || std::string_view(severity) == "PANIC")) {
        static_cast<PgConnection*>(connection)->doomed_ = true;
    }
    logger()->debug("database: server notice: {} {}", severity != nullptr ? severity : "", text != nullptr ? text : "");
}

core::Status PgConnection::reconnect() {
    prepared_.clear();
    doomed_ = false;
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
        return pg_error("", "reconnect", primary_message(nullptr, conn_));
    }
    logger()->warn("database: a pooled connection was lost and has been re-established");
    return {};
}

// ---- PgDatabase

namespace {

// The password part of a URL's user info, as [begin, end) offsets; npos when there is none.
std::pair<std::size_t, std::size_t> password_span(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return {std::string_view::npos, std::string_view::npos};
    const auto authority = scheme + 3;
    const auto end = url.find_first_of("/?", authority);
    const auto at = url.substr(0, end).rfind('@');
    if (at == std::string_view::npos || at < authority) return {std::string_view::npos, std::string_view::npos};
    const auto colon = url.substr(0, at).find(':', authority);
    if (colon == std::string_view::npos) return {std::string_view::npos, std::string_view::npos};
    return {colon + 1, at};
}

}  // namespace

std::string redact_postgres_url(std::string_view url) {
    const auto [begin, end] = password_span(url);
    std::string out(url);
    if (begin != std::string_view::npos) out.replace(begin, end - begin, "***");
    // key=value conninfo: password=... up to the next space.
    if (url.find("://") == std::string_view::npos) {
        const auto key = out.find("password=");
        if (key != std::string::npos) {
            const auto value_end = out.find(' ', key);
            out.replace(key + 9, (value_end == std::string::npos ? out.size() : value_end) - key - 9, "***");
        }
    }
    return out;
}

std::string postgres_url_with_database(std::string_view url, std::string_view name) {
    const auto scheme = url.find("://");
    const auto authority = scheme == std::string_view::npos ? 0 : scheme + 3;
    const auto path = url.find_first_of("/?", authority);
    std::string out(url.substr(0, path == std::string_view::npos ? url.size() : path));
    out += '/';
    out += name;
    if (path != std::string_view::npos) {
        const auto query = url.find('?', path);
        if (query != std::string_view::npos) out += url.substr(query);
    }
    return out;
}

core::Result<std::unique_ptr<PgDatabase>> PgDatabase::open(const std::string& url, int pool_size,
                                                           std::chrono::milliseconds acquire_timeout) {
    if (pool_size < 1) return core::Error::internal("database: open failed: pool size must be at least 1");
    const std::string display = redact_postgres_url(url);
    std::vector<std::unique_ptr<PgConnection>> connections;
    connections.reserve(static_cast<std::size_t>(pool_size));
    for (int i = 0; i < pool_size; ++i) {
        // Defaults first: with expand_dbname the URL's own parameters override them.
        const char* keywords[] = {"application_name", "connect_timeout", "client_encoding", "dbname", nullptr};
        const char* values[] = {"crossvoice", "5", "UTF8", url.c_str(), nullptr};
        PGconn* conn = PQconnectdbParams(keywords, values, 1);
        if (conn == nullptr) return core::Error::unavailable("database: cannot allocate a PostgreSQL connection");
        auto connection = std::unique_ptr<PgConnection>(new PgConnection(conn));
        // Notices ("relation already exists, skipping") would otherwise go to stderr.
        PQsetNoticeReceiver(conn, &PgConnection::on_notice, connection.get());
        if (PQstatus(conn) != CONNECTION_OK) {
            // libpq's message names host and port (and what went wrong), never the password.
            return pg_error("", fmt::format("connect to {}", display), primary_message(nullptr, conn));
        }
        // Replies to our statements are read as text in the server's default formats; make the ones we rely on
        // explicit rather than inheriting a role's or database's settings.
        if (auto set = connection->exec_script("SET datestyle = ISO; SET extra_float_digits = 3", "set session");
            !set) {
            return std::move(set).error();
        }
        connections.push_back(std::move(connection));
    }
    logger()->info("database: connected to {} with {} connections", display, pool_size);
    return std::unique_ptr<PgDatabase>(new PgDatabase(display, acquire_timeout, std::move(connections)));
}

PgDatabase::PgDatabase(std::string display_url, std::chrono::milliseconds acquire_timeout,
                       std::vector<std::unique_ptr<PgConnection>> connections)
    : display_url_(std::move(display_url)),
      acquire_timeout_(acquire_timeout),
      pool_size_(static_cast<int>(connections.size())),
      idle_(std::move(connections)) {}

PgDatabase::~PgDatabase() {
    assert(static_cast<int>(idle_.size()) == pool_size_ && "a connection lease outlived its database");
}

core::Result<PgDatabase::Lease> PgDatabase::acquire(std::chrono::milliseconds timeout) {
    std::unique_ptr<PgConnection> connection;
    {
        std::unique_lock lock(mutex_);
        if (!available_.wait_for(lock, timeout, [this] { return !idle_.empty(); })) {
            return core::Error::unavailable(
                fmt::format("database: no connection became free within {} ms", timeout.count()));
        }
        connection = std::move(idle_.back());
        idle_.pop_back();
    }
    // From here the connection goes back to the pool with the lease, whatever happens.
    Lease lease(*this, std::move(connection));
    if (!lease->healthy()) {
        if (auto reconnected = lease->reconnect(); !reconnected) return std::move(reconnected).error();
    }
    return lease;
}

void PgDatabase::release(std::unique_ptr<PgConnection> connection) {
    // A transaction left open by a bug must not leak into the next borrower's work.
    connection->rollback_quietly();
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(connection));
    }
    available_.notify_one();
}

PgDatabase::Lease::Lease(PgDatabase& owner, std::unique_ptr<PgConnection> connection)
    : owner_(&owner), connection_(std::move(connection)) {}

PgDatabase::Lease::Lease(Lease&& other) noexcept : owner_(other.owner_), connection_(std::move(other.connection_)) {}

PgDatabase::Lease::~Lease() {
    if (connection_) owner_->release(std::move(connection_));
}

}  // namespace crossvoice::storage
