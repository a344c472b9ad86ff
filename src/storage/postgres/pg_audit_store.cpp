#include "storage/postgres/pg_audit_store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

constexpr std::string_view kInsertSql =
    "INSERT INTO audit_log (time, platform, key_id, action, target, request_id, outcome, status) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr std::string_view kListSql =
    "SELECT id, time, platform, key_id, action, target, request_id, outcome, status FROM audit_log "
    "WHERE platform = $1 ORDER BY id DESC LIMIT $2";
constexpr std::string_view kListBeforeSql =
    "SELECT id, time, platform, key_id, action, target, request_id, outcome, status FROM audit_log "
    "WHERE platform = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

core::Result<core::AuditEntry> read_entry(const PgStatement& row) {
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

core::Result<std::int64_t> PgAuditStore::append(const core::AuditEntry& entry) {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<std::int64_t> {
        std::optional<std::string_view> platform;
        if (entry.platform) platform = core::to_string(*entry.platform);
        auto statement = connection.prepare(kInsertSql, "append audit entry");
        if (!statement) return std::move(statement).error();
        statement->bind_all(core::to_unix_ms(entry.time), platform, entry.key_id, entry.action, entry.target,
                            entry.request_id, entry.outcome, entry.status);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return core::Error::internal("database: append audit entry failed: no id returned");
        return statement->int64(0);
    });
}

core::Result<std::vector<core::AuditEntry>> PgAuditStore::list(const core::ports::AuditQuery& query) {
    using Rows = std::vector<core::AuditEntry>;
    if (query.limit <= 0) return Rows{};
    return db_.with_connection([&](PgConnection& connection) -> core::Result<Rows> {
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
