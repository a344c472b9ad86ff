#include "storage/sqlite/sqlite_session_store.hpp"

#include "storage/sqlite/session_rows.hpp"
#include "storage/sqlite/timeline_rows.hpp"

#include <cstdint>
#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

const std::string kSelectSql =
    "SELECT " + std::string(kSessionColumns) + " FROM sessions WHERE " + std::string(kVisibleToPlatform);
const std::string kEndSql =
    "UPDATE sessions SET status = ?, end_time = ? WHERE id = ? AND status = ? AND " + std::string(kVisibleToPlatform);
constexpr std::string_view kLinkSql =
    "INSERT INTO session_links (session_id, platform, linked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

}  // namespace

core::Status SqliteSessionStore::insert(const core::Session& session) {
    return db_.with_connection([&](Connection& connection) { return insert_session(connection, session); });
}

core::Result<std::optional<core::Session>> SqliteSessionStore::find(core::Platform platform, const std::string& id) {
    return db_.with_connection([&](Connection& connection) { return find_session(connection, platform, id); });
}

core::Result<std::vector<core::Session>> SqliteSessionStore::list(const core::ports::SessionQuery& query) {
    using Rows = std::vector<core::Session>;
    // sqlite reads a negative LIMIT as "no limit"; an empty page is what a non-positive limit asks for.
    if (query.limit <= 0) return Rows{};
    std::string sql(kSelectSql);
    if (query.status) sql += " AND status = ?";
    if (query.channel) sql += " AND channel = ?";
    if (query.before_id) sql += " AND id < ?";
    sql += " ORDER BY id DESC LIMIT ?";
    return db_.with_connection([&](Connection& connection) -> core::Result<Rows> {
        auto statement = connection.prepare(sql, "list sessions");
        if (!statement) return std::move(statement).error();
        int index = 0;
        statement->bind(++index, core::to_string(query.platform));
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
            auto session = read_session(*statement);
            if (!session) return std::move(session).error();
            sessions.push_back(std::move(session).value());
        }
        return sessions;
    });
}

core::Result<std::optional<core::Session>> SqliteSessionStore::end(core::Platform platform, const std::string& id,
                                                                   core::TimePoint at) {
    using Outcome = core::Result<std::optional<core::Session>>;
    return db_.with_connection([&](Connection& connection) {
        // The conditional UPDATE and the read-back share one transaction: two concurrent ends cannot both win,
        // and the caller sees the row as its own change left it.
        return connection.transaction("end session", [&](Connection& c) -> Outcome {
            if (auto updated = c.execute(kEndSql, "end session", core::to_string(core::SessionStatus::kEnded),
                                         core::to_unix_ms(at), id, core::to_string(core::SessionStatus::kActive),
                                         core::to_string(platform), core::to_string(platform));
                !updated) {
                return std::move(updated).error();
            }
            return find_session(c, platform, id);
        });
    });
}

core::Status SqliteSessionStore::link(core::Platform platform, const std::string& session_id,
                                      const core::TimelineMessage& event, core::TimePoint at) {
    return db_.with_connection([&](Connection& connection) {
        return connection.transaction("link session", [&](Connection& c) -> core::Status {
            auto session = find_session(c, event.platform, session_id);
            if (!session) return std::move(session).error();
            if (!*session) return core::Error::not_found("session", session_id);
            if (auto linked =
                    c.execute(kLinkSql, "link session", session_id, core::to_string(platform), core::to_unix_ms(at));
                !linked) {
                return linked;
            }
            return append_timeline(c, {event});
        });
    });
}

}  // namespace crossvoice::storage
