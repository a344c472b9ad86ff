#include "sandbox/texml_session.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/wav.hpp"
#include "fakes.hpp"
#include "sandbox/url_form.hpp"
#include "telnyx/base64.hpp"
#include "texml_fakes.hpp"

namespace crossvoice::sandbox::testing {
namespace {

using Kind = CallerAction::Kind;
using nlohmann::json;

constexpr const char* kApp = "http://app.test/texml";
constexpr const char* kStatus = "http://app.test/status";
constexpr const char* kBase = "http://sandbox.test:8080/sandbox";

CallerAction press(std::string digits) { return {Kind::kPress, std::move(digits)}; }
CallerAction say(std::string words) { return {Kind::kSay, std::move(words)}; }
CallerAction record(std::string words) { return {Kind::kRecord, std::move(words)}; }
CallerAction silence() { return {Kind::kSilence, ""}; }

std::vector<std::string> kinds(const TexmlTranscript& transcript) {
    std::vector<std::string> out;
    for (const auto& step : transcript.steps) out.push_back(step["kind"].get<std::string>());
    return out;
}

// The steps of one kind, in order.
std::vector<json> steps_of(const TexmlTranscript& transcript, std::string_view kind) {
    std::vector<json> out;
    for (const auto& step : transcript.steps) {
        if (step["kind"] == kind) out.push_back(step);
    }
    return out;
}

class TexmlSessionTest : public ::testing::Test {
  protected:
    TexmlSessionTest() {
        call_.from = "+12025550199";
        call_.to = "+12025550100";
        call_.url = kApp;
        app_.on(kStatus, [](const AppRequest&) -> core::Result<core::ports::HttpResponse> {
            return FakeTexmlApp::answer(200, R"({"success":true})", "application/json");
        });
    }

    TexmlTranscript run(std::vector<CallerAction> script = {}) {
        call_.script = std::move(script);
        TexmlEnvironment environment{.http = app_,
                                     .signer = signer_,
                                     .speech = speech_,
                                     .recordings = recordings_,
                                     .clock = clock_,
                                     .public_base = kBase,
                                     .talk_secs = 20};
        environment.max_documents = max_documents_;
        environment.max_instructions = max_instructions_;
        return run_texml_call(call_, environment);
    }

    // The signature of `seen` verifies under the signer's public key, over timestamp|body (POST) or
    // timestamp|query (GET).
    void expect_signed(const AppRequest& seen) const {
        SCOPED_TRACE(seen.request.url);
        const auto signature = seen.header("Telnyx-Signature-Ed25519");
        const auto timestamp = seen.header("Telnyx-Timestamp");
        ASSERT_TRUE(signature && timestamp);
        const auto key = telnyx::decode_base64(signer_.public_key_base64());
        const auto raw_signature = telnyx::decode_base64(*signature);
        ASSERT_TRUE(key && raw_signature);
        ASSERT_EQ(key->size(), crypto_sign_PUBLICKEYBYTES);
        ASSERT_EQ(raw_signature->size(), crypto_sign_BYTES);
        const auto message = *timestamp + "|" + (seen.request.method == "GET" ? seen.query : seen.request.body);
        EXPECT_EQ(crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(raw_signature->data()),
                                              reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                              reinterpret_cast<const unsigned char*>(key->data())),
                  0);
        const auto now = core::to_unix_ms(clock_.now()) / 1000;
        EXPECT_NEAR(std::stoll(*timestamp), now, 5);
    }

