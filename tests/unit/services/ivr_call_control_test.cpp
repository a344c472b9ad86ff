#include "services/ivr_call_control.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/client_state.hpp"
#include "ivr_test_base.hpp"
#include "services/ivr_listener.hpp"
#include "support/fake_carrier.hpp"
#include "support/scripted_http_client.hpp"

namespace crossvoice::services {
namespace {

using core::CallEvent;
using core::CallEventType;
using Commands = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kFlow = R"(name: desk-line
platform: joromi
numbers: ["+12025550177"]
start: hello
nodes:
  hello: {type: say, text: "Hello.", next: ask}
  ask:
    type: menu
    prompt: Press 1 for the desk.
    retries: 0
    fallback: bye
    options:
      - {digit: "1", next: desk}
  desk: {type: transfer, targets: ["+12025550120"], no_answer: bye}
  bye: {type: hangup, text: Goodbye.}
)";

// The Call Control IVR against the real stores, parser, markup and engine; only the carrier is a recording fake.
class IvrCallControlTest : public IvrTestBase {
  protected:
    void SetUp() override {
        ASSERT_TRUE(catalog_.put(core::Platform::kJoromi, "desk-line", kFlow).ok());
        events_.set_observer(&driver_);
    }

    CallEvent event(std::string id, CallEventType type, std::string control_id = "v3:in") {
        CallEvent e;
        e.id = std::move(id);
        e.type = type;
        e.event_type = "call." + std::string(core::to_string(type));
        e.occurred_at = clock_.now();
        e.call_control_id = std::move(control_id);
        if (call_) e.client_state = core::encode_client_state({call_->platform, call_->session_id, call_->id});
        return e;
    }

    void deliver(CallEvent e) {
        auto applied = events_.apply(e, "{}");
        ASSERT_TRUE(applied.ok()) << applied.error().message;
    }

    void ring_in(const std::string& to = "+12025550177") {
        auto initiated = event("ev-init", CallEventType::kInitiated);
        initiated.direction = "incoming";
        initiated.from = "+12025550199";
        initiated.to = to;
        deliver(initiated);
        auto found = calls_.find_by_control_id("v3:in");
        ASSERT_TRUE(found.ok());
        if (*found) call_ = **found;
    }

    // The commands sent since the last call of this function.
    Commands sent() {
        auto all = carrier_.commands();
        Commands out(all.begin() + static_cast<std::ptrdiff_t>(seen_), all.end());
        seen_ = all.size();
        return out;
    }

    core::ports::IvrCallRecord record() {
        auto found = ivr_calls_.find(call_->id);
        EXPECT_TRUE(found.ok() && found->has_value());
        return **found;
    }

    testing::FakeCarrier carrier_;
    IvrCallControl driver_{catalog_, ivr_calls_, calls_, sessions_, carrier_, markup_, zones_, clock_, ids_};
    std::optional<core::Call> call_;
    std::size_t seen_ = 0;
};

TEST_F(IvrCallControlTest, AnIncomingCallOnARoutedNumberIsOpenedAndAnswered) {
    ring_in();
    ASSERT_TRUE(call_.has_value());
    EXPECT_EQ(call_->platform, core::Platform::kJoromi);
    EXPECT_EQ(call_->direction, core::CallDirection::kInbound);
    EXPECT_EQ(call_->flow, "desk-line");
    EXPECT_EQ(sent(), (Commands{{"v3:in", "answer"}}));
    auto session = sessions_.get({core::Platform::kJoromi, "test"}, call_->session_id);
    ASSERT_TRUE(session.ok());
    EXPECT_EQ(session->phone_number, "+12025550199");
}

TEST_F(IvrCallControlTest, TheFlowRunsOneCommandAtATimeAndAnUnansweredTransferGoesOn) {
    ring_in();
    sent();
    deliver(event("ev-answered", CallEventType::kAnswered));
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // "Hello.", then wait for it to finish
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    EXPECT_EQ(sent(), (Commands{{"v3:in", "gather_using_speak"}}));
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kMenu);

