#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/session.hpp"
#include "storage/sqlite/database.hpp"

// The `sessions` table as the stores that open and read sessions share it (the session store, and the messaging
// store, which opens a session for a customer's first message inside its own unit of work).
namespace crossvoice::storage {

// The column order read_session expects.
inline constexpr std::string_view kSessionColumns =
    "id, platform, channel, status, phone_number, user_id, metadata, start_time, end_time, has_transcription, "
    "has_recording, created_by_key";

// The condition a session meets to be seen by a platform: its own, or continued on it (session_links). Binds the
// platform twice.
inline constexpr std::string_view kVisibleToPlatform =
    "(platform = ? OR EXISTS (SELECT 1 FROM session_links l WHERE l.session_id = sessions.id AND l.platform = ?))";

// A row of kSessionColumns, in that order.
core::Result<core::Session> read_session(const Statement& row);

core::Status insert_session(Connection& connection, const core::Session& session);

// The session `platform` can see (its own, or one continued on it).
core::Result<std::optional<core::Session>> find_session(Connection& connection, core::Platform platform,
                                                        const std::string& id);

}  // namespace crossvoice::storage
