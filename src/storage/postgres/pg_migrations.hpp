#pragma once

#include <cstdint>
#include <span>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/migration.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// Session-level advisory lock held while migrating: two instances starting at once migrate once, the second
// waits and then finds everything applied.
inline constexpr std::int64_t kMigrationLockKey = 0x63760001;  // "cv" 0001
// Migration 8's trigger takes the transaction-level advisory lock 0x63760008 (1668677640) before every live_events
// seq; see the comment there for why.

// The PostgreSQL dialect of sqlite_migrations(): the same versions, names, tables, columns, indexes and
// constraints. Times are BIGINT unix milliseconds as in SQLite; every TEXT column is COLLATE "C" so that ordering
// and range conditions on ids and names compare bytes, as SQLite does, whatever the database's locale.
std::span<const Migration> postgres_migrations();

// Brings the database up to the newest version in `migrations` under kMigrationLockKey, each migration in its own
// transaction with its schema_migrations row; returns the resulting version. A database newer than `migrations`
// knows is refused untouched, as for SQLite.
core::Result<int> migrate(PgDatabase& db, std::span<const Migration> migrations, const core::Clock& clock);
core::Result<int> migrate(PgDatabase& db);

// The highest applied version, 0 for a database that was never migrated.
core::Result<int> schema_version(PgDatabase& db);

}  // namespace crossvoice::storage
