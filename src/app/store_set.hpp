#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "core/ports/api_key_store.hpp"
#include "core/ports/assistant_store.hpp"
#include "core/ports/audit_store.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/delivered_jobs.hpp"
#include "core/ports/flow_store.hpp"
#include "core/ports/ivr_call_store.hpp"
#include "core/ports/job_queue.hpp"
#include "core/ports/knowledge_store.hpp"
#include "core/ports/live_event_log.hpp"
#include "core/ports/message_store.hpp"
#include "core/ports/readiness.hpp"
#include "core/ports/replay_guard.hpp"
#include "core/ports/session_store.hpp"
#include "core/ports/transcript_store.hpp"
#include "core/result.hpp"

namespace crossvoice::app {

// A transcript store is also the timeline it writes (one adapter object in every backend); use-cases take it as
// either port, so the runtime holds it as both.
class TranscriptsAndTimeline final : public core::ports::TranscriptStore, public core::ports::TimelineStore {
  public:
    TranscriptsAndTimeline(core::ports::TranscriptStore& transcripts, core::ports::TimelineStore& timeline)
        : transcripts_(transcripts), timeline_(timeline) {}

    core::Status save(const core::ports::StoredTranscript& transcript,
                      const std::vector<core::TimelineMessage>& timeline) override {
        return transcripts_.save(transcript, timeline);
    }
    core::Result<std::optional<core::ports::StoredTranscript>> find(core::Platform platform,
                                                                    const std::string& id) override {
        return transcripts_.find(platform, id);
    }
    core::Result<std::optional<core::ports::StoredTranscript>> find_by_job(core::Platform platform,
                                                                           const std::string& job_id) override {
        return transcripts_.find_by_job(platform, job_id);
    }
    core::Result<std::vector<core::TimelineMessage>> list(const core::ports::TimelineQuery& query) override {
        return timeline_.list(query);
    }

  private:
    core::ports::TranscriptStore& transcripts_;
    core::ports::TimelineStore& timeline_;
};

// Every store port on one database, chosen by DATABASE_URL's scheme: SQLite (sqlite:PATH, the one-machine default)
// or PostgreSQL (postgres://…, shared by several instances). Above this, nothing knows which.
struct StoreSet {
    std::string backend;   // "sqlite" or "postgres": what /readyz and /api/voice/integration/status report
    std::string location;  // the file, or the URL without its password: for messages
    // The connection pool the stores below borrow from. Declared first, so it is destroyed last.
    std::shared_ptr<void> database;
    std::unique_ptr<core::ports::SessionStore> sessions;
    std::unique_ptr<core::ports::ApiKeyStore> api_keys;
    std::unique_ptr<core::ports::AuditStore> audit;
    std::unique_ptr<core::ports::CallStore> calls;
    std::unique_ptr<core::ports::JobQueue> jobs;
    core::ports::DeliveredJobs* delivered_jobs = nullptr;  // the same adapter as `jobs`
    std::unique_ptr<core::ports::FlowStore> flows;
    std::unique_ptr<core::ports::IvrCallStore> ivr_calls;
    std::shared_ptr<void> transcript_adapter;  // owns the adapter `transcripts` forwards to
    std::unique_ptr<TranscriptsAndTimeline> transcripts;
    std::unique_ptr<core::ports::KnowledgeStore> knowledge;
    std::unique_ptr<core::ports::AssistantStore> assistant;
    std::unique_ptr<core::ports::LiveEventLog> live_events;
    std::unique_ptr<core::ports::MessageStore> messages;
    std::unique_ptr<core::ports::ReplayGuard> replay_guard;
    std::unique_ptr<core::ports::ReadinessProbe> readiness;  // "database": a connection and SELECT 1
};

// Opens the database of DATABASE_URL (creating CROSSVOICE_DATA_DIR, and a SQLite file's directory), applies pending
// migrations and builds the stores on it. A PostgreSQL server that cannot be reached is an error naming it.
core::Result<std::unique_ptr<StoreSet>> open_stores(const Config& config);

// `crossvoice migrate`: the schema version before and after applying this build's migrations.
struct MigrationOutcome {
    std::string location;
    int before = 0;
    int after = 0;
};
core::Result<MigrationOutcome> migrate_database(const Config& config);

}  // namespace crossvoice::app
