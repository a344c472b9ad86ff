#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

// A small private RAII wrapper of sqlite3 for the knowledge index (adapters do not share code with storage/). Every
// failure is kUnavailable: to the assistant a broken index means "answer without it", never a caller's mistake.
namespace crossvoice::assistant::sqlite {

struct ConnectionCloser {
    void operator()(sqlite3* db) const;
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const;
};

// One prepared statement. Not thread-safe; the connection it came from must outlive it.
class Statement {
  public:
    Statement(sqlite3* db, sqlite3_stmt* statement, std::string operation);

    // Parameters are numbered from 1. A failed bind is reported by the next step().
    Statement& bind_text(int index, std::string_view value);
    Statement& bind_int64(int index, long long value);

    // True when a row is ready to read, false when the statement has finished.
    core::Result<bool> step();
    // Steps to the end, ignoring rows, then resets.
    core::Status run();
    // Ends the current execution and clears the bindings, so the statement can run again.
    void reset();

    std::string text(int column) const;
    double real(int column) const;

  private:
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement_;
    std::string operation_;
    int bind_error_ = 0;
};

class Connection {
  public:
    // Opens (creating if missing) the database at `path`; ":memory:" is a private in-memory database. A file
    // database is put in WAL mode, so readers on other connections see the last commit while a writer works.
    static core::Result<Connection> open(const std::string& path);

    // Runs statements without parameters (schema, transaction control).
    core::Status exec(std::string_view sql, std::string_view operation);
    core::Result<Statement> prepare(std::string_view sql, std::string_view operation);

    core::Error error(int code, std::string_view operation) const;

    // For registering functions (FTS5 auxiliary functions need the raw handle).
    sqlite3* handle() const { return db_.get(); }

  private:
    explicit Connection(sqlite3* db) : db_(db) {}
    std::unique_ptr<sqlite3, ConnectionCloser> db_;
};

}  // namespace crossvoice::assistant::sqlite
