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
