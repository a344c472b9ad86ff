#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "services/id_generator.hpp"
#include "services/job_runner.hpp"
#include "services/session_service.hpp"
#include "services/transcription_service.hpp"
#include "services/voice_metrics.hpp"
#include "storage/files/file_blob_store.hpp"
#include "storage/sqlite/sqlite_call_store.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "storage/sqlite/sqlite_session_store.hpp"
#include "storage/sqlite/sqlite_transcript_store.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_crypto.hpp"
#include "support/test_database.hpp"
#include "transcription_fakes.hpp"

namespace crossvoice::services::transcription_testing {

inline std::string detail(const core::Error& error, std::string_view key) {
    for (const auto& [name, value] : error.details) {
        if (name == key) return value;
    }
    return "<absent>";
}

// The transcription use-case over the real SQLite stores and a file blob store in a temporary directory, with
// scripted engines, decoder, pipeline and HTTP client. The job runner is never started: tests read the jobs
// back from the queue and call the service's handlers themselves, so every step is deterministic.
class TranscriptionTestBase : public ::testing::Test {
  protected:
    static constexpr const char* kCallbackUrl = "https://client.example.com/hooks/transcripts";

    // Built on first use, so that a test may change settings_ (or the engines) before.
    TranscriptionService& service() {
        if (!service_) {
            service_ = std::make_unique<TranscriptionService>(settings_, engines_, decoder_, pipeline_,
                                                              transcript_store_, session_store_, call_store_, blobs_,
                                                              http_, crypto_, jobs_, clock_, ids_, metrics_);
            service_->set_vocabulary([this](core::Platform platform) {
                vocabulary_asked_.push_back(platform);
                return vocabulary_;
            });
        }
        return *service_;
    }

    static TranscribeRequest upload(std::string bytes = "RIFF....WAVEfmt fake audio",
                                    std::string content_type = "audio/x-wav") {
        TranscribeRequest request;
        request.upload = AudioUpload{std::move(bytes), std::move(content_type), std::nullopt};
        return request;
    }
    static TranscribeRequest from_url(std::string url = "https://media.example.com/a.wav") {
        TranscribeRequest request;
        request.audio_url = std::move(url);
        return request;
    }

    std::string open_session(const core::Principal& caller) {
        auto session = sessions_.open(caller, {"voice", {}, {}, "{}"});
        EXPECT_TRUE(session.ok()) << session.error().message;
        return session.ok() ? session->id : std::string();
    }

    core::Job job(const std::string& id) {
        auto found = jobs_.find(id);
        EXPECT_TRUE(found.ok() && found.value().has_value()) << id;
        return found.ok() && found.value() ? *found.value() : core::Job{};
    }

    std::optional<core::ports::StoredTranscript> transcript_of_job(const std::string& job_id,
                                                                   core::Platform platform = core::Platform::kTetrix) {
        auto found = transcript_store_.find_by_job(platform, job_id);
        EXPECT_TRUE(found.ok()) << found.error().message;
        return found.ok() ? found.value() : std::nullopt;
    }

    std::vector<core::TimelineMessage> timeline(const std::string& session_id,
                                                core::Platform platform = core::Platform::kTetrix) {
        auto listed = transcript_store_.list({platform, session_id, 200, std::nullopt});
        EXPECT_TRUE(listed.ok()) << listed.error().message;
        return listed.ok() ? listed.value() : std::vector<core::TimelineMessage>{};
    }

    std::int64_t count_rows(std::string_view table) {
        auto lease = db_->acquire();
        auto statement = lease->prepare("SELECT COUNT(*) FROM " + std::string(table), "count rows");
        EXPECT_TRUE(statement.ok());
        if (!statement.ok()) return -1;
        auto stepped = statement->step();
        EXPECT_TRUE(stepped.ok() && stepped.value());
        return statement->int64(0);
    }

    // Whether any job of `kind` waits in the queue.
    bool any_queued(std::string_view kind) {
        auto due = queue_.next_due({std::string(kind)});
        EXPECT_TRUE(due.ok());
        return due.ok() && due.value().has_value();
    }

    // A call of `caller`'s platform with one recording reported by carrier event `event_id`; `archived_bytes`
    // copies the audio into the blob store and marks the recording archived, as recording.fetch does.
    core::Call call_with_recording(core::Platform platform, const std::string& event_id,
                                   const std::optional<std::string>& archived_bytes,
                                   const std::string& session_id = "ses_none") {
        core::Call call;
        call.id = ids_.next(core::kCallIdPrefix);
        call.platform = platform;
        call.session_id = session_id;
        call.from = "+15550000001";
        call.to = "+15550000002";
        call.call_control_id = "v3:" + call.id;
        call.created_at = clock_.now();
        call.updated_at = clock_.now();
        auto inserted = call_store_.insert(call);
        EXPECT_TRUE(inserted.ok()) << inserted.error().message;

        core::CallEvent event;
        event.id = event_id;
        event.type = core::CallEventType::kRecordingSaved;
        event.event_type = "call.recording.saved";
        event.occurred_at = clock_.now();
        event.call_control_id = call.call_control_id;
        event.recording = core::CallRecording{"https://carrier.example/r.mp3", "https://carrier.example/r.wav",
                                              clock_.now(), clock_.now(), "dual"};
        auto ingested = call_store_.ingest_event(
            event, call.id, "{}", clock_.now(),
            [](const core::Call& current, const core::CallEvent&) {
                core::ports::CallChange change;
                change.state = current.state;
                return change;
            },
            core::ports::FollowUps::kNone);
        EXPECT_TRUE(ingested.ok()) << ingested.error().message;

        if (archived_bytes) {
            const auto key = "recordings/" + call.id + "/" + event_id + ".wav";
            EXPECT_TRUE(blobs_.put(key, *archived_bytes).ok());
            auto marked = call_store_.mark_recording_archived(event_id, key);
            EXPECT_TRUE(marked.ok()) << marked.error().message;
        }
        clock_.advance_ms(10);  // recordings of one call are told apart by their time
        return call;
    }

    testing::TempDir dir_;
    std::unique_ptr<storage::SqliteDatabase> db_ = testing::open_test_database(dir_);
    storage::SqliteSessionStore session_store_{*db_};
    storage::SqliteCallStore call_store_{*db_};
    storage::SqliteTranscriptStore transcript_store_{*db_};
    storage::SqliteJobQueue queue_{*db_};
    storage::FileBlobStore blobs_{dir_.path() / "blobs"};
    testing::FakeCrypto crypto_;
    testing::FakeClock clock_;
    IdGenerator ids_{clock_, crypto_};
    SessionService sessions_{session_store_, clock_, ids_};
    JobRunner jobs_{queue_, clock_, ids_, crypto_};
    VoiceMetrics metrics_;

    FakeSpeechToText local_{"pocketsphinx"};
    FakeSpeechToText deepgram_{"deepgram"};
    FakeAudioDecoder decoder_;
    FakePipeline pipeline_;
    FakeHttpClient http_;
    TranscriptionSettings settings_;
    SpeechEngines engines_{{"pocketsphinx", &local_}, {"deepgram", &deepgram_}, {"openai", nullptr}};
    std::vector<core::ports::IntentCandidate> vocabulary_{{"billing", {"bill", "invoice"}, "shango-billing"}};
    std::vector<core::Platform> vocabulary_asked_;
    std::unique_ptr<TranscriptionService> service_;

    core::Principal tetrix_{core::Platform::kTetrix, "key_a"};
    core::Principal joromi_{core::Platform::kJoromi, "key_b"};
};

}  // namespace crossvoice::services::transcription_testing
