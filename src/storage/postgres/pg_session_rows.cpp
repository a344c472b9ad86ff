#include "storage/postgres/pg_session_rows.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace crossvoice::storage {
namespace {

// The message names the column, never the value: stored values may be personal data.
core::Error corrupt(std::string_view column) {
    return core::Error::internal(std::string("database: stored session has an unreadable ") + std::string(column));
}

}  // namespace

std::string pg_visible_to_platform(int parameter) {
    return fmt::format(
        "(platform = ${0} OR EXISTS (SELECT 1 FROM session_links l WHERE l.session_id = sessions.id AND l.platform = "
        "${0}))",
        parameter);
}

core::Result<core::Session> pg_read_session(const PgStatement& row) {
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

core::Result<std::optional<core::Session>> pg_find_session(PgConnection& connection, core::Platform platform,
                                                           const std::string& id) {
    static const std::string kFindSql =
        "SELECT " + std::string(kPgSessionColumns) + " FROM sessions WHERE id = $1 AND " + pg_visible_to_platform(2);
    auto statement = connection.prepare(kFindSql, "find session");
    if (!statement) return std::move(statement).error();
    statement->bind_all(id, core::to_string(platform));
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return std::optional<core::Session>();
    auto session = pg_read_session(*statement);
    if (!session) return std::move(session).error();
    return std::optional<core::Session>(std::move(session).value());
}

core::Status pg_insert_session(PgConnection& connection, const core::Session& session) {
    static const std::string kInsertSql = "INSERT INTO sessions (" + std::string(kPgSessionColumns) +
                                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
    std::optional<std::int64_t> end_time;
    if (session.end_time) end_time = core::to_unix_ms(*session.end_time);
    return connection.execute(kInsertSql, "insert session", session.id, core::to_string(session.platform),
                              core::to_string(session.channel), core::to_string(session.status), session.phone_number,
                              session.user_id, session.metadata_json, core::to_unix_ms(session.start_time), end_time,
                              session.has_transcription, session.has_recording, session.created_by_key);
}

}  // namespace crossvoice::storage
