#include "storage/postgres/pg_readiness.hpp"

#include <utility>

namespace crossvoice::storage {

core::Status PgReadiness::check() {
    try {
        // acquire() reconnects a connection it finds dead, so a server back from a restart is ready again here.
        auto lease = db_.acquire(acquire_timeout_);
        if (!lease) return std::move(lease).error();
        auto statement = (*lease)->prepare("SELECT 1", "readiness check");
        if (!statement) return std::move(statement).error();
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value() || statement->int64(0) != 1) {
            return core::Error::internal("database: readiness check failed: SELECT 1 returned no row");
        }
        return {};
    } catch (...) {
        return pg_detail::unexpected_exception("readiness check");
    }
}

}  // namespace crossvoice::storage
