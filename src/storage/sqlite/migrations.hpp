#pragma once

#include <span>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/migration.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// The schema this build knows, in version order.
std::span<const Migration> sqlite_migrations();

// Brings the database up to the newest version in `migrations` and returns the resulting schema version.
// Each pending migration runs in its own transaction together with its schema_migrations row, so a failure leaves
// the earlier migrations applied and nothing of the failing one; the error names its version and name. A database
// that has a version newer than any in `migrations` (written by a newer build) is refused untouched.
// Safe to run from two processes at once: each re-checks under the write lock whether its migration is applied.
core::Result<int> migrate(SqliteDatabase& db, std::span<const Migration> migrations, const core::Clock& clock);

// The same with sqlite_migrations() and the system clock.
core::Result<int> migrate(SqliteDatabase& db);

// The highest applied version, 0 for a database that was never migrated.
core::Result<int> schema_version(SqliteDatabase& db);

}  // namespace crossvoice::storage
