#include "app/store_set.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "storage/postgres/pg_api_key_store.hpp"
#include "storage/postgres/pg_assistant_store.hpp"
#include "storage/postgres/pg_audit_store.hpp"
#include "storage/postgres/pg_call_store.hpp"
#include "storage/postgres/pg_database.hpp"
#include "storage/postgres/pg_flow_store.hpp"
#include "storage/postgres/pg_ivr_call_store.hpp"
#include "storage/postgres/pg_job_queue.hpp"
#include "storage/postgres/pg_knowledge_store.hpp"
#include "storage/postgres/pg_live_event_log.hpp"
#include "storage/postgres/pg_message_store.hpp"
#include "storage/postgres/pg_migrations.hpp"
#include "storage/postgres/pg_readiness.hpp"
#include "storage/postgres/pg_replay_guard.hpp"
#include "storage/postgres/pg_session_store.hpp"
#include "storage/postgres/pg_transcript_store.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_api_key_store.hpp"
#include "storage/sqlite/sqlite_assistant_store.hpp"
#include "storage/sqlite/sqlite_audit_store.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_flow_store.hpp"
#include "storage/sqlite/sqlite_ivr_call_store.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_knowledge_store.hpp"
#include "storage/sqlite/sqlite_live_event_log.hpp"
#include "storage/sqlite/sqlite_message_store.hpp"
#include "storage/sqlite/sqlite_readiness.hpp"
#include "storage/sqlite/sqlite_replay_guard.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "storage/sqlite/sqlite_transcript_store.hpp"

namespace crossvoice::app {
namespace {

core::Status create_directory(const std::string& path, std::string_view variable) {
    if (path.empty()) return {};
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
        return core::Error::validation(std::string(variable),
                                       fmt::format("{}: cannot create '{}': {}", variable, path, ec.message()));
    }
    return {};
}

bool is_postgres(const Config& config) { return !config.postgres_url.empty(); }

// Both backends' stores are built the same way; only the classes differ.
template <typename Db, typename Sessions, typename Keys, typename Audit, typename Calls, typename Jobs, typename Flows,
          typename IvrCalls, typename Transcripts, typename Knowledge, typename Assistant, typename LiveLog,
          typename Messages, typename Replay, typename Readiness>
std::unique_ptr<StoreSet> build(std::string backend, std::string location, std::shared_ptr<Db> db) {
    auto set = std::make_unique<StoreSet>();
    set->backend = std::move(backend);
    set->location = std::move(location);
    Db& database = *db;
    set->database = db;
    set->sessions = std::make_unique<Sessions>(database);
    set->api_keys = std::make_unique<Keys>(database);
    set->audit = std::make_unique<Audit>(database);
    set->calls = std::make_unique<Calls>(database);
    auto jobs = std::make_unique<Jobs>(database);
    set->delivered_jobs = jobs.get();
    set->jobs = std::move(jobs);
    set->flows = std::make_unique<Flows>(database);
    set->ivr_calls = std::make_unique<IvrCalls>(database);
    auto transcripts = std::make_shared<Transcripts>(database);
    set->transcripts = std::make_unique<TranscriptsAndTimeline>(*transcripts, *transcripts);
    set->transcript_adapter = std::move(transcripts);
    set->knowledge = std::make_unique<Knowledge>(database);
    set->assistant = std::make_unique<Assistant>(database);
    set->live_events = std::make_unique<LiveLog>(database);
    set->messages = std::make_unique<Messages>(database);
    set->replay_guard = std::make_unique<Replay>(database);
    set->readiness = std::make_unique<Readiness>(database);
    return set;
}

core::Result<std::shared_ptr<storage::SqliteDatabase>> open_sqlite(const Config& config) {
    if (auto created = create_directory(config.data_dir, "CROSSVOICE_DATA_DIR"); !created) {
        return std::move(created).error();
    }
    if (auto created =
            create_directory(std::filesystem::path(config.sqlite_path).parent_path().string(), "DATABASE_URL");
        !created) {
        return std::move(created).error();
    }
    auto db = storage::SqliteDatabase::open(config.sqlite_path, config.db_pool_size);
    if (!db) return std::move(db).error();
    return std::shared_ptr<storage::SqliteDatabase>(std::move(db).value());
}

core::Result<std::shared_ptr<storage::PgDatabase>> open_postgres(const Config& config) {
    // The data directory still holds the development keys file and recordings.
    if (auto created = create_directory(config.data_dir, "CROSSVOICE_DATA_DIR"); !created) {
        return std::move(created).error();
    }
    auto db = storage::PgDatabase::open(config.postgres_url, config.db_pool_size);
    if (!db) return std::move(db).error();
    return std::shared_ptr<storage::PgDatabase>(std::move(db).value());
}

}  // namespace

core::Result<std::unique_ptr<StoreSet>> open_stores(const Config& config) {
    if (is_postgres(config)) {
        auto db = open_postgres(config);
        if (!db) return std::move(db).error();
        if (auto migrated = storage::migrate(**db); !migrated) return std::move(migrated).error();
        std::string location = (*db)->display_url();
        return build<storage::PgDatabase, storage::PgSessionStore, storage::PgApiKeyStore, storage::PgAuditStore,
                     storage::PgCallStore, storage::PgJobQueue, storage::PgFlowStore, storage::PgIvrCallStore,
                     storage::PgTranscriptStore, storage::PgKnowledgeStore, storage::PgAssistantStore,
                     storage::PgLiveEventLog, storage::PgMessageStore, storage::PgReplayGuard, storage::PgReadiness>(
            "postgres", std::move(location), std::move(db).value());
    }
    auto db = open_sqlite(config);
    if (!db) return std::move(db).error();
    if (auto migrated = storage::migrate(**db); !migrated) return std::move(migrated).error();
    return build<storage::SqliteDatabase, storage::SqliteSessionStore, storage::SqliteApiKeyStore,
                 storage::SqliteAuditStore, storage::SqliteCallStore, storage::SqliteJobQueue, storage::SqliteFlowStore,
                 storage::SqliteIvrCallStore, storage::SqliteTranscriptStore, storage::SqliteKnowledgeStore,
                 storage::SqliteAssistantStore, storage::SqliteLiveEventLog, storage::SqliteMessageStore,
                 storage::SqliteReplayGuard, storage::SqliteReadiness>("sqlite", config.sqlite_path,
                                                                       std::move(db).value());
}

core::Result<MigrationOutcome> migrate_database(const Config& config) {
    MigrationOutcome outcome;
    auto run = [&](auto& db) -> core::Status {
        auto before = storage::schema_version(db);
        if (!before) return std::move(before).error();
        outcome.before = *before;
        auto after = storage::migrate(db);
        if (!after) {
            core::Error error = std::move(after).error();
            error.message = "migration failed: " + error.message;
            return error;
        }
        outcome.after = *after;
        return {};
    };
    if (is_postgres(config)) {
        auto db = open_postgres(config);
        if (!db) return std::move(db).error();
        outcome.location = (*db)->display_url();
        if (auto done = run(**db); !done) return std::move(done).error();
        return outcome;
    }
    auto db = open_sqlite(config);
    if (!db) return std::move(db).error();
    outcome.location = config.sqlite_path;
    if (auto done = run(**db); !done) return std::move(done).error();
    return outcome;
}

}  // namespace crossvoice::app