    auto pressed = event("ev-gathered", CallEventType::kGatherEnded);
    pressed.digits = "1";
    deliver(pressed);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "transfer"}}));
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kDial);

    // The far leg (its own call_control_id, our client_state) hangs up unanswered.
    auto unanswered = event("ev-far-hangup", CallEventType::kHangup, "v3:far");
    unanswered.hangup_cause = "no_answer";
    deliver(unanswered);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // "Goodbye."
    deliver(event("ev-spoke-2", CallEventType::kSpeakEnded));
    EXPECT_EQ(sent(), (Commands{{"v3:in", "hangup"}}));
    EXPECT_EQ(record().state.outcome, "hangup");
    // The caller's own leg is untouched by the far leg's hang-up.
    auto call = calls_.find_by_control_id("v3:in");
    ASSERT_TRUE(call.ok() && call->has_value());
    EXPECT_EQ((*call)->state, core::CallState::kAnswered);
}

TEST_F(IvrCallControlTest, ABridgedTransferEndsTheFlowWithoutCuttingTheCaller) {
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    auto pressed = event("ev-gathered", CallEventType::kGatherEnded);
    pressed.digits = "1";
    deliver(pressed);
    sent();
    deliver(event("ev-bridged", CallEventType::kBridged));
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(record().state.outcome, "transferred");
}

TEST_F(IvrCallControlTest, ARepeatedDeliveryChangesNothing) {
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    auto pressed = event("ev-gathered", CallEventType::kGatherEnded);
    pressed.digits = "1";
    deliver(pressed);
    sent();
    const auto before = record();
    deliver(pressed);
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(record().version, before.version);
}

TEST_F(IvrCallControlTest, SilenceAtTheMenuFallsBackAfterItsRetries) {
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    deliver(event("ev-spoke", CallEventType::kSpeakEnded));
    sent();
    auto timeout = event("ev-timeout", CallEventType::kGatherEnded);
    timeout.status = "timeout";
    deliver(timeout);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // retries: 0, so straight to "Goodbye."
    EXPECT_EQ(record().state.node, "bye");
}

TEST_F(IvrCallControlTest, AtShangosNodeAKeyGoesOnAndSilenceAsksAgain) {
    constexpr const char* kShangoLine = R"(name: desk-line
platform: joromi
numbers: ["+12025550177"]
start: shango
nodes:
  shango: {type: assistant, prompt: "Ask me anything, or press any key.", next: bye, retries: 1}
  bye: {type: hangup, text: Goodbye.}
)";
    ASSERT_TRUE(catalog_.put(core::Platform::kJoromi, "desk-line", kShangoLine).ok());
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kAssistant);
    sent();
    auto silence = event("ev-silence", CallEventType::kGatherEnded);
    silence.status = "timeout";
    deliver(silence);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "gather_using_speak"}}));  // "Are you still there?"
    auto pressed = event("ev-pressed", CallEventType::kGatherEnded);
    pressed.digits = "5";
    deliver(pressed);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // "Goodbye."
    EXPECT_EQ(record().state.node, "bye");
}

class IvrCallControlListeningTest : public IvrCallControlTest {
  protected:
    static constexpr const char* kShangoLine = R"(name: desk-line
platform: joromi
numbers: ["+12025550177"]
start: shango
nodes:
  shango: {type: assistant, prompt: "Ask me anything, or press any key.", next: bye, retries: 1, timeout: 6}
  bye: {type: hangup, text: Goodbye.}
)";

    void SetUp() override {
        IvrCallControlTest::SetUp();
        ASSERT_TRUE(catalog_.put(core::Platform::kJoromi, "desk-line", kShangoLine).ok());
        driver_.set_listener(&jobs_);
        ring_in();
        deliver(event("ev-answered", CallEventType::kAnswered));
        EXPECT_EQ(sent(), (Commands{{"v3:in", "answer"}, {"v3:in", "speak"}}));  // the prompt, said on its own
        deliver(event("ev-prompted", CallEventType::kSpeakEnded));
    }

    CallEvent saved(std::string id) {
        auto e = event(std::move(id), CallEventType::kRecordingSaved);
        core::CallRecording recording;
        recording.wav_url = "https://carrier.test/" + e.id + ".wav";
        e.recording = recording;
        return e;
    }
};

