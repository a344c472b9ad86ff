#include "storage/sqlite/database.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <cassert>
#include <limits>

#include "storage/logger.hpp"

namespace crossvoice::storage {
namespace {

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n;") == std::string_view::npos; }

}  // namespace

core::Error sqlite_error(int code, std::string_view operation, std::string_view sqlite_message) {
    core::ErrorCode kind = core::ErrorCode::kInternal;
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_PROTOCOL: kind = core::ErrorCode::kUnavailable; break;
        case SQLITE_CONSTRAINT:
            if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
                kind = core::ErrorCode::kConflict;
            }
            break;
        default: break;
    }
    const std::string_view reason = sqlite_message.empty() ? std::string_view(sqlite3_errstr(code)) : sqlite_message;
    return core::Error{kind, fmt::format("database: {} failed: {}", operation, reason), {}};
}

namespace detail {

core::Error unexpected_exception(std::string_view operation) {
    // The exception's text is left out on purpose: it could quote data being processed.
    return core::Error::internal(fmt::format("database: {} failed: unexpected exception", operation));
}

}  // namespace detail

// ---- Statement

Statement::Statement(Connection& owner, sqlite3_stmt* stmt, std::string sql, std::string operation)
    : owner_(&owner), stmt_(stmt), sql_(std::move(sql)), operation_(std::move(operation)) {}

Statement::Statement(Statement&& other) noexcept
    : owner_(other.owner_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      sql_(std::move(other.sql_)),
      operation_(std::move(other.operation_)),
      bind_error_(other.bind_error_) {}

Statement::~Statement() {
    if (stmt_ != nullptr) owner_->recycle(stmt_, std::move(sql_));
}

Statement& Statement::bind_text(int index, std::string_view value) {
    // SQLITE_TRANSIENT: sqlite copies the text, so callers may bind temporaries.
    const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
    return *this;
}

core::Result<bool> Statement::step() {
    if (bind_error_ != SQLITE_OK) return sqlite_error(bind_error_, operation_);
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return owner_->error(rc, operation_);
}

core::Status Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) return std::move(row).error();
        if (!row.value()) return {};
    }
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
    const unsigned char* data = sqlite3_column_text(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);  // after column_text, as sqlite's docs ask
    if (data == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

std::optional<std::string> Statement::optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

// ---- Connection

Connection::~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
}

core::Result<Statement> Connection::prepare(std::string_view sql, std::string_view operation) {
    std::string key(sql);
    if (auto cached = cache_.find(key); cached != cache_.end()) {
        // Taken out of the cache while in use, so a nested use of the same SQL prepares its own copy.
        sqlite3_stmt* stmt = cached->second;
        cache_.erase(cached);
        return Statement(*this, stmt, std::move(key), std::string(operation));
    }
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return core::Error::internal(fmt::format("database: {} failed: statement too long", operation));
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return error(rc, operation);
    if (stmt == nullptr) {
        return core::Error::internal(fmt::format("database: {} failed: empty statement", operation));
    }
    const auto consumed = static_cast<std::size_t>(tail - sql.data());
    if (!is_blank(sql.substr(consumed))) {
        sqlite3_finalize(stmt);
        return core::Error::internal(
            fmt::format("database: {} failed: more than one statement given to prepare", operation));
    }
    return Statement(*this, stmt, std::move(key), std::string(operation));
}