    TexmlCall call_;
    FakeTexmlApp app_;
    FakeSpeech speech_;
    WebhookSigner signer_{std::nullopt};
    RecordingStore recordings_;
    core::SystemClock clock_;
    std::size_t max_documents_ = 100;
    std::size_t max_instructions_ = 300;
};

// ---------------------------------------------------------------------------------------------------------------
// Requests

TEST_F(TexmlSessionTest, FirstFetchPostsEveryParameterSignedAsAForm) {
    app_.texml(kApp, FakeTexmlApp::document("<Hangup/>"));
    const auto transcript = run();
    const auto requests = app_.requests_to(kApp);
    ASSERT_EQ(requests.size(), 1U);
    const auto& first = requests[0];
    EXPECT_EQ(first.request.method, "POST");
    EXPECT_EQ(first.header("Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(first.param("AccountSid"), kSandboxAccountSid);
    EXPECT_EQ(first.param("CallSid"), transcript.call_sid);
    EXPECT_TRUE(first.param("CallSid").starts_with("v3:"));
    EXPECT_FALSE(first.param("CallSidLegacy").empty());
    EXPECT_EQ(first.param("From"), "+12025550199");
    EXPECT_EQ(first.param("To"), "+12025550100");
    EXPECT_EQ(first.param("FromSipUri"), "sip:+12025550199@sandbox.sip.test");
    EXPECT_EQ(first.param("ToSipUri"), "sip:+12025550100@sandbox.sip.test");
    EXPECT_EQ(first.param("CallerId"), "+12025550199");
    EXPECT_EQ(first.param("CallingPartyType"), "pstn");
    EXPECT_EQ(first.param("ConnectionId"), "sandbox");
    EXPECT_EQ(first.param("CallStatus"), "in-progress");
    EXPECT_EQ(first.param("Direction"), "inbound");
    // '+' is form-encoded, so the service reads the numbers back intact.
    EXPECT_NE(first.request.body.find("From=%2B12025550199"), std::string::npos);
    expect_signed(first);
    EXPECT_EQ(transcript.outcome, "hangup");
    EXPECT_EQ(transcript.steps[0]["kind"], "fetch");
    EXPECT_EQ(transcript.steps[0]["status"], 200);
    EXPECT_EQ(transcript.steps[0]["reason"], "start");
}

TEST_F(TexmlSessionTest, GetSendsTheParametersInTheQueryAndSignsTheWholeQuery) {
    call_.url = std::string(kApp) + "?app=main";
    call_.method = "GET";
    app_.texml(kApp, FakeTexmlApp::document("<Hangup/>"));
    run();
    const auto requests = app_.requests_to(kApp);
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].request.method, "GET");
    EXPECT_TRUE(requests[0].request.body.empty());
    EXPECT_TRUE(requests[0].query.starts_with("app=main&AccountSid="));
    EXPECT_EQ(requests[0].param("app"), "main");
    EXPECT_EQ(requests[0].param("Direction"), "inbound");
    expect_signed(requests[0]);
}

TEST_F(TexmlSessionTest, CallbacksCarryTheCallParametersAndTheirOwn) {
    app_.on(kApp, [](const AppRequest& seen) -> core::Result<core::ports::HttpResponse> {
        if (seen.param("Digits") == "7") return FakeTexmlApp::answer(200, FakeTexmlApp::document("<Hangup/>"));
        return FakeTexmlApp::answer(200, FakeTexmlApp::document(R"(<Gather action="/texml?step=1&amp;input=gather">)"
                                                                R"(<Say>Menu</Say></Gather>)"));
    });
    const auto transcript = run({press("7")});
    const auto requests = app_.requests_to(kApp);
    ASSERT_EQ(requests.size(), 2U);
    const auto& action = requests[1];
    EXPECT_EQ(action.query, "step=1&input=gather");  // the service's own parameters stay on the URL
    EXPECT_EQ(action.param("Digits"), "7");
    EXPECT_EQ(action.param("CallSid"), transcript.call_sid);
    EXPECT_EQ(action.param("AccountSid"), kSandboxAccountSid);
    EXPECT_EQ(action.param("CallStatus"), "in-progress");
    EXPECT_FALSE(action.has("SpeechResult"));
    expect_signed(action);
}

// ---------------------------------------------------------------------------------------------------------------
// Verbs

TEST_F(TexmlSessionTest, SayPlayAndPauseAreHeardAndTimed) {
    app_.texml(kApp, FakeTexmlApp::document(R"(<Say voice="alice" language="en-GB" loop="2">Hello &amp; welcome</Say>)"
                                            R"(<Play>https://cdn.test/tune.mp3</Play><Pause length="3"/><Hangup/>)"));
    const auto transcript = run();
    EXPECT_EQ(kinds(transcript), (std::vector<std::string>{"fetch", "say", "play", "pause", "hangup"}));
    const auto& spoken = transcript.steps[1];
    EXPECT_EQ(spoken["text"], "Hello & welcome");
    EXPECT_EQ(spoken["voice"], "alice");
    EXPECT_EQ(spoken["language"], "en-GB");
    EXPECT_EQ(spoken["loop"], 2);
    EXPECT_EQ(transcript.steps[2]["url"], "https://cdn.test/tune.mp3");
    EXPECT_EQ(transcript.steps[3]["seconds"], 3);
    EXPECT_EQ(transcript.steps[4]["by"], "application");
    EXPECT_EQ(transcript.duration_secs, 2 * 2 + 2 + 3);
    EXPECT_EQ(transcript.outcome, "hangup");
    EXPECT_FALSE(transcript.connected_to.has_value());
}

TEST_F(TexmlSessionTest, TheEndOfADocumentHangsUp) {
    app_.texml(kApp, FakeTexmlApp::document("<Say>Bye</Say>"));
    const auto transcript = run();
    EXPECT_EQ(transcript.steps.back()["kind"], "hangup");
    EXPECT_EQ(transcript.steps.back()["by"], "end_of_document");
    EXPECT_EQ(transcript.outcome, "hangup");
}

// The service's shape: a Gather, then a Redirect that tells it nothing was heard.
std::string menu(std::string_view input = "dtmf") {
    return FakeTexmlApp::document(std::string(R"(<Gather action="/texml?input=gather" input=")") + std::string(input) +
                                  R"(" hints="sales, billing"><Say>For sales press 1.</Say><Pause length="1"/>)"
                                  R"(</Gather><Redirect>/texml?input=none</Redirect>)");
}

