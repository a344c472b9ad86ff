#include "storage/sqlite/migrations.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <string>

#include "storage/logger.hpp"

namespace crossvoice::storage {
namespace {

// Migrations run inside a transaction with foreign_keys=ON, which sqlite cannot switch off mid-transaction: a
// future migration that rebuilds a referenced table must use the rename-copy-drop sequence that keeps keys valid.
constexpr std::array kMigrations{
    Migration{1, "foundation", R"sql(
CREATE TABLE platforms (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
-- julianday arithmetic rather than unixepoch(): it works on every sqlite 3 release.
INSERT INTO platforms (id, display_name, created_at) VALUES
    ('tetrix', 'TETRIX', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
    ('joromi', 'JoRoMi', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    platform TEXT NOT NULL REFERENCES platforms (id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
-- list(platform): oldest first.
CREATE INDEX api_keys_platform_created ON api_keys (platform, created_at, id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    platform TEXT NOT NULL REFERENCES platforms (id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    phone_number TEXT,
    user_id TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    start_time INTEGER NOT NULL,
    end_time INTEGER,
    has_transcription INTEGER NOT NULL DEFAULT 0,
    has_recording INTEGER NOT NULL DEFAULT 0,
    created_by_key TEXT NOT NULL
);
-- Listings are WHERE platform = ? [AND status = ?] [AND channel = ?] [AND id < ?] ORDER BY id DESC LIMIT ?:
-- each filter has an index whose trailing id serves both the cursor and the order, so no sort step.
-- With both filters sqlite walks one filter's index and checks the other on each row.
CREATE INDEX sessions_platform_id ON sessions (platform, id);
CREATE INDEX sessions_platform_status_id ON sessions (platform, status, id);
CREATE INDEX sessions_platform_channel_id ON sessions (platform, channel, id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    platform TEXT REFERENCES platforms (id),
    key_id TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    request_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER NOT NULL
);
CREATE INDEX audit_log_platform_id ON audit_log (platform, id DESC);
)sql"},
    Migration{2, "calls", R"sql(
-- Times are unix milliseconds, as everywhere else. session_id has no foreign key: the calls use-case decides
-- whether a session is written before or after its first call (an inbound call may be seen first).
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    platform TEXT NOT NULL REFERENCES platforms (id),
    session_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    state TEXT NOT NULL,
    call_control_id TEXT NOT NULL DEFAULT '',
    call_leg_id TEXT,
    call_session_id TEXT,
    record INTEGER NOT NULL,
    transcription_enabled INTEGER NOT NULL,
    language TEXT NOT NULL,
    flow TEXT,
    failure_reason TEXT,
    hangup_cause TEXT,
    hangup_source TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    has_recording INTEGER NOT NULL DEFAULT 0
);
-- Webhooks find their call by call_control_id; '' means "not dialed yet" and is shared by many calls. Queries
-- repeat the "<> ''" term so that sqlite may use this partial index.
CREATE UNIQUE INDEX calls_call_control_id ON calls (call_control_id) WHERE call_control_id <> '';
-- list_for_session: oldest first.
CREATE INDEX calls_platform_session ON calls (platform, session_id, created_at, id);

-- One row per carrier event id (the idempotency key). processed_at stays NULL until the use-case confirms its
-- follow-up work, so a crash between the two is seen on redelivery. call_id is NULL for events of no known call.
CREATE TABLE call_events (
    id TEXT PRIMARY KEY,
    call_id TEXT REFERENCES calls (id),
    event_type TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    state_after TEXT,
    changed_state INTEGER NOT NULL,
    payload_json TEXT NOT NULL,
    processed_at INTEGER
);
-- events_for_call: ORDER BY occurred_at, received_at, rowid (rowid is implicitly the index's last column).
CREATE INDEX call_events_call_occurred ON call_events (call_id, occurred_at, received_at);

CREATE TABLE call_recordings (
    event_id TEXT PRIMARY KEY REFERENCES call_events (id),
    call_id TEXT NOT NULL REFERENCES calls (id),
    mp3_url TEXT,
    wav_url TEXT,
    started_at INTEGER,
    ended_at INTEGER,
    channels TEXT,
    created_at INTEGER NOT NULL,
    archived_as TEXT  -- our blob key once the audio has been copied out of the carrier's short-lived URL
);
CREATE INDEX call_recordings_call_created ON call_recordings (call_id, created_at);
)sql"},
    Migration{3, "jobs", R"sql(
-- A UNIQUE column allows any number of NULLs in sqlite, so only jobs that name a dedupe_key are deduplicated.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    platform TEXT,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error TEXT,
    run_at INTEGER NOT NULL,
    lease_until INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER
);
-- claim and next_due look at queued jobs by run_at and running jobs by their lease; finished jobs pile up
-- and are never scanned.
CREATE INDEX jobs_status_run_at ON jobs (status, run_at);
CREATE INDEX jobs_status_lease_until ON jobs (status, lease_until);
)sql"},
    Migration{4, "ivr", R"sql(
-- One row per flow document. The primary key serves find (platform, name) and list (platform, ORDER BY name)
-- without a sort; list_all sorts a table of a few dozen rows. version counts puts, for optimistic checks.
CREATE TABLE ivr_flows (
    platform TEXT NOT NULL REFERENCES platforms (id),
    name TEXT NOT NULL,
    source_text TEXT NOT NULL,
    origin TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (platform, name)
);

-- The called-number routing table. number is the primary key across platforms: that is the whole of "a number
-- routes to at most one flow", and it serves route_for on every inbound call. A flow's numbers go with it.
CREATE TABLE ivr_numbers (
    number TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    flow TEXT NOT NULL,
    FOREIGN KEY (platform, flow) REFERENCES ivr_flows (platform, name) ON DELETE CASCADE
);
-- A flow's numbers: read with the flow (find, list), replaced by put, and looked up by the cascade on delete
-- (without it every flow delete would scan the table). The trailing number gives them in order without a sort.
CREATE INDEX ivr_numbers_flow ON ivr_numbers (platform, flow, number);

-- Where each call stands in its flow. Only ever read and written by call_id (the primary key), so no index.
-- state_json is core::ivr::IvrState as a JSON object; version is the compare-and-swap counter of update.
CREATE TABLE ivr_calls (
    call_id TEXT PRIMARY KEY REFERENCES calls (id),
    platform TEXT NOT NULL REFERENCES platforms (id),
    state_json TEXT NOT NULL,
    reply TEXT NOT NULL,
    cursor INTEGER NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
)sql"},
    Migration{5, "transcription", R"sql(
-- Every transcript, whatever asked for it (an API request, a call recording). body_json is the transcription object
-- as the API renders it; the other columns are what lookups and listings need. One transcript per job.
CREATE TABLE transcripts (
    id TEXT PRIMARY KEY,
    platform TEXT NOT NULL REFERENCES platforms (id),
    session_id TEXT,
    call_id TEXT,
    job_id TEXT UNIQUE,
    source TEXT NOT NULL,
    provider TEXT NOT NULL,
    language TEXT,
    duration_ms INTEGER NOT NULL,
    text TEXT NOT NULL,
    body_json TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX transcripts_platform_session ON transcripts (platform, session_id, id);

-- The timeline: one ordered list of messages per session across every channel. Read by (platform, session_id)
-- in id order, which the index serves without a sort; ids sort by creation time.
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    platform TEXT NOT NULL REFERENCES platforms (id),
    session_id TEXT NOT NULL REFERENCES sessions (id),
    channel TEXT NOT NULL,
    direction TEXT NOT NULL,
    author TEXT NOT NULL,
    type TEXT NOT NULL,
    content TEXT NOT NULL,
    language TEXT,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX messages_platform_session_id ON messages (platform, session_id, id);
)sql"},
    Migration{6, "assistant", R"sql(
-- The platforms' knowledge documents (markdown). The index SHANGO searches is rebuilt from them; generation
-- below tells an index that it is stale.
CREATE TABLE knowledge_documents (
    platform TEXT NOT NULL REFERENCES platforms (id),
    name TEXT NOT NULL,
    markdown TEXT NOT NULL,
    origin TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (platform, name)
);
-- One row, bumped by every put and delete of a document, in the same transaction.
CREATE TABLE knowledge_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO knowledge_generation (id, generation) VALUES (1, 0);

-- SHANGO's memory of a session: the persona it speaks as, who owns the conversation, how many answers it gave.
CREATE TABLE assistant_conversations (
    session_id TEXT PRIMARY KEY REFERENCES sessions (id),
    platform TEXT NOT NULL REFERENCES platforms (id),
    persona TEXT NOT NULL,
    owner TEXT NOT NULL,
    agent_id TEXT,
    turns INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
)sql"},
    Migration{7, "messaging", R"sql(
-- Who a customer is on a channel, and which session their next message belongs to.
CREATE TABLE contacts (
    platform TEXT NOT NULL REFERENCES platforms (id),
    channel TEXT NOT NULL,
    identity TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    vendor_contact_id TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (platform, channel, identity)
);
CREATE INDEX contacts_session ON contacts (platform, session_id, updated_at);
-- A caller who then texts continues the call's session: active sessions by number, newest first.
CREATE INDEX sessions_platform_phone ON sessions (platform, phone_number, id) WHERE phone_number IS NOT NULL;

-- Messages we send, and what the vendor calls them once it has them (delivery reports carry that id).
CREATE TABLE message_deliveries (
    message_id TEXT PRIMARY KEY REFERENCES messages (id),
    platform TEXT NOT NULL REFERENCES platforms (id),
    session_id TEXT NOT NULL REFERENCES sessions (id),
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    vendor TEXT,
    vendor_message_id TEXT,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX message_deliveries_vendor ON message_deliveries (vendor, vendor_message_id)
    WHERE vendor_message_id IS NOT NULL;

-- Inbound messaging events already applied: a vendor's retry of one appends nothing.
CREATE TABLE channel_events (
    event_id TEXT PRIMARY KEY,
    received_at INTEGER NOT NULL
);

-- Sessions continued on the other platform (a claimed hand-off token): visible to both, one timeline.
CREATE TABLE session_links (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    platform TEXT NOT NULL REFERENCES platforms (id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, platform)
);
CREATE INDEX session_links_platform ON session_links (platform, session_id);

-- Keys usable once until they expire: webhook nonces, hand-off tokens.
CREATE TABLE replay_marks (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
CREATE INDEX replay_marks_expires ON replay_marks (expires_at);
)sql"},
    Migration{8, "live events", R"sql(
-- What consoles and widgets watch as it happens (GET /api/events, /api/events/ws), in one sequence that every
-- instance sharing the database reads. Changes to messages, calls and sessions are logged by triggers, in the
-- transaction that makes them: no writer can forget to announce one, and a rolled-back change announces nothing.
-- Events with no row of their own (typing, who owns a conversation) are inserted with their data.
CREATE TABLE live_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL,
    type TEXT NOT NULL,
    session_id TEXT NOT NULL,
    subject_id TEXT NOT NULL DEFAULT '',
    data TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX live_events_created ON live_events (created_at);

CREATE TRIGGER live_message_added AFTER INSERT ON messages BEGIN
    INSERT INTO live_events (platform, type, session_id, subject_id, created_at)
    VALUES (NEW.platform, 'message', NEW.session_id, NEW.id, NEW.created_at);
END;
CREATE TRIGGER live_message_status AFTER UPDATE OF status ON messages WHEN OLD.status IS NOT NEW.status BEGIN
    INSERT INTO live_events (platform, type, session_id, subject_id, data, created_at)
    VALUES (NEW.platform, 'message.status', NEW.session_id, NEW.id,
            json_object('messageId', NEW.id, 'sessionId', NEW.session_id, 'status', NEW.status, 'reason',
                        json_extract(NEW.metadata, '$.failureReason')),
            CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER live_call_added AFTER INSERT ON calls BEGIN
    INSERT INTO live_events (platform, type, session_id, subject_id, data, created_at)
    VALUES (NEW.platform, 'call.state', NEW.session_id, NEW.id,
            json_object('callId', NEW.id, 'sessionId', NEW.session_id, 'state', NEW.state, 'direction', NEW.direction,
                        'from', NEW.from_number, 'to', NEW.to_number),
            NEW.updated_at);
END;
CREATE TRIGGER live_call_state AFTER UPDATE OF state ON calls WHEN OLD.state IS NOT NEW.state BEGIN
    INSERT INTO live_events (platform, type, session_id, subject_id, data, created_at)
    VALUES (NEW.platform, 'call.state', NEW.session_id, NEW.id,
            json_object('callId', NEW.id, 'sessionId', NEW.session_id, 'state', NEW.state, 'direction', NEW.direction,
                        'from', NEW.from_number, 'to', NEW.to_number, 'hangupCause', NEW.hangup_cause),
            NEW.updated_at);
END;
CREATE TRIGGER live_session_added AFTER INSERT ON sessions BEGIN
    INSERT INTO live_events (platform, type, session_id, subject_id, data, created_at)
    VALUES (NEW.platform, 'session.status', NEW.id, NEW.id,
            json_object('sessionId', NEW.id, 'status', NEW.status, 'channel', NEW.channel),
            NEW.start_time);
END;
CREATE TRIGGER live_session_status AFTER UPDATE OF status ON sessions WHEN OLD.status IS NOT NEW.status BEGIN
    INSERT INTO live_events (platform, type, session_id, subject_id, data, created_at)
    VALUES (NEW.platform, 'session.status', NEW.id, NEW.id,
            json_object('sessionId', NEW.id, 'status', NEW.status, 'channel', NEW.channel),
            CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
)sql"},
};

constexpr std::string_view kCreateSchemaMigrations = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
)
)sql";

core::Result<int> highest_applied(Connection& connection) {
    auto statement =
        connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "read schema version");
    if (!statement) return std::move(statement).error();
    auto row = statement->step();
    if (!row) return std::move(row).error();
    return static_cast<int>(statement->int64(0));
}

core::Result<bool> is_applied(Connection& connection, int version) {
    auto statement = connection.prepare("SELECT 1 FROM schema_migrations WHERE version = ?", "read schema_migrations");
    if (!statement) return std::move(statement).error();
    statement->bind_all(version);
    return statement->step();
}

core::Status check_order(std::span<const Migration> migrations) {
    int previous = 0;
    for (const Migration& migration : migrations) {
        if (migration.version <= previous) {
            return core::Error::internal(fmt::format(
                "database: migrate failed: migration {} \"{}\" is out of order (versions must increase from 1)",
                migration.version, migration.name));
        }
        previous = migration.version;
    }
    return {};
}

// Runs one migration unless it is already applied; true when it ran.
core::Result<bool> apply(Connection& connection, const Migration& migration, const core::Clock& clock) {
    auto applied = connection.transaction("apply migration", [&](Connection& c) -> core::Result<bool> {
        // Checked again under the write lock: another process may have applied it since we looked.
        auto done = is_applied(c, migration.version);
        if (!done) return std::move(done).error();
        if (done.value()) return false;
        if (auto ran = c.exec_script(migration.sql, "run migration"); !ran) return std::move(ran).error();
        if (auto recorded =
                c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                          "record migration", migration.version, migration.name, core::to_unix_ms(clock.now()));
            !recorded) {
            return std::move(recorded).error();
        }
        return true;
    });
    if (!applied) {
        core::Error error = std::move(applied).error();
        error.message = fmt::format("migration {} \"{}\" failed: {}", migration.version, migration.name, error.message);
        return std::move(error)
            .with("migration_version", std::to_string(migration.version))
            .with("migration_name", std::string(migration.name));
    }
    return applied;
}

}  // namespace

std::span<const Migration> sqlite_migrations() { return kMigrations; }

core::Result<int> migrate(SqliteDatabase& db, std::span<const Migration> migrations, const core::Clock& clock) {
    if (auto ordered = check_order(migrations); !ordered) return std::move(ordered).error();
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    return db.with_connection([&](Connection& connection) -> core::Result<int> {
        if (auto created = connection.exec_script(kCreateSchemaMigrations, "create schema_migrations"); !created) {
            return std::move(created).error();
        }
        auto current = highest_applied(connection);
        if (!current) return current;
        if (current.value() > latest) {
            // Running old code on a newer schema could silently corrupt data; the operator must upgrade instead.
            return core::Error::internal(
                       fmt::format(
                           "database schema version {} is newer than this build of crossvoice knows (latest {}); "
                           "run a newer crossvoice or point it at another database",
                           current.value(), latest))
                .with("database_version", std::to_string(current.value()))
                .with("known_version", std::to_string(latest));
        }
        for (const Migration& migration : migrations) {
            auto applied = apply(connection, migration, clock);
            if (!applied) return std::move(applied).error();
            if (applied.value()) {
                logger()->info("database: applied migration {} \"{}\"", migration.version, migration.name);
            }
        }
        return highest_applied(connection);
    });
}

core::Result<int> migrate(SqliteDatabase& db) {
    const core::SystemClock clock;
    return migrate(db, sqlite_migrations(), clock);
}

core::Result<int> schema_version(SqliteDatabase& db) {
    return db.with_connection([](Connection& connection) -> core::Result<int> {
        auto exists = connection.prepare(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", "read schema version");
        if (!exists) return std::move(exists).error();
        auto row = exists->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return 0;
        return highest_applied(connection);
    });
}

}  // namespace crossvoice::storage
