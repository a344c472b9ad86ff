#include "storage/postgres/pg_replay_guard.hpp"

#include <string_view>

namespace crossvoice::storage {
namespace {

// Bounded work per call: old marks go a few at a time, so no single request pays for a long backlog.
constexpr std::string_view kForgetSql =
    "DELETE FROM replay_marks WHERE key IN (SELECT key FROM replay_marks WHERE expires_at <= $1 LIMIT 64)";
// An expired mark of the same key is replaced: the key may be used again.
constexpr std::string_view kMarkSql =
    "INSERT INTO replay_marks (key, expires_at) VALUES ($1, $2) "
    "ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE replay_marks.expires_at <= $3";

}  // namespace

core::Result<bool> PgReplayGuard::first_use(const std::string& key, core::TimePoint now, core::TimePoint expires_at) {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<bool> {
        return connection.transaction("mark once", [&](PgConnection& c) -> core::Result<bool> {
            const auto now_ms = core::to_unix_ms(now);
            if (auto forgotten = c.execute(kForgetSql, "forget expired marks", now_ms); !forgotten) {
                return std::move(forgotten).error();
            }
            if (auto marked = c.execute(kMarkSql, "mark once", key, core::to_unix_ms(expires_at), now_ms); !marked) {
                return std::move(marked).error();
            }
            return c.changes() > 0;
        });
    });
}

}  // namespace crossvoice::storage
