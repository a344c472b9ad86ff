#pragma once

#include "core/ports/live_event_log.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// LiveEventLog on the live_events table (migration 8), whose triggers log timeline messages, message statuses,
// call states and session statuses; publish() appends the events that have no row of their own.
class SqliteLiveEventLog final : public core::ports::LiveEventLog {
  public:
    explicit SqliteLiveEventLog(SqliteDatabase& db) : db_(db) {}

    // Never fails the caller's work: a live event that cannot be logged is logged as a warning and dropped.
    void publish(core::ports::LiveEvent event) override;
    core::Result<std::vector<core::ports::LoggedEvent>> read_after(std::uint64_t after, int limit) override;
    core::Result<std::uint64_t> latest() override;
    core::Result<std::uint64_t> prune(core::TimePoint before) override;

  private:
    SqliteDatabase& db_;
};

}  // namespace crossvoice::storage
