#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/message.hpp"
#include "core/platform.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// A finished transcript as kept: the searchable columns, and the whole transcription object as the API renders
// it (already redacted when the platform redacts before storage, so raw PII is never written).
struct StoredTranscript {
    std::string id;  // "trn_…"
    Platform platform = Platform::kTetrix;
    std::optional<std::string> session_id;
    std::optional<std::string> call_id;
    std::optional<std::string> job_id;  // the job that produced it (async requests, call recordings)
    std::string source;                 // "upload", "url", "recording"
    std::string provider;
    std::optional<std::string> language;
    double duration = 0;
    std::string text;
    std::string body_json;
    TimePoint created_at{};
};

// Transcripts, always scoped to one platform.
class TranscriptStore {
  public:
    virtual ~TranscriptStore() = default;
    // One unit of work: stores the transcript and, when it belongs to a session, appends `timeline` to the
    // session's timeline and marks the session has_transcription. A session_id unknown on the platform is
    // kNotFound and nothing is written; a second transcript for the same job_id is kConflict.
    virtual Status save(const StoredTranscript& transcript, const std::vector<TimelineMessage>& timeline) = 0;
    virtual Result<std::optional<StoredTranscript>> find(Platform platform, const std::string& id) = 0;
    virtual Result<std::optional<StoredTranscript>> find_by_job(Platform platform, const std::string& job_id) = 0;
};

struct TimelineQuery {
    Platform platform = Platform::kTetrix;
    std::string session_id;
    int limit = 50;
    std::optional<std::string> after_id;  // cursor: messages with a larger (newer) id
    bool newest = false;                  // the `limit` newest messages (after after_id), still oldest first
};

// Reading a session's timeline (oldest first). Writers are the use-cases' own unit-of-work stores.
class TimelineStore {
  public:
    virtual ~TimelineStore() = default;
    virtual Result<std::vector<TimelineMessage>> list(const TimelineQuery& query) = 0;
};

}  // namespace crossvoice::core::ports
