#include "services/transcription_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <regex>
#include <utility>

#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "services/recording_jobs.hpp"
#include "services/text_language.hpp"
#include "services/transcript_json.hpp"
#include "services/transcription_payload.hpp"

namespace crossvoice::services {
namespace {

using core::ports::StoredTranscript;
using nlohmann::json;

std::string canonical_provider(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "local") return "pocketsphinx";
    return name;
}

std::string extension_for(std::string_view content_type) {
    if (content_type == "audio/wav") return "wav";
    if (content_type == "audio/mpeg") return "mp3";
    if (content_type == "audio/flac") return "flac";
    if (content_type == "audio/ogg") return "ogg";
    return "bin";
}

double elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

std::optional<std::string> text_field(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
}

// Errors about the request itself will not go away on a retry: a job that meets one is finished, not retried.
bool permanent(const core::Error& error) {
    switch (error.code) {
        case core::ErrorCode::kValidation:
        case core::ErrorCode::kUnsupportedMediaType:
        case core::ErrorCode::kUnprocessable:
        case core::ErrorCode::kPayloadTooLarge:
        case core::ErrorCode::kNotFound: return true;
        default: return false;
    }
}

}  // namespace

TranscriptionService::TranscriptionService(TranscriptionSettings settings, SpeechEngines engines,
                                           const core::ports::AudioDecoder& decoder,
                                           core::ports::TranscriptPipeline& pipeline,
                                           core::ports::TranscriptStore& transcripts,
                                           core::ports::SessionStore& sessions, core::ports::CallStore& calls,
                                           core::ports::BlobStore& blobs, core::ports::HttpClient& http,
                                           core::ports::Crypto& crypto, JobRunner& jobs, const core::Clock& clock,
                                           IdGenerator& ids, VoiceMetrics& metrics)
    : settings_(std::move(settings)),
      engines_(std::move(engines)),
      decoder_(decoder),
      pipeline_(pipeline),
      transcripts_(transcripts),
      sessions_(sessions),
      calls_(calls),
      blobs_(blobs),
      http_(http),
      crypto_(crypto),
      jobs_(jobs),
      clock_(clock),
      ids_(ids),
      metrics_(metrics),
      fetcher_(http, settings_.fetch) {}

std::vector<std::string> TranscriptionService::providers() const {
    std::vector<std::string> names{settings_.default_provider};
    for (const auto& [name, engine] : engines_) {
        if (engine != nullptr && name != settings_.default_provider) names.push_back(name);
    }
    return names;
}

core::Result<core::ports::SpeechToText*> TranscriptionService::engine(
    const std::optional<std::string>& provider) const {
    const auto name = canonical_provider(provider.value_or(settings_.default_provider));
    const auto found = engines_.find(name);
    if (found == engines_.end() || found->second == nullptr) {
        std::string available;
        for (const auto& known : providers()) available += (available.empty() ? "" : ", ") + known;
        return core::Error::validation(
            "options.provider", fmt::format("provider '{}' is not available here; available: {}", name, available));
    }
    return found->second;
}

core::Status TranscriptionService::check(const core::Principal& caller, const TranscribeRequest& request, bool batch) {
    const int sources = int{request.audio_url.has_value()} + int{request.upload.has_value()} +
                        int{request.recording_id.has_value() || request.call_id.has_value()};
    if (sources != 1) {
        return core::Error::validation(
            "audioUrl", batch ? "give exactly one of audioUrl, recordingId or callId"
                              : "give exactly one of audioUrl, recordingId or callId, or upload the audio");
    }
    if (request.language && !is_language_tag(*request.language)) {
        return core::Error::validation("language", "language must be a BCP 47 tag such as en-US or es");
    }
    if (request.callback_url && !request.callback_url->starts_with("https://") &&
        !request.callback_url->starts_with("http://")) {
        return core::Error::validation("callbackUrl", "callbackUrl must be an http or https URL");
    }
    if (request.options.translate_to && !is_language_tag(*request.options.translate_to)) {
        return core::Error::validation("options.translateTo", "translateTo must be a language code such as es");
    }
    if (request.options.keywords.size() > 100) {
        return core::Error::validation("options.keywords", "at most 100 keywords");
    }
    if (auto picked = engine(request.options.provider); !picked) return std::move(picked).error();
    if (request.session_id) {
        // Before any audio is fetched or any engine (perhaps a paid one) runs.
        auto session = sessions_.find(caller.platform, *request.session_id);
        if (!session) return std::move(session).error();
        if (!session.value()) return core::Error::not_found("session", *request.session_id);
    }
    if (auto checked = pipeline_.check(pipeline_options(request.options, caller.platform)); !checked) return checked;
    if (batch && (request.recording_id || request.call_id)) {
        // Resolved now, so that a batch refuses a wrong id before it queues anything (a single request finds out
        // when it loads the audio, next).
        if (auto audio = load_audio(caller.platform, request, false); !audio) return std::move(audio).error();
    }
    return {};
}

