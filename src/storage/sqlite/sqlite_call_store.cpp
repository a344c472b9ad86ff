#include "storage/sqlite/sqlite_call_store.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>

#include "storage/call_change.hpp"

namespace crossvoice::storage {
namespace {

using core::Call;
using core::TimePoint;
using OptionalCall = std::optional<Call>;

// The column order read_call expects.
#define CV_CALL_COLUMNS                                                                                             \
    "id, platform, session_id, direction, from_number, to_number, state, call_control_id, call_leg_id, "            \
    "call_session_id, record, transcription_enabled, language, flow, failure_reason, hangup_cause, hangup_source, " \
    "created_at, updated_at, answered_at, ended_at, has_recording"

constexpr std::string_view kInsertCallSql =
    "INSERT INTO calls (" CV_CALL_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindSql = "SELECT " CV_CALL_COLUMNS " FROM calls WHERE platform = ? AND id = ?";
constexpr std::string_view kFindAnyPlatformSql = "SELECT " CV_CALL_COLUMNS " FROM calls WHERE id = ?";
// The repeated "<> ''" lets sqlite use the partial unique index, and keeps undialed calls out of the answer.
constexpr std::string_view kFindByControlIdSql =
    "SELECT " CV_CALL_COLUMNS " FROM calls WHERE call_control_id = ? AND call_control_id <> ''";
constexpr std::string_view kListForSessionSql = "SELECT " CV_CALL_COLUMNS
                                                " FROM calls WHERE platform = ? AND session_id = ? "
                                                "ORDER BY created_at, id";

#undef CV_CALL_COLUMNS

// The guard in the WHERE clause is the whole of "only moves a call still waiting for its dial result".
constexpr std::string_view kDialedSql =
    "UPDATE calls SET call_control_id = ?, call_leg_id = ?, call_session_id = ?, updated_at = ? "
    "WHERE id = ? AND state = 'initiated' AND call_control_id = ''";
constexpr std::string_view kDialFailedSql =
    "UPDATE calls SET state = 'failed', failure_reason = ?, ended_at = ?, updated_at = ? "
    "WHERE id = ? AND state = 'initiated' AND call_control_id = ''";

constexpr std::string_view kApplyChangeSql =
    "UPDATE calls SET state = ?, answered_at = ?, ended_at = ?, hangup_cause = ?, hangup_source = ?, "
    "call_control_id = ?, call_leg_id = ?, call_session_id = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kMarkCallRecordedSql = "UPDATE calls SET has_recording = 1 WHERE id = ?";
constexpr std::string_view kMarkSessionRecordedSql =
    "UPDATE sessions SET has_recording = 1 WHERE id = ? AND platform = ?";

constexpr std::string_view kFindEventSql = "SELECT call_id, changed_state, processed_at FROM call_events WHERE id = ?";
constexpr std::string_view kInsertEventSql =
    "INSERT INTO call_events (id, call_id, event_type, occurred_at, received_at, state_after, changed_state, "
    "payload_json, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kMarkProcessedSql =
    "UPDATE call_events SET processed_at = ? WHERE id = ? AND processed_at IS NULL";
constexpr std::string_view kEventExistsSql = "SELECT 1 FROM call_events WHERE id = ?";
constexpr std::string_view kEventsForCallSql =
    "SELECT id, call_id, event_type, occurred_at, received_at, state_after, changed_state, payload_json "
    "FROM call_events WHERE call_id = ? ORDER BY occurred_at, received_at, rowid";

constexpr std::string_view kInsertRecordingSql =
    "INSERT INTO call_recordings (event_id, call_id, mp3_url, wav_url, started_at, ended_at, channels, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kRecordingsForCallSql =
    "SELECT event_id, call_id, mp3_url, wav_url, started_at, ended_at, channels, created_at, archived_as "
    "FROM call_recordings WHERE call_id = ? ORDER BY created_at, rowid";
constexpr std::string_view kFindRecordingSql =
    "SELECT event_id, call_id, mp3_url, wav_url, started_at, ended_at, channels, created_at, archived_as "
    "FROM call_recordings WHERE event_id = ?";
// Calls not ended, by state. No index on state: a scan, which the metrics sampler does every few seconds off the
// request path.
constexpr std::string_view kActiveCallsSql =
    "SELECT state, COUNT(*) FROM calls WHERE state IN ('initiated', 'ringing', 'answered') GROUP BY state";
constexpr std::string_view kMarkArchivedSql = "UPDATE call_recordings SET archived_as = ? WHERE event_id = ?";

std::optional<std::int64_t> to_ms(const std::optional<TimePoint>& time) {
    if (!time) return std::nullopt;
    return core::to_unix_ms(*time);
}

std::optional<TimePoint> from_ms(const std::optional<std::int64_t>& ms) {
    if (!ms) return std::nullopt;
    return core::from_unix_ms(*ms);
}

// The carrier may omit an id; an empty string would then be stored where "absent" is meant.
std::optional<std::string> non_empty(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return text;
}

// The message names the column, never the value: stored values may be personal data.
core::Error corrupt(std::string_view what, std::string_view column) {
    return core::Error::internal(std::string("database: stored ") + std::string(what) + " has an unreadable " +
                                 std::string(column));
}

core::Result<Call> read_call(const Statement& row) {
    Call call;
    call.id = row.text(0);
    const auto platform = core::parse_platform(row.text(1));
    if (!platform) return corrupt("call", "platform");
    call.platform = *platform;
    call.session_id = row.text(2);
    const auto direction = core::parse_call_direction(row.text(3));
    if (!direction) return corrupt("call", "direction");
    call.direction = *direction;
    call.from = row.text(4);
    call.to = row.text(5);
    const auto state = core::parse_call_state(row.text(6));
    if (!state) return corrupt("call", "state");
    call.state = *state;
    call.call_control_id = row.text(7);
    call.call_leg_id = row.optional_text(8);
    call.call_session_id = row.optional_text(9);
    call.record = row.int64(10) != 0;
    call.transcription_enabled = row.int64(11) != 0;
    call.language = row.text(12);
    call.flow = row.optional_text(13);
    call.failure_reason = row.optional_text(14);
    call.hangup_cause = row.optional_text(15);
    call.hangup_source = row.optional_text(16);
    call.created_at = core::from_unix_ms(row.int64(17));
    call.updated_at = core::from_unix_ms(row.int64(18));
    call.answered_at = from_ms(row.optional_int64(19));
    call.ended_at = from_ms(row.optional_int64(20));
    call.has_recording = row.int64(21) != 0;
    return call;
}

template <typename... Args>
core::Result<OptionalCall> find_one(Connection& connection, std::string_view sql, const Args&... args) {
    auto statement = connection.prepare(sql, "find call");
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return OptionalCall();
    auto call = read_call(*statement);
    if (!call) return std::move(call).error();
    return OptionalCall(std::move(call).value());
}

core::Result<OptionalCall> find_by_id_on(Connection& connection, const std::string& id) {
    return find_one(connection, kFindAnyPlatformSql, id);
}

// The hint is our own id from client_state, so it wins over a control id that might have been reused.
core::Result<OptionalCall> find_event_call(Connection& connection, const core::CallEvent& event,
                                           const std::optional<std::string>& call_id_hint) {
    if (call_id_hint) {
        auto by_hint = find_by_id_on(connection, *call_id_hint);
        if (!by_hint || by_hint.value()) return by_hint;
    }
    if (event.call_control_id.empty()) return OptionalCall();
    return find_one(connection, kFindByControlIdSql, event.call_control_id);
}

// What a stored event says about itself; nullopt when the id is new.
struct StoredEventMark {
    std::optional<std::string> call_id;
    bool changed_state = false;
    bool processed = false;
};

core::Result<std::optional<StoredEventMark>> find_event_mark(Connection& connection, const std::string& event_id) {
    using Outcome = std::optional<StoredEventMark>;
    auto statement = connection.prepare(kFindEventSql, "find call event");
    if (!statement) return std::move(statement).error();
    statement->bind_all(event_id);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return Outcome();
    return Outcome(StoredEventMark{statement->optional_text(0), statement->int64(1) != 0, !statement->is_null(2)});
}

core::Status write_change(Connection& connection, const Call& after) {
    return connection.execute(kApplyChangeSql, "apply call event", core::to_string(after.state),
                              to_ms(after.answered_at), to_ms(after.ended_at), after.hangup_cause, after.hangup_source,
                              after.call_control_id, after.call_leg_id, after.call_session_id,
                              core::to_unix_ms(after.updated_at), after.id);
}

core::Status insert_event(Connection& connection, const core::CallEvent& event, const OptionalCall& call,
                          std::optional<std::int64_t> processed_at, bool changed_state, const std::string& raw_body,
                          TimePoint received_at) {
    std::optional<std::string> call_id;
    std::optional<std::string_view> state_after;
    if (call) {
        call_id = call->id;
        state_after = core::to_string(call->state);
    }
    // The carrier's own name is what the timeline shows; the mapped kind stands in when the parser had none.
    const std::string event_type =
        event.event_type.empty() ? std::string(core::to_string(event.type)) : event.event_type;
    return connection.execute(kInsertEventSql, "insert call event", event.id, call_id, event_type,
                              core::to_unix_ms(event.occurred_at), core::to_unix_ms(received_at), state_after,
                              changed_state, raw_body, processed_at);
}

core::Status store_recording(Connection& connection, const core::CallEvent& event, const Call& call,
                             TimePoint received_at) {
    const core::CallRecording& recording = *event.recording;
    if (auto inserted = connection.execute(
            kInsertRecordingSql, "insert call recording", event.id, call.id, recording.mp3_url, recording.wav_url,
            to_ms(recording.started_at), to_ms(recording.ended_at), recording.channels, core::to_unix_ms(received_at));
        !inserted) {
        return inserted;
    }
    if (auto marked = connection.execute(kMarkCallRecordedSql, "mark call recorded", call.id); !marked) return marked;
    return connection.execute(kMarkSessionRecordedSql, "mark session recorded", call.session_id,
                              core::to_string(call.platform));
}

core::Result<core::ports::IngestResult> ingest_on(Connection& connection, const core::CallEvent& event,
                                                  const std::optional<std::string>& call_id_hint,
                                                  const std::string& raw_body, TimePoint received_at,
                                                  const core::ports::DecideChange& decide,
                                                  core::ports::FollowUps follow_ups) {
    core::ports::IngestResult result;
    auto mark = find_event_mark(connection, event.id);
    if (!mark) return std::move(mark).error();
    if (mark.value()) {
        // Seen before: change nothing. An unfinished event reports what its first delivery did to the call, so
        // that the caller can redo the follow-ups that depended on it.
        result.status =
            mark.value()->processed ? core::ports::IngestStatus::kDuplicate : core::ports::IngestStatus::kUnfinished;
        result.state_changed = !mark.value()->processed && mark.value()->changed_state;
        if (mark.value()->call_id) {
            auto call = find_by_id_on(connection, *mark.value()->call_id);
            if (!call) return std::move(call).error();
            result.call = std::move(call).value();
        }
        return result;
    }

    auto found = find_event_call(connection, event, call_id_hint);
    if (!found) return std::move(found).error();
    if (found.value()) {
        const Call& current = *found.value();
        const core::ports::CallChange change = decide(current, event);
        Call after = apply_call_change(current, change, received_at);
        result.state_changed = after.state != current.state;
        if (auto written = write_change(connection, after); !written) return std::move(written).error();
        result.call = std::move(after);
    }
    std::optional<std::int64_t> processed_at;
    if (follow_ups == core::ports::FollowUps::kNone) processed_at = core::to_unix_ms(received_at);
    if (auto inserted =
            insert_event(connection, event, result.call, processed_at, result.state_changed, raw_body, received_at);
        !inserted) {
        return std::move(inserted).error();
    }
    // A recording needs a call to belong to; without one it survives only in the stored payload.
    if (event.recording && result.call) {
        if (auto stored = store_recording(connection, event, *result.call, received_at); !stored) {
            return std::move(stored).error();
        }
        result.call->has_recording = true;
    }
    return result;
}

core::Result<core::StoredCallEvent> read_event(const Statement& row) {
    core::StoredCallEvent event;
    event.id = row.text(0);
    event.call_id = row.optional_text(1);
    event.event_type = row.text(2);
    event.occurred_at = core::from_unix_ms(row.int64(3));
    event.received_at = core::from_unix_ms(row.int64(4));
    if (auto state_name = row.optional_text(5)) {
        event.state_after = core::parse_call_state(*state_name);
        if (!event.state_after) return corrupt("call event", "state_after");
    }
    event.changed_state = row.int64(6) != 0;
    event.payload_json = row.text(7);
    return event;
}

core::StoredRecording read_recording(const Statement& row) {
    core::StoredRecording stored;
    stored.event_id = row.text(0);
    stored.call_id = row.text(1);
    stored.recording.mp3_url = row.optional_text(2);
    stored.recording.wav_url = row.optional_text(3);
    stored.recording.started_at = from_ms(row.optional_int64(4));
    stored.recording.ended_at = from_ms(row.optional_int64(5));
    stored.recording.channels = row.optional_text(6);
    stored.created_at = core::from_unix_ms(row.int64(7));
    stored.archived_as = row.optional_text(8);
    return stored;
}

}  // namespace

core::Status SqliteCallStore::insert(const Call& call) {
    return db_.with_connection([&](Connection& connection) {
        return connection.execute(
            kInsertCallSql, "insert call", call.id, core::to_string(call.platform), call.session_id,
            core::to_string(call.direction), call.from, call.to, core::to_string(call.state), call.call_control_id,
            call.call_leg_id, call.call_session_id, call.record, call.transcription_enabled, call.language, call.flow,
            call.failure_reason, call.hangup_cause, call.hangup_source, core::to_unix_ms(call.created_at),
            core::to_unix_ms(call.updated_at), to_ms(call.answered_at), to_ms(call.ended_at), call.has_recording);
    });
}

core::Result<OptionalCall> SqliteCallStore::find(core::Platform platform, const std::string& id) {
    return db_.with_connection(
        [&](Connection& connection) { return find_one(connection, kFindSql, core::to_string(platform), id); });
}

core::Result<OptionalCall> SqliteCallStore::find_by_id_any_platform(const std::string& id) {
    return db_.with_connection([&](Connection& connection) { return find_by_id_on(connection, id); });
}

core::Result<OptionalCall> SqliteCallStore::find_by_control_id(const std::string& call_control_id) {
    return db_.with_connection(
        [&](Connection& connection) { return find_one(connection, kFindByControlIdSql, call_control_id); });
}

core::Result<std::vector<Call>> SqliteCallStore::list_for_session(core::Platform platform,
                                                                  const std::string& session_id) {
    using Rows = std::vector<Call>;
    return db_.with_connection([&](Connection& connection) -> core::Result<Rows> {
        auto statement = connection.prepare(kListForSessionSql, "list calls for session");
        if (!statement) return std::move(statement).error();
        statement->bind_all(core::to_string(platform), session_id);
        Rows calls;
        for (;;) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) break;
            auto call = read_call(*statement);
            if (!call) return std::move(call).error();
            calls.push_back(std::move(call).value());
        }
        return calls;
    });
}

