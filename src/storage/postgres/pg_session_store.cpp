#include "storage/postgres/pg_session_store.hpp"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "storage/postgres/pg_session_rows.hpp"
#include "storage/postgres/pg_timeline_rows.hpp"

namespace crossvoice::storage {
namespace {

const std::string kEndSql =
    "UPDATE sessions SET status = $1, end_time = $2 WHERE id = $3 AND status = $4 AND " + pg_visible_to_platform(5);
constexpr std::string_view kLinkSql =
    "INSERT INTO session_links (session_id, platform, linked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

}  // namespace

core::Status PgSessionStore::insert(const core::Session& session) {
    return db_.with_connection([&](PgConnection& connection) { return pg_insert_session(connection, session); });
}

core::Result<std::optional<core::Session>> PgSessionStore::find(core::Platform platform, const std::string& id) {
    return db_.with_connection([&](PgConnection& connection) { return pg_find_session(connection, platform, id); });
}

core::Result<std::vector<core::Session>> PgSessionStore::list(const core::ports::SessionQuery& query) {
    using Rows = std::vector<core::Session>;
    if (query.limit <= 0) return Rows{};
    std::string sql = "SELECT " + std::string(kPgSessionColumns) + " FROM sessions WHERE " + pg_visible_to_platform(1);
    int parameter = 1;
    if (query.status) sql += fmt::format(" AND status = ${}", ++parameter);
    if (query.channel) sql += fmt::format(" AND channel = ${}", ++parameter);
    if (query.before_id) sql += fmt::format(" AND id < ${}", ++parameter);
    sql += fmt::format(" ORDER BY id DESC LIMIT ${}", ++parameter);
    return db_.with_connection([&](PgConnection& connection) -> core::Result<Rows> {
        auto statement = connection.prepare(sql, "list sessions");
        if (!statement) return std::move(statement).error();
        int index = 0;
        statement->bind(++index, core::to_string(query.platform));
        if (query.status) statement->bind(++index, core::to_string(*query.status));
        if (query.channel) statement->bind(++index, core::to_string(*query.channel));
        if (query.before_id) statement->bind(++index, *query.before_id);
        statement->bind(++index, query.limit);
        Rows sessions;
        for (;;) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) break;
            auto session = pg_read_session(*statement);
            if (!session) return std::move(session).error();
            sessions.push_back(std::move(session).value());
        }
        return sessions;
    });
}

core::Result<std::optional<core::Session>> PgSessionStore::end(core::Platform platform, const std::string& id,
                                                               core::TimePoint at) {
    using Outcome = core::Result<std::optional<core::Session>>;
    return db_.with_connection([&](PgConnection& connection) {
        // The conditional UPDATE locks the row; the read-back in the same transaction sees the row as this change
        // left it. A concurrent end waits for the lock, then finds the status no longer active and changes nothing.
        return connection.transaction("end session", [&](PgConnection& c) -> Outcome {
            if (auto updated = c.execute(kEndSql, "end session", core::to_string(core::SessionStatus::kEnded),
                                         core::to_unix_ms(at), id, core::to_string(core::SessionStatus::kActive),
                                         core::to_string(platform));
                !updated) {
                return std::move(updated).error();
            }
            return pg_find_session(c, platform, id);
        });
    });
}

core::Status PgSessionStore::link(core::Platform platform, const std::string& session_id,
                                  const core::TimelineMessage& event, core::TimePoint at) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("link session", [&](PgConnection& c) -> core::Status {
            auto session = pg_find_session(c, event.platform, session_id);
            if (!session) return std::move(session).error();
            if (!*session) return core::Error::not_found("session", session_id);
            if (auto linked =
                    c.execute(kLinkSql, "link session", session_id, core::to_string(platform), core::to_unix_ms(at));
                !linked) {
                return linked;
            }
            return pg_append_timeline(c, {event});
        });
    });
}

}  // namespace crossvoice::storage
