#include "storage/sqlite/sqlite_audit_store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

constexpr std::string_view kInsertSql =
    "INSERT INTO audit_log (time, platform, key_id, action, target, request_id, outcome, status) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kListSql =
    "SELECT id, time, platform, key_id, action, target, request_id, outcome, status FROM audit_log "
    "WHERE platform = ? ORDER BY id DESC LIMIT ?";
constexpr std::string_view kListBeforeSql =
    "SELECT id, time, platform, key_id, action, target, request_id, outcome, status FROM audit_log "
    "WHERE platform = ? AND id < ? ORDER BY id DESC LIMIT ?";

core::Result<core::AuditEntry> read_entry(const Statement& row) {
    core::AuditEntry entry;
    entry.id = row.int64(0);
    entry.time = core::from_unix_ms(row.int64(1));
    if (auto platform_name = row.optional_text(2)) {
        entry.platform = core::parse_platform(*platform_name);
        if (!entry.platform) return core::Error::internal("database: stored audit entry has an unreadable platform");
    }
    entry.key_id = row.text(3);
    entry.action = row.text(4);
    entry.target = row.text(5);
    entry.request_id = row.text(6);
    entry.outcome = row.text(7);
    entry.status = static_cast<int>(row.int64(8));
    return entry;
}

}  // namespace

core::Result<std::int64_t> SqliteAuditStore::append(const core::AuditEntry& entry) {
    return db_.with_connection([&](Connection& connection) -> core::Result<std::int64_t> {
        std::optional<std::string_view> platform;
        if (entry.platform) platform = core::to_string(*entry.platform);
        if (auto inserted = connection.execute(kInsertSql, "append audit entry", core::to_unix_ms(entry.time), platform,
                                               entry.key_id, entry.action, entry.target, entry.request_id,
                                               entry.outcome, entry.status);
            !inserted) {
            return std::move(inserted).error();
        }
        // Safe without a transaction: nothing else uses this connection while we hold its lease.
        return connection.last_insert_rowid();
    });
}

core::Result<std::vector<core::AuditEntry>> SqliteAuditStore::list(const core::ports::AuditQuery& query) {
    using Rows = std::vector<core::AuditEntry>;
    // sqlite reads a negative LIMIT as "no limit"; an empty page is what a non-positive limit asks for.
    if (query.limit <= 0) return Rows{};
    return db_.with_connection([&](Connection& connection) -> core::Result<Rows> {
        auto statement = connection.prepare(query.before_id ? kListBeforeSql : kListSql, "list audit entries");
        if (!statement) return std::move(statement).error();
        if (query.before_id) {
            statement->bind_all(core::to_string(query.platform), *query.before_id, query.limit);
        } else {
            statement->bind_all(core::to_string(query.platform), query.limit);
        }
        Rows entries;
        for (;;) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) return entries;
            auto entry = read_entry(*statement);
            if (!entry) return std::move(entry).error();
            entries.push_back(std::move(entry).value());
        }
    });
}

}  // namespace crossvoice::storage
