#pragma once

#include "core/ports/transcript_store.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// TranscriptStore and TimelineStore on PostgreSQL's `transcripts` and `messages` tables. save() is one
// transaction: the transcript, its timeline messages and the session's has_transcription mark land together or
// not at all.
class PgTranscriptStore final : public core::ports::TranscriptStore, public core::ports::TimelineStore {
  public:
    explicit PgTranscriptStore(PgDatabase& db) : db_(db) {}

    core::Status save(const core::ports::StoredTranscript& transcript,
                      const std::vector<core::TimelineMessage>& timeline) override;
    core::Result<std::optional<core::ports::StoredTranscript>> find(core::Platform platform,
                                                                    const std::string& id) override;
    core::Result<std::optional<core::ports::StoredTranscript>> find_by_job(core::Platform platform,
                                                                           const std::string& job_id) override;
    core::Result<std::vector<core::TimelineMessage>> list(const core::ports::TimelineQuery& query) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
