#include "store_backends.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

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
#include "storage/sqlite/sqlite_replay_guard.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "storage/sqlite/sqlite_transcript_store.hpp"
#include "support/fake_clock.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::contract {
namespace {

// A throw-away database file in its own temp directory, with the production pool size so that the concurrency
// tests contend the way the service does.
class SqliteBackend final : public StoreBackend {
  public:
    SqliteBackend() {
        auto opened = storage::SqliteDatabase::open((dir_.path() / "crossvoice.db").string(),
                                                    storage::SqliteDatabase::kDefaultPoolSize);
        if (!opened) throw std::runtime_error(opened.error().message);
        db_ = std::move(opened).value();
        const testing::FakeClock clock;
        auto migrated = storage::migrate(*db_, storage::sqlite_migrations(), clock);
        if (!migrated) throw std::runtime_error(migrated.error().message);
        sessions_ = std::make_unique<storage::SqliteSessionStore>(*db_);
        api_keys_ = std::make_unique<storage::SqliteApiKeyStore>(*db_);
        audit_ = std::make_unique<storage::SqliteAuditStore>(*db_);
        calls_ = std::make_unique<storage::SqliteCallStore>(*db_);
        jobs_ = std::make_unique<storage::SqliteJobQueue>(*db_);
        flows_ = std::make_unique<storage::SqliteFlowStore>(*db_);
        ivr_calls_ = std::make_unique<storage::SqliteIvrCallStore>(*db_);
        transcripts_ = std::make_unique<storage::SqliteTranscriptStore>(*db_);
        knowledge_ = std::make_unique<storage::SqliteKnowledgeStore>(*db_);
        assistant_ = std::make_unique<storage::SqliteAssistantStore>(*db_);
        messages_ = std::make_unique<storage::SqliteMessageStore>(*db_);
        live_events_ = std::make_unique<storage::SqliteLiveEventLog>(*db_);
        replay_guard_ = std::make_unique<storage::SqliteReplayGuard>(*db_);
    }

    core::ports::SessionStore& sessions() override { return *sessions_; }
    core::ports::ApiKeyStore& api_keys() override { return *api_keys_; }
    core::ports::AuditStore& audit() override { return *audit_; }
    core::ports::CallStore& calls() override { return *calls_; }
    core::ports::JobQueue& jobs() override { return *jobs_; }
    core::ports::FlowStore& flows() override { return *flows_; }
    core::ports::IvrCallStore& ivr_calls() override { return *ivr_calls_; }
    core::ports::TranscriptStore& transcripts() override { return *transcripts_; }
    core::ports::TimelineStore& timeline() override { return *transcripts_; }
    core::ports::KnowledgeStore& knowledge() override { return *knowledge_; }
    core::ports::AssistantStore& assistant() override { return *assistant_; }
    core::ports::MessageStore& messages() override { return *messages_; }
    core::ports::LiveEventLog& live_events() override { return *live_events_; }
    core::ports::ReplayGuard& replay_guard() override { return *replay_guard_; }

  private:
    // Declared first so that it is removed last, after the database is closed.
    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_;
    std::unique_ptr<storage::SqliteSessionStore> sessions_;
    std::unique_ptr<storage::SqliteApiKeyStore> api_keys_;
    std::unique_ptr<storage::SqliteAuditStore> audit_;
    std::unique_ptr<storage::SqliteCallStore> calls_;
    std::unique_ptr<storage::SqliteJobQueue> jobs_;
    std::unique_ptr<storage::SqliteFlowStore> flows_;
    std::unique_ptr<storage::SqliteIvrCallStore> ivr_calls_;
    std::unique_ptr<storage::SqliteTranscriptStore> transcripts_;
    std::unique_ptr<storage::SqliteKnowledgeStore> knowledge_;
    std::unique_ptr<storage::SqliteAssistantStore> assistant_;
    std::unique_ptr<storage::SqliteMessageStore> messages_;
    std::unique_ptr<storage::SqliteLiveEventLog> live_events_;
    std::unique_ptr<storage::SqliteReplayGuard> replay_guard_;
};

constexpr const char* kPostgresUrlVariable = "CROSSVOICE_TEST_POSTGRES_URL";

std::string postgres_admin_url() {
    const char* url = std::getenv(kPostgresUrlVariable);
    return url == nullptr ? std::string() : std::string(url);
}

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
}

// Runs one statement that cannot run in a transaction (CREATE/DROP DATABASE) on the server's admin database.
void admin(const std::string& admin_url, const std::string& sql) {
    auto db = storage::PgDatabase::open(admin_url, 1);
    if (!db) throw std::runtime_error(db.error().message);
    auto done = (*db)->with_connection([&](storage::PgConnection& c) { return c.exec_script(sql, "administer"); });
    if (!done) throw std::runtime_error(done.error().message + " (" + sql + ")");
}

// One migrated template database per test process (cv_tpl_<pid>), copied for each test: migrating once and
// copying is much cheaper than migrating every test's database. Dropped when the process exits.
class PostgresTemplate {
  public:
    static PostgresTemplate& get(const std::string& admin_url) {
        static PostgresTemplate instance(admin_url);
        return instance;
    }

    // A new database copied from the template; returns its name.
    std::string copy() {
        const std::string name = "cv_t_" + std::to_string(::getpid()) + "_" + std::to_string(++copies_);
        // FILE_COPY: copying the few files of a small template beats PostgreSQL 15's default (WAL_LOG, block by block)
        // several times over.
        admin(admin_url_, "CREATE DATABASE " + name + " TEMPLATE " + name_ + " STRATEGY FILE_COPY");
        return name;
    }

