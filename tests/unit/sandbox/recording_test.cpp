#include <gtest/gtest.h>

#include "core/wav.hpp"
#include "sandbox_fixture.hpp"
#include "telnyx/call_event_parser.hpp"

namespace crossvoice::sandbox::testing {
namespace {

using RecordingTest = SandboxTest;

// "http://sandbox.test:8080/recordings/<id>.wav" -> "/recordings/<id>.wav"
std::string path_of(const std::string& url) {
    const auto host = url.find(SandboxTest::kHost);
    return host == std::string::npos ? url : url.substr(host + std::string(SandboxTest::kHost).size());
}

TEST_F(RecordingTest, ARecordedCallSavesATwoChannelWav) {
    const auto id = answered_call({{"record", "record-from-answer"}, {"record_channels", "dual"}});
    const std::string said = "Thanks for calling";
    ASSERT_EQ(command(id, "speak", {{"payload", said}, {"voice", "female"}}).status, 200);
    ASSERT_TRUE(http_.wait_for(id, "call.speak.ended").has_value());
    ASSERT_EQ(command(id, "hangup").status, 200);

    const auto saved = http_.wait_for(id, "call.recording.saved");
    ASSERT_TRUE(saved.has_value());
    const auto events = http_.event_types_for(id);
    ASSERT_GE(events.size(), 2U);
    EXPECT_EQ(events[events.size() - 2], "call.hangup") << "the recording is saved after the hang-up";
    const auto& payload = saved->payload();
    const auto url = payload["recording_urls"]["wav"].get<std::string>();
    EXPECT_TRUE(url.starts_with(std::string("http://") + kHost + "/recordings/")) << url;
    EXPECT_TRUE(url.ends_with(".wav"));
    EXPECT_EQ(payload["public_recording_urls"]["wav"], url);
    EXPECT_EQ(payload["channels"], "dual");

    const auto event = telnyx::parse_call_event(saved->body);
    ASSERT_TRUE(event.ok()) << event.error().message;
    ASSERT_TRUE(event->recording.has_value());
    EXPECT_EQ(event->recording->wav_url, url);
    EXPECT_EQ(event->recording->channels, "dual");
    ASSERT_TRUE(event->recording->started_at.has_value());
    ASSERT_TRUE(event->recording->ended_at.has_value());
    EXPECT_LE(*event->recording->started_at, *event->recording->ended_at);

    const auto file = get(path_of(url));
    ASSERT_EQ(file.status, 200);
    EXPECT_EQ(file.raw.content_type, "audio/wav");
    const auto audio = core::parse_wav(file.raw.body);
    ASSERT_TRUE(audio.has_value());
    EXPECT_EQ(audio->channels, 2);
    EXPECT_EQ(audio->sample_rate, FakeSpeech::kRate);
    ASSERT_GT(audio->frames(), 0U);
    // Channel 1 is our side, speaking first; channel 2 the callee, answering afterwards.
    EXPECT_EQ(audio->samples[0], FakeSpeech::level_for(said));
    EXPECT_EQ(audio->samples[1], 0);
    const auto last = audio->frames() - 1;
    EXPECT_EQ(audio->samples[2 * last], 0);
    EXPECT_EQ(audio->samples[2 * last + 1], FakeSpeech::level_for(options_.callee_speech));
    expect_all_deliveries_verify_and_parse();
}

TEST_F(RecordingTest, RecordStartAndStopSaveAMonoWav) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "record_start", {{"channels", "single"}, {"format", "wav"}}).status, 200);
    ASSERT_EQ(command(id, "record_stop").status, 200);
    const auto saved = http_.wait_for(id, "call.recording.saved");
    ASSERT_TRUE(saved.has_value());
    EXPECT_EQ(saved->payload()["channels"], "single");
    const auto file = get(path_of(saved->payload()["recording_urls"]["wav"].get<std::string>()));
    ASSERT_EQ(file.status, 200);
    const auto audio = core::parse_wav(file.raw.body);
    ASSERT_TRUE(audio.has_value());
    EXPECT_EQ(audio->channels, 1);
    EXPECT_EQ(audio->samples.back(), FakeSpeech::level_for(options_.callee_speech));
    EXPECT_EQ(get("/sandbox/calls/" + id).json["data"]["state"], "answered") << "the call goes on";
}

TEST_F(RecordingTest, MaxLengthStopsTheRecordingByItself) {
    const auto id = answered_call();
    ASSERT_EQ(command(id, "record_start", {{"channels", "single"}, {"format", "wav"}, {"max_length", 3}}).status, 200);
    const auto saved = http_.wait_for(id, "call.recording.saved");
    ASSERT_TRUE(saved.has_value()) << "no record_stop was sent: max_length ended it";
    EXPECT_EQ(get("/sandbox/calls/" + id).json["data"]["state"], "answered") << "the call goes on";
}