core::Result<Call> SqliteCallStore::record_dial_result(const std::string& call_id,
                                                       const std::optional<core::ports::DialedIds>& dialed,
                                                       const std::optional<std::string>& failure_reason, TimePoint at) {
    return db_.with_connection([&](Connection& connection) {
        // The guarded UPDATE and the read-back share a transaction, so the caller sees the call as its own write
        // (or the webhook that got there first) left it. A call that has moved on is not an error: it is returned.
        return connection.transaction("record dial result", [&](Connection& c) -> core::Result<Call> {
            core::Status updated;
            if (dialed) {
                updated =
                    c.execute(kDialedSql, "record dial result", dialed->call_control_id, non_empty(dialed->call_leg_id),
                              non_empty(dialed->call_session_id), core::to_unix_ms(at), call_id);
            } else {
                updated = c.execute(kDialFailedSql, "record dial result", failure_reason, core::to_unix_ms(at),
                                    core::to_unix_ms(at), call_id);
            }
            if (!updated) return std::move(updated).error();
            auto call = find_by_id_on(c, call_id);
            if (!call) return std::move(call).error();
            if (!call.value()) return core::Error::not_found("call", call_id);
            return std::move(*call.value());
        });
    });
}

core::Result<core::ports::IngestResult> SqliteCallStore::ingest_event(
    const core::CallEvent& event, const std::optional<std::string>& call_id_hint, const std::string& raw_body,
    TimePoint received_at, const core::ports::DecideChange& decide, core::ports::FollowUps follow_ups) {
    return db_.with_connection([&](Connection& connection) {
        // BEGIN IMMEDIATE (see Connection::transaction): the duplicate check, the read of the call, decide and
        // the writes all happen under the write lock, so two deliveries can neither both be new nor both read
        // the same state of the call.
        return connection.transaction("ingest call event", [&](Connection& c) {
            return ingest_on(c, event, call_id_hint, raw_body, received_at, decide, follow_ups);
        });
    });
}