    ~PostgresTemplate() {
        try {
            admin(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (...) {  // NOLINT: the server may be gone already at exit; it is a throw-away one
        }
    }

  private:
    explicit PostgresTemplate(std::string admin_url)
        : admin_url_(std::move(admin_url)), name_("cv_tpl_" + std::to_string(::getpid())) {
        admin(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        // template0 with the C locale: nothing another test process does to template1 can get in the way.
        admin(admin_url_,
              "CREATE DATABASE " + name_ + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        auto db = storage::PgDatabase::open(storage::postgres_url_with_database(admin_url_, name_), 1);
        if (!db) throw std::runtime_error(db.error().message);
        const testing::FakeClock clock;
        auto migrated = storage::migrate(**db, storage::postgres_migrations(), clock);
        if (!migrated) throw std::runtime_error(migrated.error().message);
    }

    std::string admin_url_;
    std::string name_;
    std::atomic<int> copies_{0};
};

// A fresh database per test, copied from the migrated template and dropped (WITH (FORCE)) afterwards, with the
// production pool size so that the concurrency tests contend the way the service does.
class PostgresBackend final : public StoreBackend {
  public:
    PostgresBackend() : admin_url_(postgres_admin_url()) {
        if (admin_url_.empty()) throw std::runtime_error(std::string(kPostgresUrlVariable) + " is not set");
        static std::mutex creating;  // the template is made once, by the first test of the process
        {
            std::lock_guard lock(creating);
            name_ = PostgresTemplate::get(admin_url_).copy();
        }
        auto opened = storage::PgDatabase::open(storage::postgres_url_with_database(admin_url_, name_),
                                                storage::PgDatabase::kDefaultPoolSize);
        if (!opened) throw std::runtime_error(opened.error().message);
        db_ = std::move(opened).value();
        sessions_ = std::make_unique<storage::PgSessionStore>(*db_);
        api_keys_ = std::make_unique<storage::PgApiKeyStore>(*db_);
        audit_ = std::make_unique<storage::PgAuditStore>(*db_);
        calls_ = std::make_unique<storage::PgCallStore>(*db_);
        jobs_ = std::make_unique<storage::PgJobQueue>(*db_);
        flows_ = std::make_unique<storage::PgFlowStore>(*db_);
        ivr_calls_ = std::make_unique<storage::PgIvrCallStore>(*db_);
        transcripts_ = std::make_unique<storage::PgTranscriptStore>(*db_);
        knowledge_ = std::make_unique<storage::PgKnowledgeStore>(*db_);
        assistant_ = std::make_unique<storage::PgAssistantStore>(*db_);
        messages_ = std::make_unique<storage::PgMessageStore>(*db_);
        live_events_ = std::make_unique<storage::PgLiveEventLog>(*db_);
        replay_guard_ = std::make_unique<storage::PgReplayGuard>(*db_);
    }

    ~PostgresBackend() override {
        db_.reset();  // the stores hold references only; the pool's connections close here
        try {
            admin(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (...) {  // NOLINT: a database left behind lives on a throw-away server
        }
    }

    core::ports::SessionStore& sessions() override { return *sessions_; }
    core::ports::ApiKeyStore& api_keys() override { return *api_keys_; }
    core::ports::AuditStore& audit() override { return *audit_; }
    core::ports::CallStore& calls() override { return *calls_; }
    core::ports::JobQueue& jobs() override { return *jobs_; }
    core::ports::FlowStore& flows() override { return *flows_; }
    core::ports::IvrCallStore& ivr_calls() override { return *ivr_calls_; }
    core::ports::TranscriptStore& transcripts() override { return *transcripts_; }
    core::ports::TimelineStore& timeline() override { return *transcripts_; }
    core::ports::KnowledgeStore& knowledge() override { return *knowledge_; }
    core::ports::AssistantStore& assistant() override { return *assistant_; }
    core::ports::MessageStore& messages() override { return *messages_; }
    core::ports::LiveEventLog& live_events() override { return *live_events_; }
    core::ports::ReplayGuard& replay_guard() override { return *replay_guard_; }

  private:
    std::string admin_url_;
    std::string name_;
    std::unique_ptr<storage::PgDatabase> db_;
    std::unique_ptr<storage::PgSessionStore> sessions_;
    std::unique_ptr<storage::PgApiKeyStore> api_keys_;
    std::unique_ptr<storage::PgAuditStore> audit_;
    std::unique_ptr<storage::PgCallStore> calls_;
    std::unique_ptr<storage::PgJobQueue> jobs_;
    std::unique_ptr<storage::PgFlowStore> flows_;
    std::unique_ptr<storage::PgIvrCallStore> ivr_calls_;
    std::unique_ptr<storage::PgTranscriptStore> transcripts_;
    std::unique_ptr<storage::PgKnowledgeStore> knowledge_;
    std::unique_ptr<storage::PgAssistantStore> assistant_;
    std::unique_ptr<storage::PgMessageStore> messages_;
    std::unique_ptr<storage::PgLiveEventLog> live_events_;
    std::unique_ptr<storage::PgReplayGuard> replay_guard_;
};

}  // namespace

std::vector<BackendFactory> store_backends() {
    return {
        {"Sqlite", [] { return std::unique_ptr<StoreBackend>(std::make_unique<SqliteBackend>()); },
         [] { return std::string(); }},
        {"Postgres", [] { return std::unique_ptr<StoreBackend>(std::make_unique<PostgresBackend>()); },
         [] {
             if (!postgres_admin_url().empty() || in_ci()) return std::string();
             return std::string(kPostgresUrlVariable) +
                    " is not set (run under scripts/with-test-servers.sh to test the PostgreSQL adapters)";
         }},
    };
}

}  // namespace crossvoice::contract
