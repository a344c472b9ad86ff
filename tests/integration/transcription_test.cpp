#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "core/wav.hpp"
#include "integration/carrier_fixture.hpp"
#include "integration/service_fixture.hpp"
#include "support/fake_stt_servers.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

constexpr const char* kTestData = "/usr/share/pocketsphinx/test/data";
constexpr const char* kBoundary = "cvtestboundary7MA4YWxkTrZu0gW";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string librivox_wav() {
    return read_file(std::string(kTestData) + "/librivox/sense_and_sensibility_01_austen_64kb-0930.wav");
}

// A stereo WAV of two tones: enough for a vendor fake, which does not listen.
std::string stereo_wav(double seconds) {
    core::PcmAudio audio;
    audio.sample_rate = 8000;
    audio.channels = 2;
    const auto frames = static_cast<std::size_t>(seconds * audio.sample_rate);
    for (std::size_t i = 0; i < frames; ++i) {
        const double t = static_cast<double>(i) / audio.sample_rate;
        audio.samples.push_back(static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * t)));
        audio.samples.push_back(static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 660 * t)));
    }
    return core::write_wav(audio);
}

std::string multipart(const std::string& audio, const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::string& content_type = "audio/wav") {
    std::string body;
    for (const auto& [name, value] : fields) {
        body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
                value + "\r\n";
    }
    body +=
        std::string("--") + kBoundary +
        "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"call.wav\"\r\nContent-Type: " + content_type +
        "\r\n\r\n" + audio + "\r\n--" + kBoundary + "--\r\n";
    return body;
}

class TranscriptionTest : public ServiceTest {
  protected:
    JsonResponse upload(const std::string& key, const std::string& body, const std::string& content_type,
                        const std::string& target = "/api/voice/transcribe") {
        JsonResponse out;
        out.raw = client_->request("POST", target, {{"Authorization", "Bearer " + key}, {"Content-Type", content_type}},
                                   body);
        out.status = out.raw.status;
        out.body = json::parse(out.raw.body, nullptr, false);
        return out;
    }
    JsonResponse upload_form(const std::string& audio, const std::vector<std::pair<std::string, std::string>>& fields,
                             const std::string& audio_type = "audio/wav") {
        return upload(tetrix_, multipart(audio, fields, audio_type),
                      std::string("multipart/form-data; boundary=") + kBoundary);
    }
    // Polls a transcription job until it is finished (completed or failed) or `wait` passes.
    json wait_for_job(const std::string& job_id, std::chrono::seconds wait = std::chrono::seconds(120)) {
        const auto deadline = std::chrono::steady_clock::now() + wait;
        json last;
        while (std::chrono::steady_clock::now() < deadline) {
            auto polled = call("GET", "/api/voice/transcribe/" + job_id, tetrix_);
            last = polled.body;
            const auto status = last.value("status", "");
            if (status == "completed" || status == "failed") return last;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling interval, not synchronisation
        }
        ADD_FAILURE() << "job " << job_id << " did not finish: " << last.dump();
        return last;
    }
};

TEST_F(TranscriptionTest, AnUploadIsTranscribedLocallyAndLandsOnTheSessionTimeline) {
    const auto session = open_session(tetrix_, {{"channel", "voice"}});
    auto answered = upload_form(librivox_wav(), {{"sessionId", session}, {"options", R"({"diarize":true})"}});
    ASSERT_EQ(answered.status, 200) << answered.raw.body;
    const auto& transcription = answered.body["transcription"];
    EXPECT_EQ(transcription["provider"], "pocketsphinx");
    EXPECT_NE(transcription.value("text", "").find("himself"), std::string::npos) << transcription.dump();
    EXPECT_FALSE(transcription["words"].empty());
    EXPECT_EQ(transcription["language"], "en-US");
    ASSERT_EQ(transcription["speakers"].size(), 1U);
    EXPECT_FALSE(transcription["speakers"][0]["segments"].empty());
    EXPECT_TRUE(transcription["analysis"].is_object());
    EXPECT_GT(transcription["duration"].get<double>(), 3.0);
    const std::string transcript_id = answered.body.value("transcriptId", "");
    EXPECT_EQ(transcript_id.rfind("trn_", 0), 0U);

    auto stored = call("GET", "/api/voice/sessions/" + session, tetrix_);
    EXPECT_EQ(stored.body["session"]["hasTranscription"], true);
    auto timeline = call("GET", "/api/voice/integration/sessions/" + session + "/messages", tetrix_);
    ASSERT_EQ(timeline.status, 200) << timeline.raw.body;
    ASSERT_EQ(timeline.body["messages"].size(), 1U);
    const auto& message = timeline.body["messages"][0];
    EXPECT_EQ(message["type"], "transcription");
    EXPECT_EQ(message["channel"], "voice");
    EXPECT_EQ(message["content"], transcription["text"]);
    EXPECT_EQ(message["metadata"]["transcriptId"], transcript_id);
    EXPECT_EQ(call("GET", "/api/voice/integration/sessions/" + session + "/messages", joromi_).status, 404);
}