core::Status SqliteCallStore::mark_processed(const std::string& event_id, TimePoint at) {
    return db_.with_connection([&](Connection& connection) -> core::Status {
        // The first confirmation's time is kept; a repeated one is harmless.
        if (auto updated =
                connection.execute(kMarkProcessedSql, "mark call event processed", core::to_unix_ms(at), event_id);
            !updated) {
            return updated;
        }
        if (connection.changes() > 0) return {};
        auto statement = connection.prepare(kEventExistsSql, "find call event");
        if (!statement) return std::move(statement).error();
        statement->bind_all(event_id);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return core::Error::not_found("call event", event_id);
        return {};
    });
}

core::Result<std::vector<core::StoredCallEvent>> SqliteCallStore::events_for_call(const std::string& call_id) {
    using Rows = std::vector<core::StoredCallEvent>;
    return db_.with_connection([&](Connection& connection) -> core::Result<Rows> {
        auto statement = connection.prepare(kEventsForCallSql, "list call events");
        if (!statement) return std::move(statement).error();
        statement->bind_all(call_id);
        Rows events;
        for (;;) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) break;
            auto event = read_event(*statement);
            if (!event) return std::move(event).error();
            events.push_back(std::move(event).value());
        }
        return events;
    });
}

core::Result<std::vector<core::StoredRecording>> SqliteCallStore::recordings_for_call(const std::string& call_id) {
    using Rows = std::vector<core::StoredRecording>;
    return db_.with_connection([&](Connection& connection) -> core::Result<Rows> {
        auto statement = connection.prepare(kRecordingsForCallSql, "list call recordings");
        if (!statement) return std::move(statement).error();
        statement->bind_all(call_id);
        Rows recordings;
        for (;;) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) break;
            recordings.push_back(read_recording(*statement));
        }
        return recordings;
    });
}

