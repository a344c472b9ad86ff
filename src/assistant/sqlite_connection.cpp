#include "assistant/sqlite_connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <utility>

namespace crossvoice::assistant::sqlite {
namespace {

core::Error unavailable(std::string_view operation, std::string_view reason) {
    return core::Error{
        core::ErrorCode::kUnavailable, fmt::format("knowledge index: {} failed: {}", operation, reason), {}};
}

// SQLITE_TRANSIENT is a macro that casts -1 to a function pointer, which -Wold-style-cast refuses.
sqlite3_destructor_type transient() { return reinterpret_cast<sqlite3_destructor_type>(-1); }  // NOLINT

}  // namespace

void ConnectionCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

void StatementFinalizer::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

// ---- Statement

Statement::Statement(sqlite3* db, sqlite3_stmt* statement, std::string operation)
    : db_(db), statement_(statement), operation_(std::move(operation)) {}

Statement& Statement::bind_text(int index, std::string_view value) {
    const int rc = sqlite3_bind_text64(statement_.get(), index, value.data(), value.size(), transient(), SQLITE_UTF8);
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind_int64(int index, long long value) {
    const int rc = sqlite3_bind_int64(statement_.get(), index, value);
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
    return *this;
}

core::Result<bool> Statement::step() {
    if (bind_error_ != SQLITE_OK) return unavailable(operation_, sqlite3_errstr(bind_error_));
    const int rc = sqlite3_step(statement_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return unavailable(operation_, sqlite3_errmsg(db_));
}

core::Status Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) {
            reset();
            return std::move(row).error();
        }
        if (!row.value()) break;
    }
    reset();
    return {};
}

void Statement::reset() {
    sqlite3_reset(statement_.get());
    sqlite3_clear_bindings(statement_.get());
    bind_error_ = SQLITE_OK;
}

std::string Statement::text(int column) const {
    const unsigned char* data = sqlite3_column_text(statement_.get(), column);
    const int size = sqlite3_column_bytes(statement_.get(), column);  // after column_text, as sqlite's docs ask
    if (data == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

double Statement::real(int column) const { return sqlite3_column_double(statement_.get(), column); }

// ---- Connection

core::Result<Connection> Connection::open(const std::string& path) {
    sqlite3* raw = nullptr;
    // NOMUTEX: the index never lets two threads use one connection at once.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Connection connection(raw);
    if (rc != SQLITE_OK) {
        return unavailable(fmt::format("open {}", path), raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    }
    sqlite3_busy_timeout(raw, 5000);
    if (path != ":memory:") {
        if (auto wal = connection.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", "set journal mode");
            !wal) {
            return std::move(wal).error();
        }
    }
    return connection;
}

core::Status Connection::exec(std::string_view sql, std::string_view operation) {
    const std::string terminated(sql);
    if (const int rc = sqlite3_exec(db_.get(), terminated.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK) {
        return error(rc, operation);
    }
    return {};
}

core::Result<Statement> Connection::prepare(std::string_view sql, std::string_view operation) {
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &statement, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(statement);
        return error(rc, operation);
    }
    return Statement(db_.get(), statement, std::string(operation));
}

core::Error Connection::error(int code, std::string_view operation) const {
    return unavailable(operation, db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(code));
}

}  // namespace crossvoice::assistant::sqlite
