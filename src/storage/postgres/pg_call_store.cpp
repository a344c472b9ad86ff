#include "storage/postgres/pg_call_store.hpp"

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
    "INSERT INTO calls (" CV_CALL_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";
constexpr std::string_view kFindSql = "SELECT " CV_CALL_COLUMNS " FROM calls WHERE platform = $1 AND id = $2";
constexpr std::string_view kFindAnyPlatformSql = "SELECT " CV_CALL_COLUMNS " FROM calls WHERE id = $1";
// The repeated "<> ''" lets the planner use the partial unique index, and keeps undialed calls out of the answer.
constexpr std::string_view kFindByControlIdSql =
    "SELECT " CV_CALL_COLUMNS " FROM calls WHERE call_control_id = $1 AND call_control_id <> ''";
constexpr std::string_view kListForSessionSql = "SELECT " CV_CALL_COLUMNS
                                                " FROM calls WHERE platform = $1 AND session_id = $2 "
                                                "ORDER BY created_at, id";

// ingest_event's reads of the call it will change: the row lock is what serialises events of one call.
constexpr std::string_view kLockAnyPlatformSql = "SELECT " CV_CALL_COLUMNS " FROM calls WHERE id = $1 FOR UPDATE";
constexpr std::string_view kLockByControlIdSql =
    "SELECT " CV_CALL_COLUMNS " FROM calls WHERE call_control_id = $1 AND call_control_id <> '' FOR UPDATE";

#undef CV_CALL_COLUMNS

// Deliveries of one event id queue here (the two-key form, namespaced by 0x6376 "cv", 2 for call events), so the
// second sees the first's row once it commits; a hash collision with another id only makes two deliveries wait.
constexpr std::string_view kLockEventSql = "SELECT pg_advisory_xact_lock(25462, hashtext($1))";

// The guard in the WHERE clause is the whole of "only moves a call still waiting for its dial result".
constexpr std::string_view kDialedSql =
    "UPDATE calls SET call_control_id = $1, call_leg_id = $2, call_session_id = $3, updated_at = $4 "
    "WHERE id = $5 AND state = 'initiated' AND call_control_id = ''";
constexpr std::string_view kDialFailedSql =
    "UPDATE calls SET state = 'failed', failure_reason = $1, ended_at = $2, updated_at = $3 "
    "WHERE id = $4 AND state = 'initiated' AND call_control_id = ''";

constexpr std::string_view kApplyChangeSql =
    "UPDATE calls SET state = $1, answered_at = $2, ended_at = $3, hangup_cause = $4, hangup_source = $5, "
    "call_control_id = $6, call_leg_id = $7, call_session_id = $8, updated_at = $9 WHERE id = $10";
constexpr std::string_view kMarkCallRecordedSql = "UPDATE calls SET has_recording = 1 WHERE id = $1";
constexpr std::string_view kMarkSessionRecordedSql =
    "UPDATE sessions SET has_recording = 1 WHERE id = $1 AND platform = $2";

constexpr std::string_view kFindEventSql = "SELECT call_id, changed_state, processed_at FROM call_events WHERE id = $1";
constexpr std::string_view kInsertEventSql =
    "INSERT INTO call_events (id, call_id, event_type, occurred_at, received_at, state_after, changed_state, "
    "payload_json, processed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kMarkProcessedSql =
    "UPDATE call_events SET processed_at = $1 WHERE id = $2 AND processed_at IS NULL";
constexpr std::string_view kEventExistsSql = "SELECT 1 FROM call_events WHERE id = $1";
constexpr std::string_view kEventsForCallSql =
    "SELECT id, call_id, event_type, occurred_at, received_at, state_after, changed_state, payload_json "
    "FROM call_events WHERE call_id = $1 ORDER BY occurred_at, received_at, row_order";

constexpr std::string_view kInsertRecordingSql =
    "INSERT INTO call_recordings (event_id, call_id, mp3_url, wav_url, started_at, ended_at, channels, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kRecordingsForCallSql =
    "SELECT event_id, call_id, mp3_url, wav_url, started_at, ended_at, channels, created_at, archived_as "
    "FROM call_recordings WHERE call_id = $1 ORDER BY created_at, row_order";