TEST_F(RecordingTest, TheFarEndSaysItsLinesIntoTheRecordingAndSilenceEndsIt) {
    const auto id = answered_call();
    const std::string question = "what are your support hours";
    ASSERT_EQ(post("/sandbox/calls/" + id + "/speech", {{"text", question}}).status, 200);
    // Said before the recording started: it waits for the recording. timeout_secs ends it after the line.
    ASSERT_EQ(command(id, "record_start",
                      {{"channels", "single"}, {"format", "wav"}, {"timeout_secs", 2}, {"max_length", 600}})
                  .status,
              200);
    const auto saved = http_.wait_for(id, "call.recording.saved");
    ASSERT_TRUE(saved.has_value());
    const auto file = get(path_of(saved->payload()["recording_urls"]["wav"].get<std::string>()));
    ASSERT_EQ(file.status, 200);
    const auto audio = core::parse_wav(file.raw.body);
    ASSERT_TRUE(audio.has_value());
    ASSERT_FALSE(audio->samples.empty());
    EXPECT_EQ(audio->samples.back(), FakeSpeech::level_for(question)) << "the caller's line, not the default speech";
    EXPECT_EQ(audio->samples.front(), FakeSpeech::level_for(question));
}

TEST_F(RecordingTest, EachSilenceEndedRecordingHearsOneLineAndAQuietCallerIsSilence) {
    const auto id = answered_call();
    ASSERT_EQ(post("/sandbox/calls/" + id + "/speech", {{"text", "first question"}}).status, 200);
    ASSERT_EQ(post("/sandbox/calls/" + id + "/speech", {{"text", "second one"}, {"language", "en-GB"}}).status, 200);
    const nlohmann::json listen{{"channels", "single"}, {"format", "wav"}, {"timeout_secs", 1}, {"max_length", 5}};
    std::size_t recordings = 0;
    for (const std::string expected : {"first question", "second one", ""}) {
        ASSERT_EQ(command(id, "record_start", listen).status, 200);
        ++recordings;
        // Each recording stops by itself (silence after the line, or max_length for the quiet caller).
        ASSERT_TRUE(http_.wait_until([&](const std::vector<Delivery>& all) {
            std::size_t saved = 0;
            for (const auto& delivery : all) saved += delivery.event_type() == "call.recording.saved" ? 1 : 0;
            return saved >= recordings;
        }));
        std::optional<Delivery> latest;
        for (auto& delivery : http_.accepted_for(id)) {
            if (delivery.event_type() == "call.recording.saved") latest = delivery;
        }
        ASSERT_TRUE(latest.has_value());
        const auto file = get(path_of(latest->payload()["recording_urls"]["wav"].get<std::string>()));
        const auto audio = core::parse_wav(file.raw.body);
        ASSERT_TRUE(audio.has_value());
        const std::int16_t level = expected.empty() ? std::int16_t{0} : FakeSpeech::level_for(expected);
        EXPECT_EQ(audio->samples.back(), level) << "recording " << recordings << " should hold '" << expected << "'";
    }
}

TEST_F(RecordingTest, FarEndSpeechIsCheckedLikeATelnyxRequest) {
    const auto id = answered_call();
    const auto empty = post("/sandbox/calls/" + id + "/speech", nlohmann::json::object());
    EXPECT_EQ(empty.status, 422);
    EXPECT_EQ(empty.error_pointer(), "/text");
    const auto long_text = post("/sandbox/calls/" + id + "/speech", {{"text", std::string(1001, 'a')}});
    EXPECT_EQ(long_text.status, 422);
    EXPECT_EQ(long_text.error_pointer(), "/text");
    const auto bad_language = post("/sandbox/calls/" + id + "/speech", {{"text", "hi"}, {"language", "en US!"}});
    EXPECT_EQ(bad_language.status, 422);
    EXPECT_EQ(bad_language.error_pointer(), "/language");
    EXPECT_EQ(post("/sandbox/calls/nope/speech", {{"text", "hi"}}).status, 404);
    ASSERT_EQ(command(id, "hangup").status, 200);
    EXPECT_EQ(post("/sandbox/calls/" + id + "/speech", {{"text", "hi"}}).status, 422);
}

TEST_F(RecordingTest, Number410AnswersButItsRecordingIsGone) {
    const auto id = dial("+15550100410", {{"record", "record-from-answer"}});
    ASSERT_TRUE(http_.wait_for(id, "call.answered").has_value());
    ASSERT_EQ(command(id, "hangup").status, 200);
    const auto saved = http_.wait_for(id, "call.recording.saved");
    ASSERT_TRUE(saved.has_value());
    const auto file = get(path_of(saved->payload()["recording_urls"]["wav"].get<std::string>()));
    EXPECT_EQ(file.status, 410);
}

TEST_F(RecordingTest, AnUnknownRecordingIsNotFound) {
    EXPECT_EQ(get("/recordings/nope.wav").status, 404);
    EXPECT_EQ(get("/recordings/nope").status, 404);
}

TEST_F(RecordingTest, ThePublicBaseUrlOptionNamesTheRecordingHost) {
    options_.public_base_url = "https://sandbox.example.com/sandbox/";
    const auto id = answered_call({{"record", "record-from-answer"}});
    ASSERT_EQ(command(id, "hangup").status, 200);
    const auto saved = http_.wait_for(id, "call.recording.saved");
    ASSERT_TRUE(saved.has_value());
    EXPECT_TRUE(saved->payload()["recording_urls"]["wav"].get<std::string>().starts_with(
        "https://sandbox.example.com/sandbox/recordings/"));
}

}  // namespace
}  // namespace crossvoice::sandbox::testing