TEST_F(IvrCallControlListeningTest, ShangosNodeListensByRecordingUntilTheCallerFallsSilent) {
    EXPECT_EQ(sent(), (Commands{{"v3:in", "record_start"}}));
    const auto recordings = carrier_.recordings();
    ASSERT_EQ(recordings.size(), 1u);
    EXPECT_EQ(recordings[0].timeout_secs, IvrCallControl::kListenSilenceSeconds);
    EXPECT_EQ(recordings[0].max_length, 16);  // the node's 6 s to start talking, plus time to talk
    EXPECT_FALSE(recordings[0].play_beep);
    EXPECT_EQ(recordings[0].channels, "single");
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kAssistant);
}

TEST_F(IvrCallControlListeningTest, TheSavedTurnIsQueuedOnceForTranscriptionAndItsWordsAreApplied) {
    sent();
    const int step = record().state.step;
    deliver(saved("ev-turn"));
    deliver(saved("ev-turn"));  // a duplicate delivery queues nothing more
    auto job = jobs_.find_by_dedupe_key("listen:ev-turn");
    ASSERT_TRUE(job.ok() && job->has_value());
    const auto payload = nlohmann::json::parse((*job)->payload_json);
    EXPECT_EQ(payload["callId"], call_->id);
    EXPECT_EQ(payload["step"], step);
    EXPECT_EQ(payload["url"], "https://carrier.test/ev-turn.wav");
    EXPECT_EQ((*job)->kind, kIvrListenJob);
    EXPECT_TRUE(sent().empty()) << "nothing happens until the words are known";
    auto archived = jobs_.find_by_dedupe_key(recording_fetch_key("ev-turn"));
    ASSERT_TRUE(archived.ok());
    EXPECT_FALSE(archived->has_value()) << "a turn is not the call's recording: not copied, not transcribed again";

    // Nothing heard: asked again, and listened to again.
    ASSERT_TRUE(driver_.hear(call_->id, step, "").ok());
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // "Are you still there?"
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kAssistant);
    deliver(event("ev-asked-again", CallEventType::kSpeakEnded));
    EXPECT_EQ(sent(), (Commands{{"v3:in", "record_start"}}));

    // Words that come late, for a turn the call has left behind, change nothing.
    const auto before = record();
    ASSERT_TRUE(driver_.hear(call_->id, step, "hello").ok());
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(record().version, before.version);
}

TEST_F(IvrCallControlListeningTest, WordsWithoutAnAssistantHandTheCallerOn) {
    sent();
    // No SHANGO configured in this test: the node apologises and goes on, exactly as on TeXML.
    ASSERT_TRUE(driver_.hear(call_->id, record().state.step, "what are your hours").ok());
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));
    EXPECT_EQ(record().state.node, "bye");
}

TEST_F(IvrCallControlListeningTest, AKeyWhileListeningStopsTheRecordingAndLeavesTheNode) {
    sent();
    auto pressed = event("ev-key", CallEventType::kDtmfReceived);
    pressed.digits = "5";
    deliver(pressed);
    EXPECT_EQ(sent(), (Commands{{"v3:in", "record_stop"}, {"v3:in", "speak"}}));  // then "Goodbye."
    EXPECT_EQ(record().state.node, "bye");
    // The stopped recording's call.recording.saved arrives afterwards and is not listened to.
    deliver(saved("ev-stopped"));
    auto job = jobs_.find_by_dedupe_key("listen:ev-stopped");
    ASSERT_TRUE(job.ok());
    EXPECT_FALSE(job->has_value());
}

