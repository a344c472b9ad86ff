#pragma once

#include "core/ports/live_event_log.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// LiveEventLog on PostgreSQL's live_events table (migration 8; its seq is commit-ordered, see there), whose triggers
// log timeline messages, message statuses, call states and session statuses; publish() appends the events that have no
// row of their own.
class PgLiveEventLog final : public core::ports::LiveEventLog {
  public:
    explicit PgLiveEventLog(PgDatabase& db) : db_(db) {}

    // Never fails the caller's work: a live event that cannot be logged is logged as a warning and dropped.
    void publish(core::ports::LiveEvent event) override;
    core::Result<std::vector<core::ports::LoggedEvent>> read_after(std::uint64_t after, int limit) override;
    core::Result<std::uint64_t> latest() override;
    core::Result<std::uint64_t> prune(core::TimePoint before) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