core::Result<std::optional<core::StoredRecording>> SqliteCallStore::find_recording(const std::string& event_id) {
    using Outcome = core::Result<std::optional<core::StoredRecording>>;
    return db_.with_connection([&](Connection& connection) -> Outcome {
        auto statement = connection.prepare(kFindRecordingSql, "find recording");
        if (!statement) return std::move(statement).error();
        statement->bind_all(event_id);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return std::optional<core::StoredRecording>();
        return std::optional<core::StoredRecording>(read_recording(*statement));
    });
}

core::Status SqliteCallStore::mark_recording_archived(const std::string& event_id, const std::string& key) {
    return db_.with_connection([&](Connection& connection) -> core::Status {
        // A repeated fetch (a job retried after a crash) writes the same key again, which is harmless.
        if (auto updated = connection.execute(kMarkArchivedSql, "mark recording archived", key, event_id); !updated) {
            return updated;
        }
        if (connection.changes() == 0) return core::Error::not_found("recording", event_id);
        return {};
    });
}

core::Result<core::ports::ActiveCalls> SqliteCallStore::active_calls() {
    return db_.with_connection([&](Connection& connection) -> core::Result<core::ports::ActiveCalls> {
        auto statement = connection.prepare(kActiveCallsSql, "count active calls");
        if (!statement) return std::move(statement).error();
        core::ports::ActiveCalls active;
        while (true) {
            auto row = statement->step();
            if (!row) return std::move(row).error();
            if (!row.value()) break;
            const auto state = core::parse_call_state(statement->text(0));
            const auto count = statement->int64(1);
            if (state == core::CallState::kInitiated) active.initiated = count;
            if (state == core::CallState::kRinging) active.ringing = count;
            if (state == core::CallState::kAnswered) active.answered = count;
        }
        return active;
    });
}

}  // namespace crossvoice::storage
