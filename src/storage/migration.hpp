#pragma once

#include <string_view>

namespace crossvoice::storage {

// One step of a schema, in one SQL dialect (sqlite/migrations.cpp, postgres/pg_migrations.cpp). Versions are
// numbered from 1 and never reused; a released migration is never edited, a change is a new migration, written for
// every dialect under the same version and name.
struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

}  // namespace crossvoice::storage
