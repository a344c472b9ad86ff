#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/session_store.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// SessionStore on PostgreSQL's `sessions` table; the same rules as SqliteSessionStore (every statement filters on
// the platform or a link to it).
class PgSessionStore final : public core::ports::SessionStore {
  public:
    explicit PgSessionStore(PgDatabase& db) : db_(db) {}

    core::Status insert(const core::Session& session) override;
    core::Result<std::optional<core::Session>> find(core::Platform platform, const std::string& id) override;
    core::Result<std::vector<core::Session>> list(const core::ports::SessionQuery& query) override;
    core::Result<std::optional<core::Session>> end(core::Platform platform, const std::string& id,
                                                   core::TimePoint at) override;
    core::Status link(core::Platform platform, const std::string& session_id, const core::TimelineMessage& event,
                      core::TimePoint at) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
