#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/api_key.hpp"
#include "core/job.hpp"
#include "core/ports/audio_decoder.hpp"
#include "core/ports/blob_store.hpp"
#include "core/ports/call_store.hpp"
#include "core/ports/crypto.hpp"
#include "core/ports/http_client.hpp"
#include "core/ports/session_store.hpp"
#include "core/ports/speech_to_text.hpp"
#include "core/ports/transcript_pipeline.hpp"
#include "core/ports/transcript_store.hpp"
#include "core/result.hpp"
#include "services/audio_fetcher.hpp"
#include "services/id_generator.hpp"
#include "services/job_runner.hpp"
#include "services/transcription_request.hpp"
#include "services/voice_metrics.hpp"

namespace crossvoice::services {

inline constexpr std::string_view kTranscriptionJob = "transcription.run";
inline constexpr std::string_view kTranscriptionCallbackJob = "transcription.callback";
inline constexpr std::string_view kTranscriptIdPrefix = "trn";

struct TranscriptionSettings {
    std::string default_provider = "pocketsphinx";
    double sync_max_seconds = 120;  // longer audio is transcribed by a job (202)
    core::ports::DecodeLimits limits;
    AudioFetchLimits fetch;
    // Classes each platform redacts before anything is stored (CROSSVOICE_REDACT_TETRIX, …).
    std::map<core::Platform, std::vector<std::string>> platform_redaction;
    // Signs callback deliveries (X-Crossvoice-Signature); unsigned when empty.
    std::string callback_secret;
};

// One engine by name ("deepgram", "pocketsphinx", "openai").
using SpeechEngines = std::map<std::string, core::ports::SpeechToText*, std::less<>>;

// What a transcription request led to: a stored transcript (answered now) or a queued job (answered later).
struct TranscribeOutcome {
    bool queued = false;
    std::string job_id;
    std::string transcript_id;
    std::optional<std::string> session_id;
    nlohmann::json transcription;  // null while queued
};

struct TranscriptionJobView {
    core::Job job;
    std::optional<core::ports::StoredTranscript> transcript;
};

// The transcription use-case: audio from an upload, a URL or a call recording → decode → speech-to-text →
// language pipeline → stored transcript on the session's timeline. Blocking; runs on worker threads.
class TranscriptionService {
  public:
    TranscriptionService(TranscriptionSettings settings, SpeechEngines engines,
                         const core::ports::AudioDecoder& decoder, core::ports::TranscriptPipeline& pipeline,
                         core::ports::TranscriptStore& transcripts, core::ports::SessionStore& sessions,
                         core::ports::CallStore& calls, core::ports::BlobStore& blobs, core::ports::HttpClient& http,
                         core::ports::Crypto& crypto, JobRunner& jobs, const core::Clock& clock, IdGenerator& ids,
                         VoiceMetrics& metrics);

    // The platform's intent vocabulary for context analysis (its IVR options and SHANGO's personas).
    void set_vocabulary(std::function<std::vector<core::ports::IntentCandidate>(core::Platform)> vocabulary) {
        vocabulary_ = std::move(vocabulary);
    }
    // Audio URLs under this prefix may be on loopback (the sandbox carrier's own recordings).
    // Callbacks to it are allowed too.
    void trust_audio_prefix(std::string prefix) {
        settings_.fetch.trusted_prefixes.push_back(prefix);
        fetcher_.trust_prefix(std::move(prefix));
    }

    // Short audio is transcribed now; long audio, or a request with a callback URL, is queued.
    core::Result<TranscribeOutcome> transcribe(const core::Principal& caller, TranscribeRequest request);
    // Every item is checked before any is queued; then each becomes a job. Uploads are not taken here.
    core::Result<std::vector<TranscribeOutcome>> transcribe_batch(const core::Principal& caller,
                                                                  std::vector<TranscribeRequest> requests);
    core::Result<TranscriptionJobView> job(const core::Principal& caller, const std::string& job_id);

    // No platform, no storage: the CLI's `crossvoice transcribe FILE`.
    core::Result<core::Transcript> transcribe_bytes(std::string bytes, const std::string& content_type,
                                                    const std::optional<std::string>& language,
                                                    const TranscriptionOptions& options);

    // Job handlers.
    core::Status run_job(const core::Job& job);            // transcription.run
    core::Status run_recording_job(const core::Job& job);  // recording.transcribe (queued by recording.fetch)
    core::Status run_callback_job(const core::Job& job);   // transcription.callback

    // The providers that can be asked for, the default first.
    std::vector<std::string> providers() const;

  private:
    struct Audio {
        std::string bytes;
        std::string content_type;
        std::optional<core::ports::RawAudioFormat> raw;
        std::string source;  // "upload", "url", "recording"
        std::optional<std::string> call_id;
    };

    core::Status check(const core::Principal& caller, const TranscribeRequest& request, bool batch);
    core::Result<core::ports::SpeechToText*> engine(const std::optional<std::string>& provider) const;
    // `read_bytes` false only resolves a recording (exists, on this platform, stored) without reading it.
    core::Result<Audio> load_audio(core::Platform platform, const TranscribeRequest& request, bool read_bytes = true);
    core::Result<core::Transcript> process(const Audio& audio, const core::ports::DecodedAudio& decoded,
                                           const std::optional<std::string>& language,
                                           const TranscriptionOptions& options, std::optional<core::Platform> platform);
    core::ports::PipelineOptions pipeline_options(const TranscriptionOptions& options,
                                                  std::optional<core::Platform> platform) const;
    core::Result<TranscribeOutcome> store(core::Platform platform, const core::Transcript& transcript,
                                          const Audio& audio, const std::optional<std::string>& session_id,
                                          const std::optional<std::string>& job_id);
    core::Result<TranscribeOutcome> queue(core::Platform platform, const TranscribeRequest& request,
                                          const std::optional<Audio>& audio);

    TranscriptionSettings settings_;
    SpeechEngines engines_;
    const core::ports::AudioDecoder& decoder_;
    core::ports::TranscriptPipeline& pipeline_;
    core::ports::TranscriptStore& transcripts_;
    core::ports::SessionStore& sessions_;
    core::ports::CallStore& calls_;
    core::ports::BlobStore& blobs_;
    core::ports::HttpClient& http_;
    core::ports::Crypto& crypto_;
    JobRunner& jobs_;
    const core::Clock& clock_;
    IdGenerator& ids_;
    VoiceMetrics& metrics_;
    AudioFetcher fetcher_;
    std::function<std::vector<core::ports::IntentCandidate>(core::Platform)> vocabulary_;
};

}  // namespace crossvoice::services