// Answers the menu first, then says what it received and hangs up.
void serve_menu(FakeTexmlApp& app, std::string input = "dtmf") {
    app.on(kApp, [input](const AppRequest& seen) -> core::Result<core::ports::HttpResponse> {
        if (seen.query.empty()) return FakeTexmlApp::answer(200, menu(input));
        std::string heard = seen.query + " digits=" + seen.param("Digits") + " speech=" + seen.param("SpeechResult");
        return FakeTexmlApp::answer(200, FakeTexmlApp::document("<Say>" + heard + "</Say><Hangup/>"));
    });
}

TEST_F(TexmlSessionTest, GatherPostsPressedDigitsToItsAction) {
    serve_menu(app_);
    const auto transcript = run({press("1")});
    EXPECT_EQ(kinds(transcript),
              (std::vector<std::string>{"fetch", "gather", "say", "pause", "press", "fetch", "say", "hangup"}));
    EXPECT_EQ(transcript.steps[1]["input"], "dtmf");
    EXPECT_EQ(transcript.steps[1]["hints"], "sales, billing");
    EXPECT_EQ(transcript.steps[4]["digits"], "1");
    EXPECT_EQ(transcript.steps[5]["reason"], "gather");
    EXPECT_EQ(transcript.steps[5]["url"], "http://app.test/texml?input=gather");
    EXPECT_EQ(transcript.steps[6]["text"], "input=gather digits=1 speech=");
    EXPECT_EQ(transcript.duration_secs, 2 + 1 + 2 + 2);  // prompt, pause, key press, answer
    EXPECT_EQ(transcript.unused_actions, 0U);
}

TEST_F(TexmlSessionTest, GatherSendsSpeechWithConfidenceWhenItListensForSpeech) {
    serve_menu(app_, "dtmf speech");
    const auto transcript = run({say("billing please")});
    const auto actions = app_.requests_to(kApp);
    ASSERT_EQ(actions.size(), 2U);
    EXPECT_EQ(actions[1].param("SpeechResult"), "billing please");
    EXPECT_EQ(actions[1].param("Confidence"), "0.92");
    EXPECT_FALSE(actions[1].has("Digits"));
    const auto spoken = steps_of(transcript, "speak");
    ASSERT_EQ(spoken.size(), 1U);
    EXPECT_EQ(spoken[0]["heard"], true);
}

TEST_F(TexmlSessionTest, SpeechAtAKeysOnlyGatherIsNotHeardAndTheNextVerbRuns) {
    serve_menu(app_, "dtmf");
    const auto transcript = run({say("billing")});
    const auto spoken = steps_of(transcript, "speak");
    ASSERT_EQ(spoken.size(), 1U);
    EXPECT_EQ(spoken[0]["heard"], false);
    ASSERT_EQ(steps_of(transcript, "no_input").size(), 1U);
    const auto actions = app_.requests_to(kApp);
    ASSERT_EQ(actions.size(), 2U);
    EXPECT_EQ(actions[1].query, "input=none");  // the Redirect after the Gather
    EXPECT_FALSE(actions[1].has("SpeechResult"));
}

TEST_F(TexmlSessionTest, KeysAtASpeechOnlyGatherAreNotHeard) {
    serve_menu(app_, "speech");
    const auto transcript = run({press("1")});
    EXPECT_EQ(steps_of(transcript, "no_input").size(), 1U);
    EXPECT_EQ(app_.requests_to(kApp).back().query, "input=none");
}

TEST_F(TexmlSessionTest, SilenceFallsThroughToTheNextVerb) {
    serve_menu(app_);
    const auto transcript = run({silence()});
    EXPECT_EQ(kinds(transcript), (std::vector<std::string>{"fetch", "gather", "say", "pause", "no_input", "redirect",
                                                           "fetch", "say", "hangup"}));
    EXPECT_EQ(steps_of(transcript, "no_input")[0]["reason"], "silence");
    EXPECT_EQ(steps_of(transcript, "redirect")[0]["url"], "http://app.test/texml?input=none");
    EXPECT_EQ(steps_of(transcript, "redirect")[0]["method"], "POST");
    EXPECT_EQ(transcript.duration_secs, 2 + 1 + 5 + 2);  // prompt, pause, the 5 s timeout, answer
}

