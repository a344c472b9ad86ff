#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/session_store.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// SessionStore on the `sessions` table. Every statement filters on platform, so one platform never sees another's
// sessions, even by id, unless the session was continued on it (session_links).
class SqliteSessionStore final : public core::ports::SessionStore {
  public:
    explicit SqliteSessionStore(SqliteDatabase& db) : db_(db) {}

    core::Status insert(const core::Session& session) override;
    core::Result<std::optional<core::Session>> find(core::Platform platform, const std::string& id) override;
    core::Result<std::vector<core::Session>> list(const core::ports::SessionQuery& query) override;
    core::Result<std::optional<core::Session>> end(core::Platform platform, const std::string& id,
                                                   core::TimePoint at) override;
    core::Status link(core::Platform platform, const std::string& session_id, const core::TimelineMessage& event,
                      core::TimePoint at) override;

  private:
    SqliteDatabase& db_;
};

}  // namespace crossvoice::storage