core::Result<TranscriptionService::Audio> TranscriptionService::load_audio(core::Platform platform,
                                                                           const TranscribeRequest& request,
                                                                           bool read_bytes) {
    if (request.upload) {
        return Audio{request.upload->bytes, request.upload->content_type, request.upload->raw, "upload", std::nullopt};
    }
    if (request.audio_url) {
        auto fetched = fetcher_.fetch(*request.audio_url, "audioUrl");
        if (!fetched) return std::move(fetched).error();
        return Audio{std::move(fetched->bytes), std::move(fetched->content_type), std::nullopt, "url", std::nullopt};
    }
    std::optional<core::StoredRecording> recording;
    std::string call_id;
    if (request.recording_id) {
        auto found = calls_.find_recording(*request.recording_id);
        if (!found) return std::move(found).error();
        if (!found.value()) return core::Error::not_found("recording", *request.recording_id);
        recording = std::move(*found.value());
        call_id = recording->call_id;
        if (request.call_id && *request.call_id != call_id) {
            return core::Error::validation("recordingId", "recordingId belongs to another call than callId");
        }
    } else {
        call_id = *request.call_id;
    }
    // The call decides the platform: another platform's recording is as absent as a missing one.
    auto call = calls_.find(platform, call_id);
    if (!call) return std::move(call).error();
    if (!call.value()) {
        return request.recording_id ? core::Error::not_found("recording", *request.recording_id)
                                    : core::Error::not_found("call", call_id);
    }
    if (!recording) {
        auto all = calls_.recordings_for_call(call_id);
        if (!all) return std::move(all).error();
        for (auto it = all->rbegin(); it != all->rend(); ++it) {
            if (it->archived_as) {
                recording = *it;
                break;
            }
        }
        if (!recording) {
            return core::Error::conflict(
                fmt::format("call {} has no stored recording yet (recordings are copied from the carrier once it "
                            "reports them; try again shortly)",
                            call_id));
        }
    }
    if (!recording->archived_as) {
        return core::Error::conflict(
            fmt::format("recording {} is not stored yet; try again shortly", recording->event_id));
    }
    if (!read_bytes) return Audio{{}, "", std::nullopt, "recording", call_id};
    auto bytes = blobs_.get(*recording->archived_as);
    if (!bytes) return std::move(bytes).error();
    if (!bytes.value()) return core::Error::internal("a stored recording is missing from the blob store");
    return Audio{std::move(*bytes.value()), "", std::nullopt, "recording", call_id};
}

core::ports::PipelineOptions TranscriptionService::pipeline_options(const TranscriptionOptions& options,
                                                                    std::optional<core::Platform> platform) const {
    core::ports::PipelineOptions out;
    out.detect_language = options.detect_language;
    out.diarize = options.diarize;
    out.entities = options.entities;
    out.redact = options.redact;
    if (platform) {
        if (const auto found = settings_.platform_redaction.find(*platform);
            found != settings_.platform_redaction.end()) {
            for (const auto& klass : found->second) {
                if (std::find(out.redact.begin(), out.redact.end(), klass) == out.redact.end())
                    out.redact.push_back(klass);
            }
        }
        if (options.analyze && vocabulary_) out.intents = vocabulary_(*platform);
    }
    // Redaction finds what to hide with the entity stage.
    if (!out.redact.empty()) out.entities = true;
    out.translate_to = options.translate_to;
    out.analyze = options.analyze;
    return out;
}

