#include "storage/sqlite/sqlite_readiness.hpp"

#include <fmt/format.h>

#include <utility>

namespace crossvoice::storage {

core::Status SqliteReadiness::check() {
    try {
        auto lease = db_.try_acquire_for(acquire_timeout_);
        if (!lease) {
            return core::Error::unavailable(
                fmt::format("database: no connection became free within {} ms", acquire_timeout_.count()));
        }
        auto statement = (*lease)->prepare("SELECT 1", "readiness check");
        if (!statement) return std::move(statement).error();
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value() || statement->int64(0) != 1) {
            return core::Error::internal("database: readiness check failed: SELECT 1 returned no row");
        }
        return {};
    } catch (...) {
        return detail::unexpected_exception("readiness check");
    }
}

}  // namespace crossvoice::storage
