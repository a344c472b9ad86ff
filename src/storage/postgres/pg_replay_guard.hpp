#pragma once

#include "core/ports/replay_guard.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// ReplayGuard on PostgreSQL's replay_marks table: one memory for every instance sharing the database, kept across
// restarts. Expired marks are deleted as new ones are written.
class PgReplayGuard final : public core::ports::ReplayGuard {
  public:
    explicit PgReplayGuard(PgDatabase& db) : db_(db) {}
    core::Result<bool> first_use(const std::string& key, core::TimePoint now, core::TimePoint expires_at) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
