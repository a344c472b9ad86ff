#include "store_backends.hpp"

#include <stdexcept>

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
};

}  // namespace

std::vector<BackendFactory> store_backends() {
    return {
        {"Sqlite", [] { return std::unique_ptr<StoreBackend>(std::make_unique<SqliteBackend>()); }},
    };
}

}  // namespace crossvoice::contract