TEST_F(TexmlSessionTest, DigitsStopAtTheFinishKeyAndAtNumDigits) {
    app_.on(kApp, [](const AppRequest& seen) -> core::Result<core::ports::HttpResponse> {
        if (seen.query.empty()) {
            return FakeTexmlApp::answer(200, FakeTexmlApp::document(R"(<Gather action="?n=any"/>)"
                                                                    R"(<Gather action="?n=one" numDigits="1"/>)"));
        }
        if (seen.query == "n=any") {
            return FakeTexmlApp::answer(200, FakeTexmlApp::document(R"(<Gather action="?n=one" numDigits="1"/>)"));
        }
        return FakeTexmlApp::answer(200, FakeTexmlApp::document("<Hangup/>"));
    });
    run({press("12#3"), press("45")});
    const auto requests = app_.requests_to(kApp);
    ASSERT_EQ(requests.size(), 3U);
    EXPECT_EQ(requests[1].param("Digits"), "12");
    EXPECT_EQ(requests[2].param("Digits"), "4");
}

TEST_F(TexmlSessionTest, AGatherWithoutActionPostsToTheCurrentDocument) {
    app_.on(kApp, [](const AppRequest& seen) -> core::Result<core::ports::HttpResponse> {
        if (!seen.has("Digits")) return FakeTexmlApp::answer(200, FakeTexmlApp::document("<Gather/>"));
        return FakeTexmlApp::answer(200, FakeTexmlApp::document("<Hangup/>"));
    });
    run({press("5")});
    const auto requests = app_.requests_to(kApp);
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_EQ(requests[1].param("Digits"), "5");
}

TEST_F(TexmlSessionTest, TheCallerHangsUpAtTheSecondGatherAfterTheScriptRanOut) {
    app_.on(kApp, [](const AppRequest&) -> core::Result<core::ports::HttpResponse> {
        return FakeTexmlApp::answer(200, menu());  // re-prompts forever
    });
    const auto transcript = run({press("1")});
    EXPECT_EQ(transcript.outcome, "caller_hung_up");
    const auto no_input = steps_of(transcript, "no_input");
    ASSERT_EQ(no_input.size(), 1U);
    EXPECT_EQ(no_input[0]["reason"], "the script has ended");
    EXPECT_EQ(transcript.steps.back()["kind"], "hangup");
    EXPECT_EQ(transcript.steps.back()["by"], "caller");
    EXPECT_EQ(steps_of(transcript, "gather").size(), 3U);
}

TEST_F(TexmlSessionTest, ARecordActionWaitsForTheRecordVerb) {
    app_.on(kApp, [](const AppRequest& seen) -> core::Result<core::ports::HttpResponse> {
        if (seen.query.empty()) {
            return FakeTexmlApp::answer(
                200, FakeTexmlApp::document(R"(<Gather action="?g"/><Record action="?r"/><Hangup/>)"));
        }
        return FakeTexmlApp::answer(200, FakeTexmlApp::document("<Hangup/>"));
    });
    const auto transcript = run({record("Call me back")});
    EXPECT_EQ(steps_of(transcript, "no_input")[0]["reason"], "the caller is waiting to record");
    const auto recorded = steps_of(transcript, "record");
    ASSERT_EQ(recorded.size(), 1U);
    EXPECT_EQ(recorded[0]["text"], "Call me back");
    EXPECT_EQ(transcript.unused_actions, 0U);
}

TEST_F(TexmlSessionTest, RelativeUrlsResolveAgainstTheDocument) {
    call_.url = "http://app.test/ivr/start.xml";
    app_.texml("http://app.test/ivr/start.xml", FakeTexmlApp::document("<Redirect>next.xml</Redirect>"));
    app_.texml("http://app.test/ivr/next.xml", FakeTexmlApp::document("<Redirect>//other.test/x</Redirect>"));
    app_.texml("http://other.test/x", FakeTexmlApp::document("<Hangup/>"));
    const auto transcript = run();
    EXPECT_EQ(transcript.outcome, "hangup");
    EXPECT_EQ(app_.requests_to("http://app.test/ivr/next.xml").size(), 1U);
    EXPECT_EQ(app_.requests_to("http://other.test/x").size(), 1U);
}

TEST_F(TexmlSessionTest, RedirectFollowsItsMethod) {
    app_.texml(kApp, FakeTexmlApp::document(R"(<Redirect method="GET">http://app.test/get?x=1</Redirect>)"
                                            R"(<Say>never heard</Say>)"));
    app_.texml("http://app.test/get", FakeTexmlApp::document("<Hangup/>"));
    const auto transcript = run();
    const auto got = app_.requests_to("http://app.test/get");
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].request.method, "GET");
    EXPECT_TRUE(got[0].query.starts_with("x=1&AccountSid="));
    expect_signed(got[0]);
    EXPECT_TRUE(steps_of(transcript, "say").empty());  // verbs after a Redirect never run
    EXPECT_EQ(steps_of(transcript, "fetch")[1]["reason"], "redirect");
}