constexpr std::string_view kFindRecordingSql =
    "SELECT event_id, call_id, mp3_url, wav_url, started_at, ended_at, channels, created_at, archived_as "
    "FROM call_recordings WHERE event_id = $1";
constexpr std::string_view kMarkArchivedSql = "UPDATE call_recordings SET archived_as = $1 WHERE event_id = $2";

// Calls not ended, by state: a scan, done by the metrics sampler every few seconds off the request path.
constexpr std::string_view kActiveCallsSql =
    "SELECT state, COUNT(*) FROM calls WHERE state IN ('initiated', 'ringing', 'answered') GROUP BY state";

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

core::Result<Call> read_call(const PgStatement& row) {
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
core::Result<OptionalCall> find_one(PgConnection& connection, std::string_view sql, const Args&... args) {
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

core::Result<OptionalCall> find_by_id_on(PgConnection& connection, const std::string& id) {
    return find_one(connection, kFindAnyPlatformSql, id);
}

// The hint is our own id from client_state, so it wins over a control id that might have been reused. The call
// found is locked until the transaction ends (FOR UPDATE): a concurrent event of the same call waits here, and
// under READ COMMITTED then reads the row as this transaction left it.
core::Result<OptionalCall> lock_event_call(PgConnection& connection, const core::CallEvent& event,
                                           const std::optional<std::string>& call_id_hint) {
    if (call_id_hint) {
        auto by_hint = find_one(connection, kLockAnyPlatformSql, *call_id_hint);
        if (!by_hint || by_hint.value()) return by_hint;
    }
    if (event.call_control_id.empty()) return OptionalCall();
    return find_one(connection, kLockByControlIdSql, event.call_control_id);
}

// What a stored event says about itself; nullopt when the id is new.
struct StoredEventMark {
    std::optional<std::string> call_id;
    bool changed_state = false;
    bool processed = false;
};

core::Result<std::optional<StoredEventMark>> find_event_mark(PgConnection& connection, const std::string& event_id) {
    using Outcome = std::optional<StoredEventMark>;
    auto statement = connection.prepare(kFindEventSql, "find call event");
    if (!statement) return std::move(statement).error();
    statement->bind_all(event_id);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return Outcome();
    return Outcome(StoredEventMark{statement->optional_text(0), statement->int64(1) != 0, !statement->is_null(2)});
}

core::Status write_change(PgConnection& connection, const Call& after) {
    return connection.execute(kApplyChangeSql, "apply call event", core::to_string(after.state),
                              to_ms(after.answered_at), to_ms(after.ended_at), after.hangup_cause, after.hangup_source,
                              after.call_control_id, after.call_leg_id, after.call_session_id,
                              core::to_unix_ms(after.updated_at), after.id);
}

core::Status insert_event(PgConnection& connection, const core::CallEvent& event, const OptionalCall& call,
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

core::Status store_recording(PgConnection& connection, const core::CallEvent& event, const Call& call,
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

core::Result<core::ports::IngestResult> ingest_on(PgConnection& connection, const core::CallEvent& event,
                                                  const std::optional<std::string>& call_id_hint,
                                                  const std::string& raw_body, TimePoint received_at,
                                                  const core::ports::DecideChange& decide,
                                                  core::ports::FollowUps follow_ups) {
    core::ports::IngestResult result;
    if (auto locked = connection.execute(kLockEventSql, "lock call event", event.id); !locked) {
        return std::move(locked).error();
    }
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

    auto found = lock_event_call(connection, event, call_id_hint);
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

core::Result<core::StoredCallEvent> read_event(const PgStatement& row) {
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

core::StoredRecording read_recording(const PgStatement& row) {
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

core::Status PgCallStore::insert(const Call& call) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.execute(
            kInsertCallSql, "insert call", call.id, core::to_string(call.platform), call.session_id,
            core::to_string(call.direction), call.from, call.to, core::to_string(call.state), call.call_control_id,
            call.call_leg_id, call.call_session_id, call.record, call.transcription_enabled, call.language, call.flow,
            call.failure_reason, call.hangup_cause, call.hangup_source, core::to_unix_ms(call.created_at),
            core::to_unix_ms(call.updated_at), to_ms(call.answered_at), to_ms(call.ended_at), call.has_recording);
    });
}

core::Result<OptionalCall> PgCallStore::find(core::Platform platform, const std::string& id) {
    return db_.with_connection(
        [&](PgConnection& connection) { return find_one(connection, kFindSql, core::to_string(platform), id); });
}

core::Result<OptionalCall> PgCallStore::find_by_id_any_platform(const std::string& id) {
    return db_.with_connection([&](PgConnection& connection) { return find_by_id_on(connection, id); });
}

core::Result<OptionalCall> PgCallStore::find_by_control_id(const std::string& call_control_id) {
    return db_.with_connection(
        [&](PgConnection& connection) { return find_one(connection, kFindByControlIdSql, call_control_id); });
}

core::Result<std::vector<Call>> PgCallStore::list_for_session(core::Platform platform, const std::string& session_id) {
    using Rows = std::vector<Call>;
    return db_.with_connection([&](PgConnection& connection) -> core::Result<Rows> {
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

core::Result<Call> PgCallStore::record_dial_result(const std::string& call_id,
                                                   const std::optional<core::ports::DialedIds>& dialed,
                                                   const std::optional<std::string>& failure_reason, TimePoint at) {
    return db_.with_connection([&](PgConnection& connection) {
        // The guarded UPDATE and the read-back share a transaction, so the caller sees the call as its own write
        // (or the webhook that got there first, whose row lock the UPDATE waited for) left it. A call that has moved on
        // is not an error: it is returned.
        return connection.transaction("record dial result", [&](PgConnection& c) -> core::Result<Call> {
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

core::Result<core::ports::IngestResult> PgCallStore::ingest_event(const core::CallEvent& event,
                                                                  const std::optional<std::string>& call_id_hint,
                                                                  const std::string& raw_body, TimePoint received_at,
                                                                  const core::ports::DecideChange& decide,
                                                                  core::ports::FollowUps follow_ups) {
    return db_.with_connection([&](PgConnection& connection) {
        // The event's advisory lock, then the call's row lock (see ingest_on): two deliveries of one event can
        // not both be new, and two events of one call cannot both read the same state of it. A deadlock between
        // two such transactions (each waiting for the other's call) is retried by transaction().
        return connection.transaction("ingest call event", [&](PgConnection& c) {
            return ingest_on(c, event, call_id_hint, raw_body, received_at, decide, follow_ups);
        });
    });
}

core::Status PgCallStore::mark_processed(const std::string& event_id, TimePoint at) {
    return db_.with_connection([&](PgConnection& connection) -> core::Status {
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

core::Result<std::vector<core::StoredCallEvent>> PgCallStore::events_for_call(const std::string& call_id) {
    using Rows = std::vector<core::StoredCallEvent>;
    return db_.with_connection([&](PgConnection& connection) -> core::Result<Rows> {
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

core::Result<std::vector<core::StoredRecording>> PgCallStore::recordings_for_call(const std::string& call_id) {
    using Rows = std::vector<core::StoredRecording>;
    return db_.with_connection([&](PgConnection& connection) -> core::Result<Rows> {
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

core::Result<std::optional<core::StoredRecording>> PgCallStore::find_recording(const std::string& event_id) {
    using Outcome = core::Result<std::optional<core::StoredRecording>>;
    return db_.with_connection([&](PgConnection& connection) -> Outcome {
        auto statement = connection.prepare(kFindRecordingSql, "find recording");
        if (!statement) return std::move(statement).error();
        statement->bind_all(event_id);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return std::optional<core::StoredRecording>();
        return std::optional<core::StoredRecording>(read_recording(*statement));
    });
}

core::Status PgCallStore::mark_recording_archived(const std::string& event_id, const std::string& key) {
    return db_.with_connection([&](PgConnection& connection) -> core::Status {
        // A repeated fetch (a job retried after a crash) writes the same key again, which is harmless.
        if (auto updated = connection.execute(kMarkArchivedSql, "mark recording archived", key, event_id); !updated) {
            return updated;
        }
        if (connection.changes() == 0) return core::Error::not_found("recording", event_id);
        return {};
    });
}

core::Result<core::ports::ActiveCalls> PgCallStore::active_calls() {
    return db_.with_connection([&](PgConnection& connection) -> core::Result<core::ports::ActiveCalls> {
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