TEST_F(TranscriptionTest, RawTelephoneAudioTranslationAndRedactionAreApplied) {
    // goforward.raw: 16 kHz 16-bit mono PCM without a header, "go forward ten meters".
    auto answered = upload(tetrix_, read_file(std::string(kTestData) + "/goforward.raw"), "audio/pcm",
                           "/api/voice/transcribe?sampleRate=16000&translateTo=es&redact=numbers");
    ASSERT_EQ(answered.status, 200) << answered.raw.body;
    const auto& transcription = answered.body["transcription"];
    EXPECT_NE(transcription.value("text", "").find("go forward"), std::string::npos) << transcription.dump();
    EXPECT_EQ(transcription["redactedClasses"], json::array({"numbers"}));
    ASSERT_TRUE(transcription["translation"].is_object()) << transcription.dump();
    EXPECT_EQ(transcription["translation"]["engine"], "apertium");
    EXPECT_EQ(transcription["translation"]["targetLanguage"], "es");
    EXPECT_FALSE(transcription["translation"].value("translatedText", "").empty());
}

TEST_F(TranscriptionTest, BadRequestsAreRefusedWithTheirReasonAndStoreNothing) {
    const auto session = open_session(tetrix_, {{"channel", "voice"}});
    auto empty = upload_form("", {{"sessionId", session}});
    EXPECT_EQ(empty.status, 422) << empty.raw.body;
    auto not_audio = upload_form("%PDF-1.7 this is a document, not a recording", {{"sessionId", session}});
    EXPECT_EQ(not_audio.status, 415) << not_audio.raw.body;
    const std::string corrupt_wav("RIFF\x24\0\0\0WAVEfmt garbage that is not a format chunk", 50);
    auto corrupt = upload_form(corrupt_wav, {{"sessionId", session}});
    EXPECT_EQ(corrupt.status, 422) << corrupt.raw.body;

    auto unknown_option = call_json("POST", "/api/voice/transcribe", tetrix_,
                                    {{"audioUrl", "https://example.com/a.wav"}, {"options", {{"diraize", true}}}});
    EXPECT_EQ(unknown_option.status, 400);
    EXPECT_NE(unknown_option.raw.body.find("diraize"), std::string::npos);
    auto two_sources = call_json("POST", "/api/voice/transcribe", tetrix_,
                                 {{"audioUrl", "https://example.com/a.wav"}, {"callId", "cal_x"}});
    EXPECT_EQ(two_sources.status, 400);
    auto not_http = call_json("POST", "/api/voice/transcribe", tetrix_, {{"audioUrl", "file:///etc/passwd"}});
    EXPECT_EQ(not_http.status, 400);
    auto loopback = call_json("POST", "/api/voice/transcribe", tetrix_,
                              {{"audioUrl", "http://127.0.0.1:" + std::to_string(service_->port()) + "/healthz"}});
    EXPECT_EQ(loopback.status, 400) << loopback.raw.body;
    EXPECT_NE(loopback.raw.body.find("private, loopback or reserved"), std::string::npos) << loopback.raw.body;
    auto unsupported_pair = upload_form(librivox_wav(), {{"translateTo", "ja"}});
    EXPECT_EQ(unsupported_pair.status, 400);
    EXPECT_NE(unsupported_pair.raw.body.find("en→es"), std::string::npos) << unsupported_pair.raw.body;
    auto unknown_class = upload_form(librivox_wav(), {{"redact", "pci,passwords"}});
    EXPECT_EQ(unknown_class.status, 400);
    EXPECT_NE(unknown_class.raw.body.find("passwords"), std::string::npos) << unknown_class.raw.body;
    auto no_deepgram = upload_form(librivox_wav(), {{"provider", "deepgram"}});
    EXPECT_EQ(no_deepgram.status, 400);
    EXPECT_NE(no_deepgram.raw.body.find("pocketsphinx"), std::string::npos) << no_deepgram.raw.body;
    auto other_platform = upload(joromi_, multipart(librivox_wav(), {{"sessionId", session}}),
                                 std::string("multipart/form-data; boundary=") + kBoundary);
    EXPECT_EQ(other_platform.status, 404) << other_platform.raw.body;
    auto wrong_type = upload(tetrix_, "hello", "text/plain");
    EXPECT_EQ(wrong_type.status, 415);

    auto stored = call("GET", "/api/voice/sessions/" + session, tetrix_);
    EXPECT_EQ(stored.body["session"]["hasTranscription"], false);
    auto timeline = call("GET", "/api/voice/integration/sessions/" + session + "/messages", tetrix_);
    EXPECT_TRUE(timeline.body["messages"].empty());
}