// ---------------------------------------------------------------------------------------------------------------
// Dial

struct DialCase {
    const char* number;
    const char* status;
};

class TexmlDialTest : public TexmlSessionTest, public ::testing::WithParamInterface<DialCase> {};

TEST_P(TexmlDialTest, TheNumberPlanDecidesTheDialCallStatus) {
    const auto [number, status] = GetParam();
    app_.texml(kApp,
               FakeTexmlApp::document(std::string(R"(<Dial action="/dialed"><Number>)") + number + "</Number></Dial>"));
    app_.texml("http://app.test/dialed", FakeTexmlApp::document("<Hangup/>"));
    const auto transcript = run();
    const auto dialed = app_.requests_to("http://app.test/dialed");
    ASSERT_EQ(dialed.size(), 1U);
    EXPECT_EQ(dialed[0].param("DialCallStatus"), status);
    EXPECT_TRUE(dialed[0].param("DialCallSid").starts_with("v3:"));
    EXPECT_EQ(dialed[0].param("DialCallDuration"), std::string(status) == "completed" ? "20" : "0");
    expect_signed(dialed[0]);
    const auto step = steps_of(transcript, "dial").at(0);
    EXPECT_EQ(step["result"], status);
    EXPECT_EQ(step["targets"][0]["target"], number);
    if (std::string(status) == "completed") {
        EXPECT_EQ(transcript.outcome, "transferred");
        EXPECT_EQ(transcript.connected_to, number);
        EXPECT_EQ(step["targets"][0]["result"], "answered");
    } else {
        EXPECT_EQ(transcript.outcome, "hangup");
        EXPECT_EQ(step["targets"][0]["result"], status);
    }
}

INSTANTIATE_TEST_SUITE_P(NumberPlan, TexmlDialTest,
                         ::testing::Values(DialCase{"+12025550120", "completed"}, DialCase{"+12025550486", "busy"},
                                           DialCase{"+12025550408", "no-answer"}, DialCase{"+12025550404", "failed"},
                                           DialCase{"+12025550603", "failed"},
                                           DialCase{"sip:agent500@pbx.test", "completed"}));

TEST_F(TexmlSessionTest, DialConnectsTheFirstTargetThatAnswers) {
    app_.texml(kApp, FakeTexmlApp::document("<Dial><Number>+12025550486</Number><Number>+12025550121</Number>"
                                            "<Sip>sip:+12025550122@pbx.test</Sip></Dial>"));
    const auto transcript = run();
    const auto step = steps_of(transcript, "dial").at(0);
    EXPECT_EQ(step["result"], "completed");
    EXPECT_EQ(step["connectedTo"], "+12025550121");
    EXPECT_EQ(step["targets"].size(), 3U);
    EXPECT_EQ(step["targets"][0]["result"], "busy");
    EXPECT_EQ(step["targets"][1]["result"], "answered");
    EXPECT_EQ(step["targets"][2]["result"], "canceled");  // stopped ringing when the second one answered
    EXPECT_EQ(transcript.outcome, "transferred");
    EXPECT_EQ(transcript.connected_to, "+12025550121");
    EXPECT_EQ(transcript.duration_secs, 4 + 20);  // ringing, then the callee talks
}

TEST_F(TexmlSessionTest, DialWithoutActionContinuesWithTheNextVerb) {
    app_.texml(kApp, FakeTexmlApp::document(
                         R"(<Dial timeout="10"><Number>+12025550408</Number></Dial><Say>Nobody answered.</Say>)"));
    const auto transcript = run();
    EXPECT_EQ(kinds(transcript), (std::vector<std::string>{"fetch", "dial", "say", "hangup"}));
    EXPECT_EQ(transcript.steps[1]["result"], "no-answer");
    EXPECT_EQ(transcript.duration_secs, 10 + 2);  // rang for the Dial's timeout
    EXPECT_EQ(transcript.outcome, "hangup");
}

TEST_F(TexmlSessionTest, ATimeLimitShortensTheConnectedCall) {
    app_.texml(kApp, FakeTexmlApp::document(R"(<Dial timeLimit="7">+12025550120</Dial>)"));
    const auto transcript = run();
    EXPECT_EQ(steps_of(transcript, "dial").at(0)["durationSecs"], 7);
}

// ---------------------------------------------------------------------------------------------------------------
// Record

