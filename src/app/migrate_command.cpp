#include "app/migrate_command.hpp"

#include <fmt/format.h>

#include "app/runtime.hpp"
#include "storage/sqlite/migrations.hpp"

namespace crossvoice::app {

int migrate(const Config& config) {
    auto database = open_database(config);
    if (!database) {
        fmt::print(stderr, "crossvoice: {}\n", database.error().message);
        return 1;
    }
    auto before = storage::schema_version(**database);
    if (!before) {
        fmt::print(stderr, "crossvoice: {}\n", before.error().message);
        return 1;
    }
    auto after = storage::migrate(**database);
    if (!after) {
        fmt::print(stderr, "crossvoice: migration failed: {}\n", after.error().message);
        return 1;
    }
    if (*after == *before) {
        fmt::print("database {}: already at schema version {}\n", config.sqlite_path, *after);
    } else {
        fmt::print("database {}: schema version {} -> {} ({} migrations applied)\n", config.sqlite_path, *before,
                   *after, *after - *before);
    }
    return 0;
}

}  // namespace crossvoice::app
