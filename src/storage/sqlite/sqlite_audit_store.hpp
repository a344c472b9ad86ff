#pragma once

#include <cstdint>
#include <vector>

#include "core/ports/audit_store.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// AuditStore on the append-only `audit_log` table. AUTOINCREMENT ids never go back, even after rows are deleted,
// so the id is a safe cursor.
class SqliteAuditStore final : public core::ports::AuditStore {
  public:
    explicit SqliteAuditStore(SqliteDatabase& db) : db_(db) {}

    core::Result<std::int64_t> append(const core::AuditEntry& entry) override;
    core::Result<std::vector<core::AuditEntry>> list(const core::ports::AuditQuery& query) override;

  private:
    SqliteDatabase& db_;
};

}  // namespace crossvoice::storage