TEST_F(TexmlSessionTest, RecordVoicesTheCallersMessageAndServesIt) {
    app_.texml(kApp,
               FakeTexmlApp::document(
                   R"(<Say>Leave a message.</Say><Record action="/recorded" recordingStatusCallback="/status"/>)"));
    app_.texml("http://app.test/recorded", FakeTexmlApp::document("<Say>Thanks.</Say><Hangup/>"));
    const auto transcript = run({record("Hi, call me back")});
    const auto step = steps_of(transcript, "record").at(0);
    EXPECT_EQ(step["text"], "Hi, call me back");
    const auto id = step["recordingSid"].get<std::string>();
    const auto url = std::string(kBase) + "/recordings/" + id + ".wav";
    EXPECT_EQ(step["url"], url);
    EXPECT_EQ(step["durationSecs"], 1);  // FakeSpeech says 100 ms: a recording lasts whole seconds
    EXPECT_EQ(speech_.calls.load(), 1);

    const auto stored = recordings_.find(id);
    ASSERT_TRUE(stored.has_value());
    const auto audio = core::parse_wav(stored->wav);
    ASSERT_TRUE(audio.has_value());
    EXPECT_EQ(audio->channels, 1);
    ASSERT_FALSE(audio->samples.empty());
    EXPECT_EQ(audio->samples[0], FakeSpeech::level_for("Hi, call me back"));

    const auto status = app_.requests_to(kStatus);
    ASSERT_EQ(status.size(), 1U);
    EXPECT_EQ(status[0].param("RecordingSid"), id);
    EXPECT_EQ(status[0].param("RecordingUrl"), url);
    EXPECT_EQ(status[0].param("RecordingDuration"), "1");
    EXPECT_EQ(status[0].param("RecordingStatus"), "completed");
    EXPECT_EQ(status[0].param("RecordingChannels"), "1");
    EXPECT_EQ(status[0].param("CallSid"), transcript.call_sid);
    expect_signed(status[0]);

    const auto action = app_.requests_to("http://app.test/recorded");
    ASSERT_EQ(action.size(), 1U);
    EXPECT_EQ(action[0].param("RecordingUrl"), url);
    EXPECT_EQ(action[0].param("RecordingDuration"), "1");
    expect_signed(action[0]);
    // The recording status callback comes before the action, which the call then follows.
    EXPECT_EQ(kinds(transcript),
              (std::vector<std::string>{"fetch", "say", "record", "callback", "fetch", "say", "hangup"}));
    EXPECT_EQ(transcript.steps[3]["event"], "recording");
    EXPECT_EQ(transcript.steps[3]["status"], 200);
}

TEST_F(TexmlSessionTest, RecordWithoutARecordActionIsAnEmptyRecording) {
    app_.texml(kApp, FakeTexmlApp::document(R"(<Record action="/recorded"/>)"));
    app_.texml("http://app.test/recorded", FakeTexmlApp::document("<Hangup/>"));
    const auto transcript = run({press("1")});
    const auto step = steps_of(transcript, "record").at(0);
    EXPECT_FALSE(step.contains("text"));
    EXPECT_EQ(step["durationSecs"], 0);
    EXPECT_EQ(speech_.calls.load(), 0);
    const auto stored = recordings_.find(step["recordingSid"].get<std::string>());
    ASSERT_TRUE(stored.has_value());
    const auto audio = core::parse_wav(stored->wav);
    ASSERT_TRUE(audio.has_value());
    EXPECT_TRUE(audio->samples.empty());
    EXPECT_EQ(app_.requests_to("http://app.test/recorded").at(0).param("RecordingDuration"), "0");
    EXPECT_EQ(transcript.unused_actions, 1U);
    EXPECT_TRUE(app_.requests_to(kStatus).empty());  // no recordingStatusCallback, no status callback
}

// ---------------------------------------------------------------------------------------------------------------
// Enqueue, Reject, the rest

TEST_F(TexmlSessionTest, EnqueueIsBridgedToTheSandboxAgent) {
    app_.texml(kApp, FakeTexmlApp::document(R"(<Enqueue action="/left" waitUrl="/hold">support</Enqueue>)"));
    app_.texml("http://app.test/left", FakeTexmlApp::document("<Hangup/>"));
    const auto transcript = run();
    const auto left = app_.requests_to("http://app.test/left");
    ASSERT_EQ(left.size(), 1U);
    EXPECT_EQ(left[0].param("QueueResult"), "bridged");
    EXPECT_FALSE(left[0].param("QueueSid").empty());
    EXPECT_EQ(left[0].param("QueueTime"), "5");
    const auto step = steps_of(transcript, "enqueue").at(0);
    EXPECT_EQ(step["queue"], "support");
    EXPECT_EQ(step["waitUrl"], "http://app.test/hold");
    EXPECT_EQ(transcript.outcome, "queued");
    EXPECT_EQ(transcript.connected_to, "support");
}

