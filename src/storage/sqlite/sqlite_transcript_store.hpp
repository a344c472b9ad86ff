#pragma once

#include "core/ports/transcript_store.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// TranscriptStore and TimelineStore on the `transcripts` and `messages` tables. save() is one BEGIN IMMEDIATE
// transaction: the transcript, its timeline messages and the session's has_transcription mark land together or
// not at all.
class SqliteTranscriptStore final : public core::ports::TranscriptStore, public core::ports::TimelineStore {
  public:
    explicit SqliteTranscriptStore(SqliteDatabase& db) : db_(db) {}

    core::Status save(const core::ports::StoredTranscript& transcript,
                      const std::vector<core::TimelineMessage>& timeline) override;
    core::Result<std::optional<core::ports::StoredTranscript>> find(core::Platform platform,
                                                                    const std::string& id) override;
    core::Result<std::optional<core::ports::StoredTranscript>> find_by_job(core::Platform platform,
                                                                           const std::string& job_id) override;
    core::Result<std::vector<core::TimelineMessage>> list(const core::ports::TimelineQuery& query) override;

  private:
    SqliteDatabase& db_;
};

}  // namespace crossvoice::storage
