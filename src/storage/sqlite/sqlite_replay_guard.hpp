#pragma once

#include "core/ports/replay_guard.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// ReplayGuard on the replay_marks table: one instance's memory survives its restarts. Expired marks are deleted
// as new ones are written.
class SqliteReplayGuard final : public core::ports::ReplayGuard {
  public:
    explicit SqliteReplayGuard(SqliteDatabase& db) : db_(db) {}
    core::Result<bool> first_use(const std::string& key, core::TimePoint now, core::TimePoint expires_at) override;

  private:
    SqliteDatabase& db_;
};

}  // namespace crossvoice::storage