core::Result<core::Transcript> TranscriptionService::process(const Audio& audio,
                                                             const core::ports::DecodedAudio& decoded,
                                                             const std::optional<std::string>& language,
                                                             const TranscriptionOptions& options,
                                                             std::optional<core::Platform> platform) {
    auto picked = engine(options.provider);
    if (!picked) return std::move(picked).error();
    const auto started = std::chrono::steady_clock::now();

    core::ports::SttRequest stt;
    stt.audio = audio.raw ? std::string() : audio.bytes;
    stt.content_type = decoded.content_type;
    stt.decoded = std::make_shared<const core::PcmAudio>(decoded.pcm);
    if (audio.raw) {
        // Engines that take files get the decoded audio as WAV: headerless bytes mean nothing to them.
        stt.audio = core::write_wav(decoded.pcm);
        stt.content_type = "audio/wav";
    }
    stt.model = options.model;
    stt.language = language;
    stt.detect_language = !language && options.detect_language;
    stt.diarize = options.diarize;
    stt.multichannel = options.multichannel.value_or(decoded.pcm.channels == 2);
    stt.detect_entities = options.entities;
    stt.keywords = options.keywords;

    auto transcript = (*picked)->transcribe(stt);
    if (!transcript) return std::move(transcript).error();
    transcript->timings.insert(transcript->timings.begin(), {"stt", elapsed_ms(started)});
    if (transcript->duration <= 0) transcript->duration = decoded.duration;
    if (language && !transcript->language) {
        transcript->language = *language;
        transcript->language_source = "requested";
    }
    if (auto ran = pipeline_.run(*transcript, pipeline_options(options, platform)); !ran) return std::move(ran).error();
    // Once redaction ran, the redacted text is the text: the original is neither returned nor stored.
    if (transcript->redacted_text) transcript->text = *transcript->redacted_text;
    metrics_.transcription_audio_ms.add(static_cast<std::uint64_t>(decoded.duration * 1000.0));
    metrics_.transcription_processing_ms.add(static_cast<std::uint64_t>(elapsed_ms(started)));
    return transcript;
}

core::Result<TranscribeOutcome> TranscriptionService::store(core::Platform platform, const core::Transcript& transcript,
                                                            const Audio& audio,
                                                            const std::optional<std::string>& session_id,
                                                            const std::optional<std::string>& job_id) {
    const auto now = clock_.now();
    StoredTranscript stored;
    stored.id = ids_.next(kTranscriptIdPrefix);
    stored.platform = platform;
    stored.session_id = session_id;
    stored.call_id = audio.call_id;
    stored.job_id = job_id;
    stored.source = audio.source;
    stored.provider = transcript.provider;
    stored.language = transcript.language;
    stored.duration = transcript.duration;
    stored.text = transcript.text;
    auto body = transcript_json(transcript, now);
    body["id"] = stored.id;
    stored.body_json = body.dump(-1, ' ', false, json::error_handler_t::replace);
    stored.created_at = now;

    std::vector<core::TimelineMessage> timeline;
    if (session_id) {
        core::TimelineMessage said;
        said.id = ids_.next(core::kMessageIdPrefix);
        said.session_id = *session_id;
        said.platform = platform;
        said.channel = core::Channel::kVoice;
        said.direction = core::MessageDirection::kInbound;
        said.author = core::MessageAuthor::kCaller;
        said.type = core::MessageType::kTranscription;
        said.content = transcript.text;
        said.language = transcript.language;
        said.status = core::MessageStatus::kDelivered;
        said.created_at = now;
        // Where the entities are in the text (type and character span, not their values, which the text already
        // holds), so a console can mark them without fetching the transcript.
        json entities = json::array();
        for (const auto& entity : transcript.entities) {
            entities.push_back({{"type", entity.type}, {"start", entity.start_char}, {"end", entity.end_char}});
        }
        said.metadata_json = json{{"transcriptId", stored.id},
                                  {"callId", audio.call_id ? json(*audio.call_id) : json()},
                                  {"confidence", body["confidence"]},
                                  {"duration", body["duration"]},
                                  {"speakers", transcript.speakers.size()},
                                  {"provider", transcript.provider},
                                  {"entities", std::move(entities)}}
                                 .dump();
        timeline.push_back(said);
        if (transcript.translation) {
            core::TimelineMessage translated = said;
            translated.id = ids_.next(core::kMessageIdPrefix);
            translated.author = core::MessageAuthor::kSystem;
            translated.type = core::MessageType::kTranslation;
            translated.content = transcript.translation->translated_text;
            translated.language = transcript.translation->target_language;
            translated.metadata_json = json{{"transcriptId", stored.id},
                                            {"sourceLanguage", transcript.translation->source_language},
                                            {"engine", transcript.translation->engine}}
                                           .dump();
            timeline.push_back(std::move(translated));
        }
    }
    if (auto saved = transcripts_.save(stored, timeline); !saved) {
        metrics_.transcriptions_failed.add();
        return std::move(saved).error();
    }
    metrics_.transcriptions_succeeded.add();
    TranscribeOutcome outcome;
    outcome.transcript_id = stored.id;
    outcome.session_id = session_id;
    outcome.job_id = job_id.value_or("");
    outcome.transcription = std::move(body);
    return outcome;
}