TEST_F(TexmlSessionTest, RejectEndsTheCallUnansweredAndSaysSoInTheStatus) {
    call_.status_callback = kStatus;
    app_.texml(kApp, FakeTexmlApp::document(R"(<Reject reason="busy"/><Say>never</Say>)"));
    const auto transcript = run();
    EXPECT_EQ(kinds(transcript), (std::vector<std::string>{"fetch", "reject", "callback"}));
    EXPECT_EQ(transcript.steps[1]["reason"], "busy");
    EXPECT_EQ(transcript.outcome, "rejected");
    const auto status = app_.requests_to(kStatus);
    ASSERT_EQ(status.size(), 1U);
    EXPECT_EQ(status[0].param("CallStatus"), "busy");
    EXPECT_EQ(status[0].param("HangupCause"), "user_busy");
    EXPECT_EQ(status[0].param("CallDuration"), "0");
}

TEST_F(TexmlSessionTest, ARejectedCallFails) {
    call_.status_callback = kStatus;
    app_.texml(kApp, FakeTexmlApp::document(R"(<Reject reason="rejected"/>)"));
    EXPECT_EQ(run().outcome, "rejected");
    EXPECT_EQ(app_.requests_to(kStatus).at(0).param("CallStatus"), "failed");
    EXPECT_EQ(app_.requests_to(kStatus).at(0).param("HangupCause"), "call_rejected");
}

TEST_F(TexmlSessionTest, TheStatusCallbackReportsTheEnd) {
    call_.status_callback = kStatus;
    app_.texml(kApp, FakeTexmlApp::document("<Say>Hello</Say><Pause length=\"4\"/><Hangup/>"));
    const auto transcript = run();
    const auto status = app_.requests_to(kStatus);
    ASSERT_EQ(status.size(), 1U);
    EXPECT_EQ(status[0].request.method, "POST");
    EXPECT_EQ(status[0].param("CallStatus"), "completed");
    EXPECT_EQ(status[0].param("CallDuration"), "6");
    EXPECT_EQ(status[0].param("HangupCause"), "normal_clearing");
    EXPECT_EQ(status[0].param("HangupSource"), "callee");
    EXPECT_EQ(status[0].param("SequenceNumber"), "0");
    EXPECT_FALSE(status[0].param("Timestamp").empty());
    EXPECT_EQ(status[0].param("CallSid"), transcript.call_sid);
    EXPECT_EQ(status[0].param("To"), "+12025550100");
    expect_signed(status[0]);
    EXPECT_EQ(transcript.steps.back()["kind"], "callback");
    EXPECT_EQ(transcript.steps.back()["event"], "status");
}

TEST_F(TexmlSessionTest, LeaveReferStartAndStopAreLogged) {
    app_.texml(kApp, FakeTexmlApp::document(R"(<Start><Stream url="wss://media.test/s" name="s1"/></Start>)"
                                            R"(<Stop><Stream name="s1"/></Stop><Leave/>)"
                                            R"(<Refer><Sip>sip:desk@pbx.test</Sip></Refer><Hangup/>)"));
    const auto transcript = run();
    EXPECT_EQ(kinds(transcript), (std::vector<std::string>{"fetch", "start", "stop", "leave", "refer", "hangup"}));
    EXPECT_EQ(transcript.steps[1]["tasks"][0]["url"], "wss://media.test/s");
    EXPECT_EQ(transcript.steps[4]["targets"][0], "sip:desk@pbx.test");
}

// ---------------------------------------------------------------------------------------------------------------
// Failures and limits

TEST_F(TexmlSessionTest, AnAnswerThatIsNotTexmlEndsTheCallWithAnError) {
    call_.status_callback = kStatus;
    app_.texml(kApp, "<Response><Say>unclosed</Response>");
    const auto transcript = run();
    EXPECT_EQ(transcript.outcome, "error");
    ASSERT_TRUE(transcript.error.has_value());
    EXPECT_NE(transcript.error->find("not TeXML"), std::string::npos) << *transcript.error;
    EXPECT_EQ(transcript.steps[1]["kind"], "error");
    EXPECT_EQ(app_.requests_to(kStatus).at(0).param("CallStatus"), "failed");
}

TEST_F(TexmlSessionTest, AnUnknownVerbIsNotTexml) {
    app_.texml(kApp, FakeTexmlApp::document("<Dance/>"));
    const auto transcript = run();
    EXPECT_EQ(transcript.outcome, "error");
    EXPECT_NE(transcript.error->find("Dance"), std::string::npos) << *transcript.error;
}

TEST_F(TexmlSessionTest, ANon2xxAnswerEndsTheCallNamingTheStatus) {
    app_.on(kApp, [](const AppRequest&) -> core::Result<core::ports::HttpResponse> {
        return FakeTexmlApp::answer(401, R"({"success":false,"error":"bad signature"})", "application/json");
    });
    const auto transcript = run();
    EXPECT_EQ(transcript.outcome, "error");
    EXPECT_EQ(*transcript.error, "the application answered HTTP 401: bad signature");
    EXPECT_EQ(transcript.steps[0]["status"], 401);
}

