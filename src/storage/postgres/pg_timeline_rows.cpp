#include "storage/postgres/pg_timeline_rows.hpp"

#include <string>

namespace crossvoice::storage {
namespace {

constexpr std::string_view kInsertMessageSql =
    "INSERT INTO messages (id, session_id, platform, channel, direction, author, type, content, language, status, "
    "created_at, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
constexpr std::string_view kSessionExistsSql = "SELECT 1 FROM sessions WHERE platform = $1 AND id = $2";

}  // namespace

core::Status pg_append_timeline(PgConnection& connection, const std::vector<core::TimelineMessage>& messages) {
    for (const auto& message : messages) {
        if (auto appended = connection.execute(
                kInsertMessageSql, "append message", message.id, message.session_id, core::to_string(message.platform),
                core::to_string(message.channel), core::to_string(message.direction), core::to_string(message.author),
                core::to_string(message.type), message.content, message.language, core::to_string(message.status),
                core::to_unix_ms(message.created_at), message.metadata_json);
            !appended) {
            return appended;
        }
    }
    return {};
}

core::Result<core::TimelineMessage> pg_read_timeline_message(const PgStatement& row, int first) {
    core::TimelineMessage out;
    out.id = row.text(first);
    out.session_id = row.text(first + 1);
    const auto platform = core::parse_platform(row.text(first + 2));
    const auto channel = core::parse_channel(row.text(first + 3));
    const auto direction = core::parse_message_direction(row.text(first + 4));
    const auto author = core::parse_message_author(row.text(first + 5));
    const auto type = core::parse_message_type(row.text(first + 6));
    const auto status = core::parse_message_status(row.text(first + 9));
    if (!platform || !channel || !direction || !author || !type || !status) {
        // Names the columns, never the values: stored values may be personal data.
        return core::Error::internal(
            "database: stored message has an unreadable platform, channel, direction, author, type or status");
    }
    out.platform = *platform;
    out.channel = *channel;
    out.direction = *direction;
    out.author = *author;
    out.type = *type;
    out.content = row.text(first + 7);
    out.language = row.optional_text(first + 8);
    out.status = *status;
    out.created_at = core::from_unix_ms(row.int64(first + 10));
    out.metadata_json = row.text(first + 11);
    return out;
}

core::Status pg_require_session(PgConnection& connection, std::string_view platform, const std::string& session_id) {
    auto exists = connection.prepare(kSessionExistsSql, "find session");
    if (!exists) return std::move(exists).error();
    exists->bind_all(platform, session_id);
    auto row = exists->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return core::Error::not_found("session", session_id);
    return {};
}

}  // namespace crossvoice::storage