core::Result<TranscribeOutcome> TranscriptionService::queue(core::Platform platform, const TranscribeRequest& request,
                                                            const std::optional<Audio>& audio) {
    NewJob job;
    job.kind = std::string(kTranscriptionJob);
    job.platform = std::string(core::to_string(platform));
    auto payload = request_payload(request);
    if (audio) {
        // The audio we already hold goes with the job; it is not fetched twice.
        const auto key = fmt::format("transcriptions/{}.{}", ids_.next("aud"), extension_for(audio->content_type));
        if (auto put = blobs_.put(key, audio->bytes); !put) return std::move(put).error();
        payload["audioKey"] = key;
        payload["source"] = audio->source;
        if (audio->call_id) payload["audioCallId"] = *audio->call_id;
        payload["audioRaw"] = audio->raw.has_value();
    }
    job.payload_json = payload.dump();
    auto submitted = jobs_.submit(std::move(job));
    if (!submitted) return std::move(submitted).error();
    TranscribeOutcome outcome;
    outcome.queued = true;
    outcome.job_id = submitted->id;
    outcome.session_id = request.session_id;
    return outcome;
}

core::Result<TranscribeOutcome> TranscriptionService::transcribe(const core::Principal& caller,
                                                                 TranscribeRequest request) {
    if (auto checked = check(caller, request, false); !checked) {
        metrics_.transcriptions_failed.add();
        return std::move(checked).error();
    }
    auto audio = load_audio(caller.platform, request);
    if (!audio) {
        metrics_.transcriptions_failed.add();
        return std::move(audio).error();
    }
    auto decoded = decoder_.decode(audio->bytes, audio->raw, settings_.limits);
    if (!decoded) {
        metrics_.transcriptions_failed.add();
        return std::move(decoded).error();
    }
    if (request.callback_url || decoded->duration > settings_.sync_max_seconds) {
        return queue(caller.platform, request, *audio);
    }
    auto transcript = process(*audio, *decoded, request.language, request.options, caller.platform);
    if (!transcript) {
        metrics_.transcriptions_failed.add();
        return std::move(transcript).error();
    }
    return store(caller.platform, *transcript, *audio, request.session_id, std::nullopt);
}

core::Result<std::vector<TranscribeOutcome>> TranscriptionService::transcribe_batch(
    const core::Principal& caller, std::vector<TranscribeRequest> requests) {
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (requests[i].upload) {
            return core::Error::validation(fmt::format("items[{}]", i),
                                           "a batch takes audioUrl, recordingId or callId");
        }
        if (auto checked = check(caller, requests[i], true); !checked) {
            auto error = std::move(checked).error();
            error.message = fmt::format("items[{}]: {}", i, error.message);
            return std::move(error).with("item", std::to_string(i));
        }
    }
    std::vector<TranscribeOutcome> outcomes;
    for (const auto& request : requests) {
        auto queued = queue(caller.platform, request, std::nullopt);
        if (!queued) return std::move(queued).error();
        outcomes.push_back(std::move(queued).value());
    }
    return outcomes;
}