// The ivr.listen job: the recording is fetched, transcribed in the call's language, and its words applied.
class IvrListenerTest : public IvrCallControlListeningTest {
  protected:
    core::Job listen_job() {
        sent();
        deliver(saved("ev-turn"));
        auto job = jobs_.find_by_dedupe_key("listen:ev-turn");
        EXPECT_TRUE(job.ok() && job->has_value());
        return **job;
    }
    static core::ports::HttpResponse wav(std::string body = "RIFF....WAVE") {
        core::ports::HttpResponse response;
        response.status = 200;
        response.body = std::move(body);
        return response;
    }

    testing::ScriptedHttpClient http_;
    std::vector<std::pair<std::string, std::string>> heard_;  // (bytes, language) given to the engine
    core::Result<core::Transcript> engine_answer_ = core::Transcript{};
    IvrListener listener_{http_,
                          [this](std::string bytes, const std::string& language) {
                              heard_.emplace_back(std::move(bytes), language);
                              return engine_answer_;
                          },
                          driver_};
};

TEST_F(IvrListenerTest, TheTurnIsFetchedTranscribedInTheCallsLanguageAndApplied) {
    const auto job = listen_job();
    http_.replies.push_back(wav("the caller's audio"));
    engine_answer_ = core::Transcript{};  // nothing heard
    ASSERT_TRUE(listener_.run(job).ok());
    ASSERT_EQ(http_.requests.size(), 1u);
    EXPECT_EQ(http_.requests[0].url, "https://carrier.test/ev-turn.wav");
    ASSERT_EQ(heard_.size(), 1u);
    EXPECT_EQ(heard_[0].first, "the caller's audio");
    EXPECT_EQ(heard_[0].second, "en-US");
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // silence: "Are you still there?"
}

TEST_F(IvrListenerTest, AFailedDownloadOrEngineIsRetriedAndChangesNothing) {
    const auto job = listen_job();
    core::ports::HttpResponse missing;
    missing.status = 404;
    http_.replies.push_back(missing);
    const auto not_yet = listener_.run(job);
    ASSERT_FALSE(not_yet.ok());
    EXPECT_EQ(not_yet.error().code, core::ErrorCode::kVendor);

    http_.replies.push_back(wav());
    engine_answer_ = core::Error{core::ErrorCode::kUnavailable, "engine down", {}};
    const auto down = listener_.run(job);
    ASSERT_FALSE(down.ok());
    EXPECT_EQ(down.error().code, core::ErrorCode::kUnavailable);
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(record().state.awaiting, core::ivr::Awaiting::kAssistant);
}

TEST_F(IvrListenerTest, AudioThatCannotBeHeardCountsAsSilence) {
    const auto job = listen_job();
    http_.replies.push_back(wav());
    engine_answer_ = core::Error{core::ErrorCode::kUnprocessable, "the audio is empty", {}};
    ASSERT_TRUE(listener_.run(job).ok());
    EXPECT_EQ(sent(), (Commands{{"v3:in", "speak"}}));  // asked again
}

TEST_F(IvrListenerTest, AMalformedJobIsRefused) {
    core::Job job;
    job.payload_json = R"({"callId": 5})";
    EXPECT_EQ(listener_.run(job).error().code, core::ErrorCode::kInternal);
    EXPECT_TRUE(http_.requests.empty());
}

TEST_F(IvrCallControlTest, WithoutAListenerKeysOutsideAGatherAreIgnored) {
    ring_in();
    deliver(event("ev-answered", CallEventType::kAnswered));
    sent();
    auto pressed = event("ev-key", CallEventType::kDtmfReceived);
    pressed.digits = "1";
    deliver(pressed);
    EXPECT_TRUE(sent().empty());
}

TEST_F(IvrCallControlTest, ACallToANumberNoFlowOwnsIsLeftAlone) {
    ring_in("+12025550999");
    EXPECT_FALSE(call_.has_value());
    EXPECT_TRUE(sent().empty());
}

}  // namespace
}  // namespace crossvoice::services