TEST_F(TranscriptionTest, LongAudioBecomesAJobThatIsPolledToItsTranscript) {
    start({{"CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "1"}});
    auto queued = upload_form(librivox_wav(), {});
    ASSERT_EQ(queued.status, 202) << queued.raw.body;
    EXPECT_EQ(queued.body["status"], "queued");
    const std::string job_id = queued.body.value("jobId", "");
    EXPECT_EQ(queued.body["statusUrl"], "/api/voice/transcribe/" + job_id);
    EXPECT_EQ(call("GET", "/api/voice/transcribe/" + job_id, joromi_).status, 404) << "another platform's job";

    const auto done = wait_for_job(job_id);
    EXPECT_EQ(done["status"], "completed") << done.dump();
    EXPECT_NE(done["transcription"].value("text", "").find("himself"), std::string::npos) << done.dump();
    EXPECT_EQ(done["transcriptId"], done["transcription"]["id"]);
}

TEST_F(TranscriptionTest, ABatchIsCheckedWholeAndItsJobsFailOnAudioNoRetryCanFix) {
    auto refused = call_json("POST", "/api/voice/transcribe/batch", tetrix_,
                             {{"items", {{{"audioUrl", "https://example.com/a.wav"}}, {{"callId", "cal_missing"}}}}});
    EXPECT_EQ(refused.status, 404) << refused.raw.body;
    EXPECT_NE(refused.raw.body.find("items[1]"), std::string::npos) << refused.raw.body;
    auto malformed = call_json("POST", "/api/voice/transcribe/batch", tetrix_, {{"items", json::array()}});
    EXPECT_EQ(malformed.status, 400);

    // Loopback is refused when the job fetches it: the job fails at once, with the reason, instead of retrying.
    const auto url = "http://127.0.0.1:" + std::to_string(service_->port()) + "/audio.wav";
    auto queued = call_json("POST", "/api/voice/transcribe/batch", tetrix_, {{"items", {{{"audioUrl", url}}}}});
    ASSERT_EQ(queued.status, 202) << queued.raw.body;
    ASSERT_EQ(queued.body["jobs"].size(), 1U);
    const auto done = wait_for_job(queued.body["jobs"][0].value("jobId", ""));
    EXPECT_EQ(done["status"], "failed");
    EXPECT_EQ(done["attempts"], 1);
    EXPECT_NE(done.value("error", "").find("private, loopback or reserved"), std::string::npos) << done.dump();
}

TEST_F(TranscriptionTest, DeepgramIsUsedWhenAKeyIsSetAndThePlatformRedactsBeforeStorage) {
    FakeDeepgram deepgram;
    deepgram.set_words({{"my", 0.1, 0.3, 0, 0},
                        {"card", 0.3, 0.6, 0, 0},
                        {"is", 0.6, 0.7, 0, 0},
                        {"4111111111111111", 0.7, 2.0, 0, 0},
                        {"thanks", 2.1, 2.5, 1, 1}});
    start({{"DEEPGRAM_API_KEY", deepgram.api_key()},
           {"DEEPGRAM_API_BASE_URL", deepgram.base_url()},
           {"CROSSVOICE_REDACT_TETRIX", "pci"}});
    const auto session = open_session(tetrix_, {{"channel", "voice"}});
    auto answered = upload_form(stereo_wav(2.5), {{"sessionId", session}});
    ASSERT_EQ(answered.status, 200) << answered.raw.body;
    const auto& transcription = answered.body["transcription"];
    EXPECT_EQ(transcription["provider"], "deepgram");
    EXPECT_EQ(transcription.dump().find("4111111111111111"), std::string::npos) << transcription.dump();
    EXPECT_NE(transcription.value("text", "").find("[CARD]"), std::string::npos) << transcription.dump();
    ASSERT_EQ(transcription["speakers"].size(), 2U) << transcription.dump();

    const auto requests = deepgram.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].header("authorization").value_or(""), "Token " + deepgram.api_key());
    EXPECT_NE(requests[0].target.find("multichannel=true"), std::string::npos) << requests[0].target;
    EXPECT_NE(requests[0].target.find("diarize=true"), std::string::npos) << requests[0].target;

    auto timeline = call("GET", "/api/voice/integration/sessions/" + session + "/messages", tetrix_);
    ASSERT_EQ(timeline.body["messages"].size(), 1U);
    EXPECT_EQ(timeline.raw.body.find("4111111111111111"), std::string::npos) << "nothing stored holds the card";

    deepgram.fail_next(401, R"({"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"r-1"})");
    auto refused = upload_form(stereo_wav(1), {});
    EXPECT_EQ(refused.status, 502) << refused.raw.body;
    EXPECT_NE(refused.raw.body.find("Deepgram"), std::string::npos) << refused.raw.body;
}