core::Result<TranscriptionJobView> TranscriptionService::job(const core::Principal& caller, const std::string& job_id) {
    if (!core::is_valid_id(core::kJobIdPrefix, job_id)) return core::Error::not_found("transcription job", job_id);
    auto found = jobs_.find(job_id);
    if (!found) return std::move(found).error();
    const auto platform = std::string(core::to_string(caller.platform));
    if (!found.value() || found.value()->kind != kTranscriptionJob || found.value()->platform != platform) {
        return core::Error::not_found("transcription job", job_id);
    }
    TranscriptionJobView view{*found.value(), std::nullopt};
    auto transcript = transcripts_.find_by_job(caller.platform, job_id);
    if (!transcript) return std::move(transcript).error();
    view.transcript = std::move(transcript).value();
    return view;
}

core::Result<core::Transcript> TranscriptionService::transcribe_bytes(std::string bytes,
                                                                      const std::string& content_type,
                                                                      const std::optional<std::string>& language,
                                                                      const TranscriptionOptions& options) {
    const Audio audio{std::move(bytes), content_type, std::nullopt, "upload", std::nullopt};
    auto decoded = decoder_.decode(audio.bytes, std::nullopt, settings_.limits);
    if (!decoded) return std::move(decoded).error();
    return process(audio, *decoded, language, options, std::nullopt);
}

core::Status TranscriptionService::run_job(const core::Job& job) {
    const auto payload = json::parse(job.payload_json, nullptr, false);
    auto request = request_from_payload(payload);
    if (!request) return std::move(request).error();
    const auto platform = core::parse_platform(job.platform.value_or(""));
    if (!platform) return core::Error::internal("transcription job without a platform");
    // A worker that died after storing the transcript leaves the job to run again: the transcript is the proof.
    auto done = transcripts_.find_by_job(*platform, job.id);
    if (!done) return std::move(done).error();

    core::Result<TranscribeOutcome> outcome = core::Error::internal("not run");
    if (done.value()) {
        TranscribeOutcome existing;
        existing.transcript_id = done.value()->id;
        existing.job_id = job.id;
        existing.transcription = json::parse(done.value()->body_json, nullptr, false);
        outcome = std::move(existing);
    } else {
        core::Result<Audio> audio = core::Error::internal("no audio");
        if (const auto key = text_field(payload, "audioKey")) {
            auto bytes = blobs_.get(*key);
            if (!bytes) return std::move(bytes).error();
            if (!bytes.value()) return core::Error::internal("a queued transcription's audio is missing");
            Audio held{std::move(*bytes.value()), "", std::nullopt, text_field(payload, "source").value_or("upload"),
                       text_field(payload, "audioCallId")};
            if (payload.value("audioRaw", false) && request->upload) held.raw = request->upload->raw;
            audio = std::move(held);
        } else {
            audio = load_audio(*platform, *request);
        }
        if (audio) {
            auto decoded = decoder_.decode(audio->bytes, audio->raw, settings_.limits);
            if (!decoded) {
                outcome = std::move(decoded).error();
            } else {
                auto transcript = process(*audio, *decoded, request->language, request->options, *platform);
                outcome = transcript ? store(*platform, *transcript, *audio, request->session_id, job.id)
                                     : core::Result<TranscribeOutcome>(std::move(transcript).error());
            }
        } else {
            outcome = std::move(audio).error();
        }
    }
    // A transient failure is retried, unless this was the last attempt: then it is final like any other, so that
    // the callback still hears of it.
    const bool last_attempt = job.attempts >= job.max_attempts;
    if (!outcome && !permanent(outcome.error()) && !last_attempt) return std::move(outcome).error();
    if (!outcome) metrics_.transcriptions_failed.add();

    if (request->callback_url) {
        json body{{"event", outcome ? "transcription.completed" : "transcription.failed"},
                  {"jobId", job.id},
                  {"sessionId", request->session_id ? json(*request->session_id) : json()}};
        if (outcome) {
            body["transcriptId"] = outcome->transcript_id;
            body["transcription"] = outcome->transcription;
        } else {
            body["error"] = {{"code", core::to_string(outcome.error().code)}, {"message", outcome.error().message}};
        }
        NewJob callback;
        callback.kind = std::string(kTranscriptionCallbackJob);
        callback.platform = job.platform;
        callback.dedupe_key = "callback:" + job.id;
        callback.payload_json = json{{"url", *request->callback_url}, {"body", body.dump()}}.dump();
        if (auto submitted = jobs_.submit(std::move(callback)); !submitted) return std::move(submitted).error();
    }
    // A request that can never succeed is finished: its error is in the callback and in the job's status.
    if (!outcome) return std::move(outcome).error().with(kFinalFailureDetail, "true");
    return {};
}

