#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/session_store.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// SessionStore on the `sessions` table. Every statement filters on platform, so one platform never sees another's
// sessions, even by id.
class SqliteSessionStore final : public core::ports::SessionStore {
  public:
    explicit SqliteSessionStore(SqliteDatabase& db) : db_(db) {}

    core::Status insert(const core::Session& session) override;
    core::Result<std::optional<core::Session>> find(core::Platform platform, const std::string& id) override;
    core::Result<std::vector<core::Session>> list(const core::ports::SessionQuery& query) override;
    core::Result<std::optional<core::Session>> end(core::Platform platform, const std::string& id,
                                                   core::TimePoint at) override;

  private:
    SqliteDatabase& db_;
};

}  // namespace crossvoice::storage
