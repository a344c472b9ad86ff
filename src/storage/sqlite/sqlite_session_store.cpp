#include "storage/sqlite/sqlite_session_store.hpp"

#include <cstdint>
#include <string_view>
#include <utility>

namespace crossvoice::storage {
namespace {

// The column order read_session expects.
#define CV_SESSION_COLUMNS                                                                                      \
    "id, platform, channel, status, phone_number, user_id, metadata, start_time, end_time, has_transcription, " \
    "has_recording, created_by_key"

constexpr std::string_view kInsertSql =
    "INSERT INTO sessions (" CV_SESSION_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindSql = "SELECT " CV_SESSION_COLUMNS " FROM sessions WHERE platform = ? AND id = ?";
constexpr std::string_view kSelectSql = "SELECT " CV_SESSION_COLUMNS " FROM sessions WHERE platform = ?";
constexpr std::string_view kEndSql =
    "UPDATE sessions SET status = ?, end_time = ? WHERE platform = ? AND id = ? AND status = ?";

#undef CV_SESSION_COLUMNS

// The message names the column, never the value: stored values may be personal data.
core::Error corrupt(std::string_view column) {
    return core::Error::internal(std::string("database: stored session has an unreadable ") + std::string(column));
}

core::Result<core::Session> read_session(const Statement& row) {
    core::Session session;
    session.id = row.text(0);
    const auto platform = core::parse_platform(row.text(1));
    if (!platform) return corrupt("platform");
    session.platform = *platform;
    const auto channel = core::parse_channel(row.text(2));
    if (!channel) return corrupt("channel");
    session.channel = *channel;
    const auto status = core::parse_session_status(row.text(3));
    if (!status) return corrupt("status");
    session.status = *status;
    session.phone_number = row.optional_text(4);
    session.user_id = row.optional_text(5);
    session.metadata_json = row.text(6);
    session.start_time = core::from_unix_ms(row.int64(7));
    if (auto end_time = row.optional_int64(8)) session.end_time = core::from_unix_ms(*end_time);
    session.has_transcription = row.int64(9) != 0;
    session.has_recording = row.int64(10) != 0;
    session.created_by_key = row.text(11);
    return session;
}

core::Result<std::optional<core::Session>> find_on(Connection& connection, core::Platform platform,
                                                   const std::string& id) {
    auto statement = connection.prepare(kFindSql, "find session");
    if (!statement) return std::move(statement).error();
    statement->bind_all(core::to_string(platform), id);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return std::optional<core::Session>();
    auto session = read_session(*statement);
    if (!session) return std::move(session).error();
    return std::optional<core::Session>(std::move(session).value());
}

}  // namespace

core::Status SqliteSessionStore::insert(const core::Session& session) {
    return db_.with_connection([&](Connection& connection) {
        std::optional<std::int64_t> end_time;
        if (session.end_time) end_time = core::to_unix_ms(*session.end_time);
        return connection.execute(kInsertSql, "insert session", session.id, core::to_string(session.platform),
                                  core::to_string(session.channel), core::to_string(session.status),
                                  session.phone_number, session.user_id, session.metadata_json,
                                  core::to_unix_ms(session.start_time), end_time, session.has_transcription,
                                  session.has_recording, session.created_by_key);
    });
}

core::Result<std::optional<core::Session>> SqliteSessionStore::find(core::Platform platform, const std::string& id) {
    return db_.with_connection([&](Connection& connection) { return find_on(connection, platform, id); });
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
                                         core::to_unix_ms(at), core::to_string(platform), id,
                                         core::to_string(core::SessionStatus::kActive));
                !updated) {
                return std::move(updated).error();
            }
            return find_on(c, platform, id);
        });
    });
}

}  // namespace crossvoice::storage