core::Status TranscriptionService::run_recording_job(const core::Job& job) {
    const auto payload = json::parse(job.payload_json, nullptr, false);
    if (!payload.is_object()) return core::Error::internal("recording.transcribe payload is not a JSON object");
    const auto platform = core::parse_platform(job.platform.value_or(""));
    const auto key = text_field(payload, "recording");
    const auto call_id = text_field(payload, "callId");
    if (!platform || !key || !call_id) {
        return core::Error::internal("recording.transcribe payload needs platform, callId and recording");
    }
    auto done = transcripts_.find_by_job(*platform, job.id);
    if (!done) return std::move(done).error();
    if (done.value()) return {};

    auto bytes = blobs_.get(*key);
    if (!bytes) return std::move(bytes).error();
    if (!bytes.value()) return core::Error::internal("the recording to transcribe is missing from the blob store");
    const Audio audio{std::move(*bytes.value()), "", std::nullopt, "recording", call_id};
    // Corrupt audio or a language the engine lacks will not change on a retry: such a job ends at once.
    const auto failed = [](core::Error error) -> core::Status {
        if (permanent(error)) return std::move(error).with(kFinalFailureDetail, "true");
        return error;
    };
    auto decoded = decoder_.decode(audio.bytes, std::nullopt, settings_.limits);
    if (!decoded) {
        metrics_.transcriptions_failed.add();
        return failed(std::move(decoded).error());
    }
    TranscriptionOptions options;
    if (const auto channels = text_field(payload, "channels")) options.multichannel = *channels == "dual";
    auto transcript = process(audio, *decoded, text_field(payload, "language"), options, *platform);
    if (!transcript) {
        metrics_.transcriptions_failed.add();
        return failed(std::move(transcript).error());
    }
    auto stored = store(*platform, *transcript, audio, text_field(payload, "sessionId"), job.id);
    if (!stored) return failed(std::move(stored).error());
    return {};
}

core::Status TranscriptionService::run_callback_job(const core::Job& job) {
    const auto payload = json::parse(job.payload_json, nullptr, false);
    const auto url = text_field(payload, "url");
    const auto body = text_field(payload, "body");
    if (!url || !body) return core::Error::internal("transcription.callback payload needs url and body");
    core::ports::HttpRequest request;
    request.method = "POST";
    request.url = *url;
    request.body = *body;
    request.headers = {{"Content-Type", "application/json"}};
    request.address_policy = core::ports::AddressPolicy::kPublicOnly;
    for (const auto& prefix : settings_.fetch.trusted_prefixes) {
        if (url->starts_with(prefix)) request.address_policy = core::ports::AddressPolicy::kAny;
    }
    request.retry.max_attempts = 1;  // the job runner retries with its own backoff
    if (!settings_.callback_secret.empty()) {
        // Stripe-style: the receiver recomputes HMAC(secret, "<t>.<body>") and refuses old timestamps.
        const auto timestamp = std::to_string(core::to_unix_ms(clock_.now()) / 1000);
        request.headers.emplace_back(
            "X-Crossvoice-Signature",
            fmt::format("t={},v1={}", timestamp,
                        crypto_.hmac_sha256_hex(settings_.callback_secret, timestamp + "." + *body)));
    }
    auto response = http_.send(request);
    if (!response) return std::move(response).error();
    if (response->status < 200 || response->status >= 300) {
        return core::Error{core::ErrorCode::kVendor,
                           fmt::format("callback answered HTTP {}", response->status),
                           {{"status", std::to_string(response->status)}}};
    }
    return {};
}

}  // namespace crossvoice::services