core::Status Connection::exec_script(std::string_view sql, std::string_view operation) {
    const std::string terminated(sql);  // sqlite3_exec wants a NUL-terminated string
    const int rc = sqlite3_exec(db_, terminated.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return error(rc, operation);
    return {};
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Connection::changes() const { return sqlite3_changes(db_); }

core::Error Connection::error(int code, std::string_view operation) const {
    return sqlite_error(code, operation, sqlite3_errmsg(db_));
}

void Connection::recycle(sqlite3_stmt* stmt, std::string sql) {
    // Reset ends any read the statement still holds open; without it a reader would pin the WAL.
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (cache_.size() >= kMaxCachedStatements || !cache_.try_emplace(std::move(sql), stmt).second) {
        sqlite3_finalize(stmt);
    }
}

void Connection::rollback_quietly() {
    if (!in_transaction()) return;  // sqlite may already have rolled back on its own (e.g. after SQLITE_FULL)
    if (sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr) != SQLITE_OK) {
        logger()->error("database: rollback failed: {}", sqlite3_errmsg(db_));
    }
}

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

// ---- SqliteDatabase

core::Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path, int pool_size,
                                                                   std::chrono::milliseconds busy_timeout) {
    if (pool_size < 1) return core::Error::internal("database: open failed: pool size must be at least 1");
    if (sqlite3_threadsafe() == 0) {
        return core::Error::internal("database: open failed: the SQLite library was built without thread support");
    }
    std::vector<std::unique_ptr<Connection>> connections;
    connections.reserve(static_cast<std::size_t>(pool_size));
    for (int i = 0; i < pool_size; ++i) {
        sqlite3* db = nullptr;
        // NOMUTEX: a connection is only ever used by the thread holding its lease.
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
        if (rc != SQLITE_OK) {
            core::Error failure = sqlite_error(rc, fmt::format("open {}", path), db ? sqlite3_errmsg(db) : "");
            sqlite3_close_v2(db);
            return failure;
        }
        auto connection = std::unique_ptr<Connection>(new Connection(db));
        sqlite3_extended_result_codes(db, 1);
        sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));

        // The first statement that touches the file: a path that is a directory, unreadable, or not a database
        // fails here rather than on the first request.
        auto mode = connection->prepare("PRAGMA journal_mode=WAL", "set journal_mode");
        if (!mode) return std::move(mode).error();
        auto row = mode->step();
        if (!row) return std::move(row).error();
        const std::string journal_mode = row.value() ? mode->text(0) : std::string();
        if (i == 0 && journal_mode != "wal") {
            // Some filesystems (network mounts) cannot do WAL; sqlite keeps working in its rollback journal.
            logger()->warn("database: {} is in journal mode '{}', not WAL; readers will block the writer", path,
                           journal_mode);
        }
        if (auto set =
                connection->exec_script("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", "set connection pragmas");
            !set) {
            return std::move(set).error();
        }
        connections.push_back(std::move(connection));
    }
    logger()->info("database: opened {} with {} connections", path, pool_size);
    return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(path, std::move(connections)));
}

SqliteDatabase::SqliteDatabase(std::string path, std::vector<std::unique_ptr<Connection>> connections)
    : path_(std::move(path)), pool_size_(static_cast<int>(connections.size())), idle_(std::move(connections)) {
    for (auto& connection : idle_) connection->writer_ = &writer_mutex_;
}

SqliteDatabase::~SqliteDatabase() {
    assert(static_cast<int>(idle_.size()) == pool_size_ && "a connection lease outlived its database");
}

SqliteDatabase::Lease SqliteDatabase::acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !idle_.empty(); });
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
}

std::optional<SqliteDatabase::Lease> SqliteDatabase::try_acquire_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, timeout, [this] { return !idle_.empty(); })) return std::nullopt;
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
}

void SqliteDatabase::release(std::unique_ptr<Connection> connection) {
    // A transaction left open by a bug must not leak into the next borrower's work.
    connection->rollback_quietly();
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(connection));
    }
    available_.notify_one();
}

SqliteDatabase::Lease::Lease(SqliteDatabase& owner, std::unique_ptr<Connection> connection)
    : owner_(&owner), connection_(std::move(connection)) {}

SqliteDatabase::Lease::Lease(Lease&& other) noexcept
    : owner_(other.owner_), connection_(std::move(other.connection_)) {}

SqliteDatabase::Lease::~Lease() {
    if (connection_) owner_->release(std::move(connection_));
}

}  // namespace crossvoice::storage
