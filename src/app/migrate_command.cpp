#include "app/migrate_command.hpp"

#include <fmt/format.h>

#include "app/store_set.hpp"

namespace crossvoice::app {

int migrate(const Config& config) {
    auto outcome = migrate_database(config);
    if (!outcome) {
        fmt::print(stderr, "crossvoice: {}\n", outcome.error().message);
        return 1;
    }
    if (outcome->after == outcome->before) {
        fmt::print("database {}: already at schema version {}\n", outcome->location, outcome->after);
    } else {
        fmt::print("database {}: schema version {} -> {} ({} migrations applied)\n", outcome->location, outcome->before,
                   outcome->after, outcome->after - outcome->before);
    }
    return 0;
}

}  // namespace crossvoice::app