TEST_F(TranscriptionTest, TheCommandLinePrintsTextJsonAndSubtitles) {
    const auto file = std::string(kTestData) + "/librivox/sense_and_sensibility_01_austen_64kb-0930.wav";
    auto as_json = run_crossvoice({"transcribe", file, "--format", "json"}, db_env(), dir_.path());
    ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
    const auto parsed = json::parse(as_json.out, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << as_json.out;
    EXPECT_NE(parsed.value("text", "").find("himself"), std::string::npos);
    EXPECT_EQ(parsed["file"], file);

    auto srt = run_crossvoice({"transcribe", file, "--format", "srt"}, db_env(), dir_.path());
    ASSERT_EQ(srt.exit_code, 0) << srt.err;
    EXPECT_EQ(srt.out.rfind("1\n00:00:0", 0), 0U) << srt.out;
    EXPECT_NE(srt.out.find(" --> "), std::string::npos);

    const auto not_audio = (dir_.path() / "notes.txt").string();
    std::ofstream(not_audio) << "not audio";
    auto failed = run_crossvoice({"transcribe", not_audio}, db_env(), dir_.path());
    EXPECT_EQ(failed.exit_code, 1);
    EXPECT_NE(failed.err.find("notes.txt"), std::string::npos) << failed.err;
}

TEST_F(CarrierTest, ARecordedCallIsTranscribedOntoItsSessionTimeline) {
    auto placed = initiate({{"to", "+14155550123"}});
    ASSERT_EQ(placed.status, 200) << placed.raw.body;
    const std::string session_id = placed.body.value("sessionId", "");
    const std::string call_id = placed.body.value("callId", "");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    json messages;
    while (std::chrono::steady_clock::now() < deadline) {
        messages = call("GET", "/api/voice/integration/sessions/" + session_id + "/messages", tetrix_).body["messages"];
        if (messages.is_array() && !messages.empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling interval, not synchronisation
    }
    ASSERT_TRUE(messages.is_array() && !messages.empty()) << "no transcript reached the timeline";
    EXPECT_EQ(messages[0]["type"], "transcription");
    EXPECT_EQ(messages[0]["metadata"]["callId"], call_id);
    auto session = call("GET", "/api/voice/sessions/" + session_id, tetrix_);
    EXPECT_EQ(session.body["session"]["hasTranscription"], true);
}

}  // namespace
}  // namespace crossvoice::testing
