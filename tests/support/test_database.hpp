#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrations.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::testing {

// A migrated SQLite database in a temporary directory.
inline std::unique_ptr<storage::SqliteDatabase> open_test_database(const TempDir& dir) {
    auto db = storage::SqliteDatabase::open((dir.path() / "test.db").string(), 2);
    if (!db) throw std::runtime_error(db.error().message);
    auto migrated = storage::migrate(**db);
    if (!migrated) throw std::runtime_error(migrated.error().message);
    return std::move(db).value();
}

}  // namespace crossvoice::testing
