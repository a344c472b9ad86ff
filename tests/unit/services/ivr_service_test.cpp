#include "services/ivr_service.hpp"

#include <gtest/gtest.h>

#include "ivr_test_base.hpp"

namespace crossvoice::services {
namespace {

constexpr const char* kFlow = R"(name: front-desk
platform: tetrix
numbers: ["+12025550188"]
start: ask
nodes:
  ask:
    type: menu
    prompt: Say sales or press 1.
    input: [keypad, speech]
    fallback: bye
    options:
      - {digit: "1", say: [sales], next: desk}
  desk: {type: transfer, targets: ["+12025550120"], no_answer: bye}
  bye: {type: hangup, text: Goodbye.}
)";

// The TeXML use-case against the real stores, YAML parser, engine and TeXML markup.
class IvrServiceTest : public IvrTestBase {
  protected:
    void SetUp() override { ASSERT_TRUE(catalog_.put(core::Platform::kTetrix, "front-desk", kFlow).ok()); }

    TexmlRequest request(FormParams params, std::optional<int> step = std::nullopt, std::string input = "") {
        TexmlRequest out;
        out.delivery = {"sig", "ts", "body"};
        params.emplace_back("CallSid", "v3:texml-1");
        params.emplace_back("From", "+12025550199");
        params.emplace_back("To", "+12025550188");
        out.params = std::move(params);
        out.step = step;
        out.input = std::move(input);
        return out;
    }

    std::vector<core::ivr::Instruction> answer(const TexmlRequest& in) {
        auto reply = service_.instructions(in);
        EXPECT_TRUE(reply.ok()) << reply.error().message;
        if (!reply) return {};
        EXPECT_EQ(reply->content_type, "application/xml");
        last_body_ = reply->body;
        auto parsed = markup_.parse(reply->body);
        EXPECT_TRUE(parsed.ok()) << reply->body;
        return parsed ? *parsed : std::vector<core::ivr::Instruction>{};
    }

