#pragma once

#include <cstdint>
#include <vector>

#include "core/ports/audit_store.hpp"

#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// AuditStore on the append-only `audit_log` table. Identity ids never go back, so the id is a safe cursor; two
// appends committing out of id order can make a page skip an entry still being written, as the listing is a
// view for people, not a log reader.
class PgAuditStore final : public core::ports::AuditStore {
  public:
    explicit PgAuditStore(PgDatabase& db) : db_(db) {}

    core::Result<std::int64_t> append(const core::AuditEntry& entry) override;
    core::Result<std::vector<core::AuditEntry>> list(const core::ports::AuditQuery& query) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
