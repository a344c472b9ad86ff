#pragma once

#include <string_view>
#include <vector>

#include "core/message.hpp"
#include "core/result.hpp"
#include "storage/postgres/pg_database.hpp"

// The `messages` table (the sessions' timelines) as the PostgreSQL stores share it (sqlite/timeline_rows.hpp's
// counterpart).
namespace crossvoice::storage {

inline constexpr std::string_view kPgTimelineColumns =
    "id, session_id, platform, channel, direction, author, type, content, language, status, created_at, metadata";

// Appends each message inside the caller's transaction.
core::Status pg_append_timeline(PgConnection& connection, const std::vector<core::TimelineMessage>& messages);

// A row of kPgTimelineColumns starting at column `first`.
core::Result<core::TimelineMessage> pg_read_timeline_message(const PgStatement& row, int first = 0);

// kNotFound (naming the session) unless the session exists on the platform.
core::Status pg_require_session(PgConnection& connection, std::string_view platform, const std::string& session_id);

}  // namespace crossvoice::storage
