#pragma once

#include <string_view>
#include <vector>

#include "core/message.hpp"
#include "core/result.hpp"
#include "storage/sqlite/database.hpp"

// The `messages` table (the sessions' timelines) as the stores that append to it and read it share it.
namespace crossvoice::storage {

inline constexpr std::string_view kTimelineColumns =
    "id, session_id, platform, channel, direction, author, type, content, language, status, created_at, metadata";

// Appends each message inside the caller's transaction.
core::Status append_timeline(Connection& connection, const std::vector<core::TimelineMessage>& messages);

// A row of kTimelineColumns, in that order.
core::Result<core::TimelineMessage> read_timeline_message(const Statement& row);
// The same columns starting at column `first` (a join that reads other columns before them).
core::Result<core::TimelineMessage> read_timeline_message_at(const Statement& row, int first);

// kNotFound (naming the session) unless the session exists on the platform.
core::Status require_session(Connection& connection, std::string_view platform, const std::string& session_id);

}  // namespace crossvoice::storage