TEST_F(TexmlSessionTest, AnApplicationThatDoesNotAnswerEndsTheCall) {
    app_.on(kApp, [](const AppRequest&) -> core::Result<core::ports::HttpResponse> {
        return core::Error::unavailable("connection refused");
    });
    const auto transcript = run();
    EXPECT_EQ(transcript.outcome, "error");
    EXPECT_NE(transcript.error->find("did not answer"), std::string::npos);
    EXPECT_EQ(transcript.steps[0]["status"], 0);
}

TEST_F(TexmlSessionTest, ADocumentThatRedirectsToItselfStopsAtTheDocumentLimit) {
    app_.texml(kApp, FakeTexmlApp::document("<Redirect>/texml</Redirect>"));
    const auto transcript = run();
    EXPECT_EQ(transcript.outcome, "error");
    EXPECT_EQ(app_.requests_to(kApp).size(), 100U);
    EXPECT_EQ(transcript.steps.back()["kind"], "error");
    EXPECT_NE(transcript.error->find("100 TeXML documents"), std::string::npos) << *transcript.error;
}

TEST_F(TexmlSessionTest, TooManyInstructionsStopTheCall) {
    max_instructions_ = 10;
    std::string verbs;
    for (int i = 0; i < 11; ++i) verbs += "<Pause/>";
    app_.texml(kApp, FakeTexmlApp::document(verbs));
    const auto transcript = run();
    EXPECT_EQ(transcript.outcome, "error");
    EXPECT_EQ(steps_of(transcript, "pause").size(), 10U);
    EXPECT_NE(transcript.error->find("10 TeXML instructions"), std::string::npos) << *transcript.error;
}

TEST_F(TexmlSessionTest, TheTranscriptJsonCarriesTheCall) {
    app_.texml(kApp, FakeTexmlApp::document("<Dial>+12025550120</Dial>"));
    const auto reply = run({press("9")}).to_json();
    EXPECT_EQ(reply["success"], true);
    EXPECT_TRUE(reply["callSid"].get<std::string>().starts_with("v3:"));
    EXPECT_EQ(reply["from"], "+12025550199");
    EXPECT_EQ(reply["to"], "+12025550100");
    EXPECT_EQ(reply["outcome"], "transferred");
    EXPECT_EQ(reply["connectedTo"], "+12025550120");
    EXPECT_EQ(reply["durationSecs"], 24);
    EXPECT_EQ(reply["unusedActions"], 1);
    EXPECT_FALSE(reply.contains("error"));
    EXPECT_TRUE(reply["steps"].is_array());
}

// ---------------------------------------------------------------------------------------------------------------
// URLs and forms

TEST(UrlForm, EncodesLikeAForm) {
    EXPECT_EQ(encode_form({{"From", "+1 202"}, {"Speech Result", "a&b=c/é"}}),
              "From=%2B1+202&Speech+Result=a%26b%3Dc%2F%C3%A9");
    EXPECT_EQ(decode_form(encode_form({{"x", "+1 2&3"}})), (FormFields{{"x", "+1 2&3"}}));
}

TEST(UrlForm, ResolvesReferences) {
    const std::string base = "https://svc.test:8443/api/voice/texml?step=1&input=gather";
    EXPECT_EQ(resolve_url(base, ""), base);
    EXPECT_EQ(resolve_url(base, "http://x.test/a"), "http://x.test/a");
    EXPECT_EQ(resolve_url(base, "//x.test/a"), "https://x.test/a");
    EXPECT_EQ(resolve_url(base, "/b?c=1"), "https://svc.test:8443/b?c=1");
    EXPECT_EQ(resolve_url(base, "?step=2"), "https://svc.test:8443/api/voice/texml?step=2");
    EXPECT_EQ(resolve_url(base, "status"), "https://svc.test:8443/api/voice/status");
    EXPECT_EQ(resolve_url("http://h.test", "a"), "http://h.test/a");
    EXPECT_EQ(with_query("http://h.test/a", "x=1"), "http://h.test/a?x=1");
    EXPECT_EQ(with_query("http://h.test/a?y=2#frag", "x=1"), "http://h.test/a?y=2&x=1");
    EXPECT_EQ(query_of("http://h.test/a?y=2#frag"), "y=2");
    EXPECT_TRUE(is_http_url("http://127.0.0.1:8080/api"));
    EXPECT_FALSE(is_http_url("ftp://h.test/"));
    EXPECT_FALSE(is_http_url("http:///path"));
}

}  // namespace
}  // namespace crossvoice::sandbox::testing
