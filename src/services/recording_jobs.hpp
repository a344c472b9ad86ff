#pragma once

#include <string_view>

#include "core/job.hpp"
#include "core/ports/blob_store.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/http_client.hpp"
#include "core/result.hpp"
#include "services/job_runner.hpp"

namespace crossvoice::services {

inline constexpr std::string_view kRecordingTranscribeJob = "recording.transcribe";

// The recording.fetch job: carrier recording URLs expire (Telnyx: 10 minutes), so the audio is copied into
// our own blob store as soon as the recording is reported, then the transcription job is queued when the
// call asked for one. Retried on any failure, including 4xx: a just-saved recording can briefly answer 404
// while the carrier's storage catches up.
class RecordingFetcher {
  public:
    RecordingFetcher(core::ports::HttpClient& http, core::ports::BlobStore& blobs, core::ports::CallStore& calls,
                     JobRunner& jobs)
        : http_(http), blobs_(blobs), calls_(calls), jobs_(jobs) {}

    core::Status run(const core::Job& job);

    static constexpr std::size_t kMaxRecordingBytes = 200 * 1024 * 1024;

  private:
    core::ports::HttpClient& http_;
    core::ports::BlobStore& blobs_;
    core::ports::CallStore& calls_;
    JobRunner& jobs_;
};

}  // namespace crossvoice::services
