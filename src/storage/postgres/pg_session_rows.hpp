#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/session.hpp"
#include "storage/postgres/pg_database.hpp"

// The `sessions` table as the PostgreSQL stores that open and read sessions share it (sqlite/session_rows.hpp's
// counterpart).
namespace crossvoice::storage {

// The column order pg_read_session expects.
inline constexpr std::string_view kPgSessionColumns =
    "id, platform, channel, status, phone_number, user_id, metadata, start_time, end_time, has_transcription, "
    "has_recording, created_by_key";

// The condition a session meets to be seen by a platform: its own, or continued on it (session_links). `$N` is the
// platform's parameter number, used twice.
std::string pg_visible_to_platform(int parameter);

// A row of kPgSessionColumns, in that order.
core::Result<core::Session> pg_read_session(const PgStatement& row);

core::Status pg_insert_session(PgConnection& connection, const core::Session& session);

// The session `platform` can see (its own, or one continued on it).
core::Result<std::optional<core::Session>> pg_find_session(PgConnection& connection, core::Platform platform,
                                                           const std::string& id);

}  // namespace crossvoice::storage
