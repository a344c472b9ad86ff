#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/call_statistics.hpp"
#include "core/ports/call_store.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// CallStore on PostgreSQL's `calls`, `call_events` and `call_recordings` tables. Where SqliteCallStore relies on
// sqlite's single writer, this one locks what it reads: ingest_event takes a transaction-level advisory lock on
// the event id (two deliveries of one event: the second waits, then sees the first as stored) and reads the call
// with SELECT … FOR UPDATE (two events of one call: the second waits, then decides on the state the first left).
// Events of different calls run in parallel.
class PgCallStore final : public core::ports::CallStore, public core::ports::CallStatistics {
  public:
    explicit PgCallStore(PgDatabase& db) : db_(db) {}

    core::Status insert(const core::Call& call) override;
    core::Result<std::optional<core::Call>> find(core::Platform platform, const std::string& id) override;
    core::Result<std::optional<core::Call>> find_by_id_any_platform(const std::string& id) override;
    core::Result<std::optional<core::Call>> find_by_control_id(const std::string& call_control_id) override;
    core::Result<std::vector<core::Call>> list_for_session(core::Platform platform,
                                                           const std::string& session_id) override;

    core::Result<core::Call> record_dial_result(const std::string& call_id,
                                                const std::optional<core::ports::DialedIds>& dialed,
                                                const std::optional<std::string>& failure_reason,
                                                core::TimePoint at) override;

    core::Result<core::ports::IngestResult> ingest_event(const core::CallEvent& event,
                                                         const std::optional<std::string>& call_id_hint,
                                                         const std::string& raw_body, core::TimePoint received_at,
                                                         const core::ports::DecideChange& decide,
                                                         core::ports::FollowUps follow_ups) override;
    core::Status mark_processed(const std::string& event_id, core::TimePoint at) override;

    core::Result<std::vector<core::StoredCallEvent>> events_for_call(const std::string& call_id) override;
    core::Result<std::vector<core::StoredRecording>> recordings_for_call(const std::string& call_id) override;
    core::Result<std::optional<core::StoredRecording>> find_recording(const std::string& event_id) override;

    // Notes where the recording reported by `event_id` was copied to (StoredRecording::archived_as); kNotFound
    // when no recording came with that event. Not in the port yet: services/recording_jobs.cpp calls it.
    core::Status mark_recording_archived(const std::string& event_id, const std::string& key) override;

    // CallStatistics (the metrics sampler).
    core::Result<core::ports::ActiveCalls> active_calls() override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