    IvrService service_{
        webhooks_,
        catalog_,
        ivr_calls_,
        calls_,
        sessions_,
        events_,
        markup_,
        zones_,
        clock_,
        ids_,
        IvrOptions{"https://cv.example.com/api/voice/texml", "https://cv.example.com/api/voice/texml/status"}};
    std::string last_body_;
};

TEST_F(IvrServiceTest, TheFirstFetchOpensTheCallOnTheNumbersPlatformAndAsksTheMenu) {
    const auto instructions = answer(request({{"CallStatus", "in-progress"}}));
    ASSERT_EQ(instructions.size(), 2u);
    const auto& gather = std::get<core::ivr::Gather>(instructions[0]);
    EXPECT_EQ(gather.action, "https://cv.example.com/api/voice/texml?step=0&input=gather");
    EXPECT_EQ(gather.input, "dtmf speech");
    EXPECT_EQ(gather.hints, "sales");
    EXPECT_EQ(std::get<core::ivr::Redirect>(instructions[1]).url,
              "https://cv.example.com/api/voice/texml?step=0&input=none");
    auto call = calls_.find_by_control_id("v3:texml-1");
    ASSERT_TRUE(call.ok() && call->has_value());
    EXPECT_EQ((*call)->platform, core::Platform::kTetrix);
    EXPECT_EQ((*call)->direction, core::CallDirection::kInbound);
    EXPECT_EQ((*call)->state, core::CallState::kAnswered);
    EXPECT_EQ((*call)->flow, "front-desk");
}

TEST_F(IvrServiceTest, ACallbackAdvancesOnceAndRepeatsGetTheSameAnswer) {
    answer(request({}));
    const auto first = answer(request({{"SpeechResult", "sales please"}, {"Confidence", "0.9"}}, 0, "gather"));
    ASSERT_EQ(first.size(), 1u);
    const auto& dial = std::get<core::ivr::Dial>(first[0]);
    EXPECT_EQ(dial.action, "https://cv.example.com/api/voice/texml?step=1&input=dial");
    const auto body = last_body_;
    // The carrier retries the same callback, and a late no-input redirect for step 0 arrives: same answer.
    answer(request({{"SpeechResult", "sales please"}}, 0, "gather"));
    EXPECT_EQ(last_body_, body);
    answer(request({}, 0, "none"));
    EXPECT_EQ(last_body_, body);
    answer(request({}));  // a re-fetch of the application URL
    EXPECT_EQ(last_body_, body);
    auto call = calls_.find_by_control_id("v3:texml-1");
    auto position = service_.position(core::Platform::kTetrix, (*call)->id);
    ASSERT_TRUE(position.ok() && position->has_value());
    EXPECT_EQ((*position)->state.step, 1);
    EXPECT_EQ((*position)->state.node, "desk");
    // Other platforms do not see it.
    EXPECT_FALSE(service_.position(core::Platform::kJoromi, (*call)->id).ok());
}

TEST_F(IvrServiceTest, AnUnansweredDialContinuesAndAnsweredEndsTheFlow) {
    answer(request({}));
    answer(request({{"Digits", "1"}}, 0, "gather"));
    const auto after = answer(request({{"DialCallStatus", "no-answer"}}, 1, "dial"));
    ASSERT_EQ(after.size(), 2u);
    EXPECT_EQ(std::get<core::ivr::Say>(after[0]).text, "Goodbye.");
    EXPECT_TRUE(std::holds_alternative<core::ivr::Hangup>(after[1]));
}

TEST_F(IvrServiceTest, BadRequestsNameTheProblemAndChangeNothing) {
    webhooks_.valid = false;
    auto refused = service_.instructions(request({}));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kUnauthorized);
    webhooks_.valid = true;
    TexmlRequest no_sid;
    no_sid.delivery = {"sig", "ts", ""};
    auto missing = service_.instructions(no_sid);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(missing.error().message.find("CallSid"), std::string::npos);
    auto no_call = service_.instructions(request({{"Digits", "1"}}, 0, "gather"));
    ASSERT_FALSE(no_call.ok());
    EXPECT_EQ(no_call.error().code, core::ErrorCode::kNotFound);
    auto calls = calls_.find_by_control_id("v3:texml-1");
    EXPECT_FALSE(calls->has_value());
    answer(request({}));
    auto bad_input = service_.instructions(request({}, 0, "teleport"));
    ASSERT_FALSE(bad_input.ok());
    EXPECT_EQ(bad_input.error().code, core::ErrorCode::kValidation);
    auto bad_dial = service_.instructions(request({}, 0, "dial"));
    ASSERT_FALSE(bad_dial.ok());
    EXPECT_NE(bad_dial.error().message.find("DialCallStatus"), std::string::npos);
}

TEST_F(IvrServiceTest, AnUnroutedNumberIsRejectedWithoutOpeningACall) {
    auto in = request({});
    for (auto& [name, value] : in.params) {
        if (name == "To") value = "+12025550999";
    }
    const auto instructions = answer(in);
    ASSERT_EQ(instructions.size(), 1u);
    EXPECT_EQ(std::get<core::ivr::Reject>(instructions[0]).reason, "rejected");
    EXPECT_FALSE(calls_.find_by_control_id("v3:texml-1")->has_value());
}

TEST_F(IvrServiceTest, StatusCallbacksEndTheCallOnceAndRecordingsAreQueuedForFetching) {
    answer(request({}));
    auto completed = request({{"CallStatus", "completed"}, {"CallDuration", "42"}});
    auto first = service_.status(completed);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_FALSE(first->duplicate);
    EXPECT_EQ(first->state, core::CallState::kCompleted);
    auto again = service_.status(completed);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->duplicate);
    auto recording = service_.status(request({{"RecordingSid", "rec-1"},
                                              {"RecordingUrl", "https://cv.example.com/r/rec-1.wav"},
                                              {"RecordingStatus", "completed"},
                                              {"RecordingChannels", "1"}}));
    ASSERT_TRUE(recording.ok()) << recording.error().message;
    auto job = jobs_.find_by_dedupe_key(recording_fetch_key("texml-recording:rec-1"));
    ASSERT_TRUE(job.ok() && job->has_value());
    auto bad = service_.status(request({{"CallStatus", "exploded"}}));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, core::ErrorCode::kValidation);
}

}  // namespace
}  // namespace crossvoice::services
