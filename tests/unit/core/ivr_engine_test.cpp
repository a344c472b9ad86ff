#include <gtest/gtest.h>

#include <map>

#include "core/ivr/engine.hpp"
#include "ivr_test_flows.hpp"

namespace crossvoice::testing::ivr {
namespace {

// Fixed-offset zones are enough for the engine: it only asks "what does the wall clock say there".
class FixedZones final : public core::ports::TimeZones {
  public:
    bool exists(std::string_view zone) const override { return offsets_.contains(std::string(zone)); }
    core::Result<core::ports::LocalDateTime> local_time(core::TimePoint at, std::string_view zone) const override {
        auto it = offsets_.find(std::string(zone));
        if (it == offsets_.end()) return core::Error::validation("time_zone", "unknown zone");
        const auto local = std::chrono::floor<std::chrono::minutes>(at) + std::chrono::minutes(it->second);
        const auto day = std::chrono::floor<std::chrono::days>(local);
        const std::chrono::year_month_day date{day};
        const std::chrono::weekday weekday{day};
        core::ports::LocalDateTime out;
        out.year = static_cast<int>(date.year());
        out.month = static_cast<int>(static_cast<unsigned>(date.month()));
        out.day = static_cast<int>(static_cast<unsigned>(date.day()));
        out.weekday = static_cast<int>((weekday.c_encoding() + 6) % 7);
        out.minute_of_day = static_cast<int>((local - day).count());
        return out;
    }

  private:
    std::map<std::string, int> offsets_{{"UTC", 0}, {"America/New_York", -300}, {"Asia/Kolkata", 330}};
};

// 2026-11-24 was a Tuesday; 15:00 UTC = 10:00 in New York (winter) = 20:30 in Kolkata.
core::TimePoint at_utc(int year, unsigned month, unsigned day, int hour, int minute) {
    const auto date =
        std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}};
    return std::chrono::time_point_cast<std::chrono::milliseconds>(date + std::chrono::hours(hour) +
                                                                   std::chrono::minutes(minute));
}

class EngineTest : public ::testing::Test {
  protected:
    EngineTest() {
        context_.zones = &zones_;
        context_.now = at_utc(2026, 11, 24, 15, 0);
        context_.find_flow = [this](std::string_view name) -> const IvrFlow* {
            auto it = others_.find(std::string(name));
            return it == others_.end() ? nullptr : &it->second;
        };
    }

    StepResult begin(const IvrFlow& flow) {
        auto result = step(flow, initial_state(flow), input_of(InputKind::kStart), context_);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
        return std::move(result).value();
    }

    StepResult send(const IvrFlow& flow, const IvrState& state, CallerInput input) {
        auto result = step(flow, state, input, context_);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
        return std::move(result).value();
    }

    static CallerInput digits(std::string value) {
        auto input = input_of(InputKind::kDigits);
        input.digits = std::move(value);
        return input;
    }
    static CallerInput speech(std::string value) {
        auto input = input_of(InputKind::kSpeech);
        input.speech = std::move(value);
        return input;
    }
    static CallerInput dial(std::string status) {
        auto input = input_of(InputKind::kDialEnded);
        input.dial_status = std::move(status);
        return input;
    }

    FixedZones zones_;
    std::map<std::string, IvrFlow> others_;
    StepContext context_;
};

template <typename T>
const T& as(const Instruction& instruction) {
    EXPECT_TRUE(std::holds_alternative<T>(instruction)) << "instruction index " << instruction.index();
    return std::get<T>(instruction);
}

std::vector<std::string> said(const StepResult& result) {
    std::vector<std::string> out;
    for (const auto& instruction : result.instructions) {
        if (const auto* say = std::get_if<Say>(&instruction)) out.push_back(say->text);
        if (const auto* gather = std::get_if<Gather>(&instruction)) {
            for (const auto& prompt : gather->prompts) {
                if (const auto* inner = std::get_if<Say>(&prompt)) out.push_back(inner->text);
            }
        }
    }
    return out;
}

TEST_F(EngineTest, StartSaysTheWelcomeAndWaitsAtTheMenuWithAKeypadAndSpeechGather) {
    const auto flow = reception();
    const auto result = begin(flow);
    ASSERT_EQ(result.instructions.size(), 2u);
    EXPECT_EQ(as<Say>(result.instructions[0]).text, "Welcome to TETRIX.");
    EXPECT_EQ(as<Say>(result.instructions[0]).language, "en-US");
    EXPECT_EQ(as<Say>(result.instructions[0]).voice, "woman");
    const auto& gather = as<Gather>(result.instructions[1]);
    EXPECT_EQ(gather.input, "dtmf speech");
    EXPECT_EQ(gather.num_digits, 1);
    EXPECT_EQ(gather.timeout, 5);
    EXPECT_EQ(gather.hints, "sales, buy, pricing, billing, invoice, my bill, operator, person, agent, representative");
    EXPECT_EQ(result.state.node, "main");
    EXPECT_EQ(result.state.awaiting, Awaiting::kMenu);
    EXPECT_EQ(result.state.step, 0);
    EXPECT_FALSE(result.ended);
}

TEST_F(EngineTest, AKeypressPicksTheOptionAndATransferRingsEveryTarget) {
    const auto flow = reception();
    const auto result = send(flow, begin(flow).state, digits("1"));
    ASSERT_EQ(result.instructions.size(), 2u);
    EXPECT_EQ(as<Say>(result.instructions[0]).text, "Connecting you to sales.");
    const auto& dial = as<Dial>(result.instructions[1]);
    EXPECT_EQ(dial.timeout, 20);
    ASSERT_EQ(dial.targets.size(), 2u);
    EXPECT_EQ(std::get<DialNumber>(dial.targets[0]).number, "+12025550120");
    EXPECT_EQ(std::get<DialSip>(dial.targets[1]).uri, "sip:sales@example.com");
    EXPECT_EQ(result.state.awaiting, Awaiting::kDial);
    EXPECT_EQ(result.state.node, "sales");
    EXPECT_EQ(result.state.step, 1);
}

TEST_F(EngineTest, SpeechPicksAnOptionByPhraseSynonymOrCloseSpelling) {
    const auto flow = reception();
    const auto start = begin(flow).state;
    EXPECT_EQ(send(flow, start, speech("um, I have a question about my bill")).state.node, "billing");
    EXPECT_EQ(send(flow, start, speech("Sales please.")).state.node, "sales");
    EXPECT_EQ(send(flow, start, speech("sale")).state.node, "sales");
    EXPECT_EQ(send(flow, start, speech("can I talk to a representative")).state.node, "operator");
    EXPECT_EQ(send(flow, start, speech("option two")).state.node, "billing");
}

TEST_F(EngineTest, NoInputReplaysTheMenuWithItsRepromptThenGoesToTheFallback) {
    const auto flow = reception();
    auto state = begin(flow).state;
    for (int attempt = 1; attempt <= 2; ++attempt) {
        const auto result = send(flow, state, input_of(InputKind::kNoInput));
        EXPECT_EQ(result.state.node, "main");
        EXPECT_EQ(result.state.attempts, attempt);
        ASSERT_EQ(result.instructions.size(), 1u);
        const auto& gather = as<Gather>(result.instructions[0]);
        ASSERT_EQ(gather.prompts.size(), 2u);
        EXPECT_EQ(std::get<Say>(gather.prompts[0]).text, "Sorry, I did not hear anything.");
        state = result.state;
    }
    const auto result = send(flow, state, input_of(InputKind::kNoInput));
    EXPECT_EQ(result.state.node, "operator");
    EXPECT_EQ(result.state.attempts, 0);
    EXPECT_EQ(result.notes[1].what, "fallback");
}

TEST_F(EngineTest, AnInvalidChoiceIsRepromptedAndCountsTowardsTheRetryLimit) {
    auto flow = reception();
    std::get<MenuNode>(flow.nodes[1].body).max_retries = 1;
    auto result = send(flow, begin(flow).state, digits("7"));
    EXPECT_EQ(said(result).front(), "Sorry, that is not one of the choices.");
    EXPECT_EQ(result.state.attempts, 1);
    result = send(flow, result.state, speech("weather forecast"));
    EXPECT_EQ(result.state.node, "operator");
}

TEST_F(EngineTest, CollectStoresValidDigitsAndSpeaksThemBackOneByOne) {
    const auto flow = reception();
    auto result = send(flow, begin(flow).state, digits("2"));
    const auto& gather = as<Gather>(result.instructions[0]);
    EXPECT_EQ(gather.min_digits, 4);
    EXPECT_EQ(gather.max_digits, 8);
    EXPECT_EQ(gather.finish_on_key, "#");
    EXPECT_EQ(result.state.awaiting, Awaiting::kCollect);
    result = send(flow, result.state, digits("123456#"));
    EXPECT_EQ(result.state.variables.at("account"), "123456");
    EXPECT_EQ(said(result).front(), "Thank you. Account 1 2 3 4 5 6.");
    EXPECT_EQ(as<Dial>(result.instructions[1]).record, "record-from-answer");
}

TEST_F(EngineTest, CollectRefusesWrongLengthPatternAndChecksum) {
    auto flow = reception();
    auto& account = std::get<CollectNode>(flow.nodes[3].body);
    account.pattern = "^9[0-9]*$";
    account.check = DigitCheck::kLuhn;
    account.max_retries = 5;
    auto state = send(flow, begin(flow).state, digits("2")).state;
    for (const char* entry : {"123", "123456789", "12ab", "4992739"}) {  // short, long, letters, wrong prefix
        const auto result = send(flow, state, digits(entry));
        EXPECT_EQ(result.state.node, "billing") << entry;
        EXPECT_EQ(said(result).front(), "Sorry, that entry is not valid.") << entry;
        EXPECT_FALSE(result.state.variables.contains("account"));
        state = result.state;
    }
    EXPECT_EQ(send(flow, state, digits("9000009")).state.node, "billing");  // right prefix, Luhn fails
    EXPECT_EQ(send(flow, state, digits("90000001")).state.node, "billing_desk");
}

TEST_F(EngineTest, TransferNobodyAnswersGoesToVoicemailAndARecordingEndsWithGoodbye) {
    const auto flow = reception();
    auto result = send(flow, begin(flow).state, digits("0"));
    result = send(flow, result.state, dial("no-answer"));
    EXPECT_EQ(result.state.node, "voicemail");
    EXPECT_EQ(result.state.awaiting, Awaiting::kRecording);
    EXPECT_EQ(said(result).front(), "Leave a message after the tone.");
    const auto& record = as<Record>(result.instructions[1]);
    EXPECT_EQ(record.max_length, 120);
    EXPECT_EQ(record.play_beep, true);
    auto recorded = input_of(InputKind::kRecorded);
    recorded.recording_url = "https://example.com/r.wav";
    result = send(flow, result.state, recorded);
    EXPECT_TRUE(result.ended);
    EXPECT_EQ(result.state.outcome, "hangup");
    EXPECT_EQ(result.state.variables.at("recording_url"), "https://example.com/r.wav");
    ASSERT_EQ(result.instructions.size(), 2u);
    EXPECT_EQ(as<Say>(result.instructions[0]).text, "Goodbye.");
    EXPECT_TRUE(std::holds_alternative<Hangup>(result.instructions[1]));
}

TEST_F(EngineTest, AnAnsweredTransferEndsTheFlowAndLaterInputIsRefused) {
    const auto flow = reception();
    auto result = send(flow, begin(flow).state, digits("1"));
    result = send(flow, result.state, dial("completed"));
    EXPECT_TRUE(result.ended);
    EXPECT_EQ(result.state.outcome, "transferred");
    EXPECT_EQ(result.state.awaiting, Awaiting::kEnded);
    const auto again = step(flow, result.state, digits("1"), context_);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
}

TEST_F(EngineTest, InputThatDoesNotFitTheWaitingNodeIsAConflict) {
    const auto flow = reception();
    const auto start = begin(flow).state;
    const auto recorded = step(flow, start, input_of(InputKind::kRecorded), context_);
    ASSERT_FALSE(recorded.ok());
    EXPECT_EQ(recorded.error().code, core::ErrorCode::kConflict);
    EXPECT_NE(recorded.error().message.find("menu 'main' does not take recorded input"), std::string::npos);
    const auto twice = step(flow, start, input_of(InputKind::kStart), context_);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, core::ErrorCode::kConflict);
    const auto before = step(flow, initial_state(flow), digits("1"), context_);
    ASSERT_FALSE(before.ok());
}

IvrFlow hours_flow() {
    HoursNode hours;
    hours.time_zone = "America/New_York";
    hours.hours = {{0b0011111, 9 * 60, 17 * 60, 0}, {0b0100000, 10 * 60, 14 * 60, 0}};  // Mon-Fri 9-17, Sat 10-14
    hours.holidays = {"2026-12-25"};
    hours.open = "open";
    hours.closed = "closed";
    hours.holiday = "holiday";
    return flow("hours", "check",
                {node("check", hours), node("open", HangupNode{"We are open."}),
                 node("closed", HangupNode{"We are closed."}), node("holiday", HangupNode{"Happy holidays."})});
}

TEST_F(EngineTest, HoursBranchOnTheLocalTimeOfTheNodesZone) {
    auto flow = hours_flow();
    context_.now = at_utc(2026, 11, 24, 15, 0);  // Tue 10:00 New York
    EXPECT_EQ(said(begin(flow)).front(), "We are open.");
    context_.now = at_utc(2026, 11, 24, 13, 59);  // Tue 08:59 New York
    EXPECT_EQ(said(begin(flow)).front(), "We are closed.");
    context_.now = at_utc(2026, 11, 24, 22, 0);  // Tue 17:00 New York: closing time is exclusive
    EXPECT_EQ(said(begin(flow)).front(), "We are closed.");
    context_.now = at_utc(2026, 11, 28, 18, 0);  // Sat 13:00 New York
    EXPECT_EQ(said(begin(flow)).front(), "We are open.");
    context_.now = at_utc(2026, 11, 29, 18, 0);  // Sun 13:00 New York
    EXPECT_EQ(said(begin(flow)).front(), "We are closed.");
    context_.now = at_utc(2026, 12, 25, 15, 0);  // Fri, but a holiday
    EXPECT_EQ(said(begin(flow)).front(), "Happy holidays.");
    context_.now = at_utc(2026, 12, 26, 2, 0);  // Sat 02:00 UTC is still Dec 25 (21:00) in New York
    EXPECT_EQ(said(begin(flow)).front(), "Happy holidays.");
}

TEST_F(EngineTest, TheSameMomentIsOpenInOneZoneAndClosedInAnother) {
    auto flow = hours_flow();
    context_.now = at_utc(2026, 11, 24, 4, 0);  // Tue 09:30 in Kolkata, Mon 23:00 in New York
    EXPECT_EQ(said(begin(flow)).front(), "We are closed.");
    std::get<HoursNode>(flow.nodes[0].body).time_zone = "Asia/Kolkata";
    EXPECT_EQ(said(begin(flow)).front(), "We are open.");
    std::get<HoursNode>(flow.nodes[0].body).time_zone = "Mars/Olympus";
    const auto unknown = step(flow, initial_state(flow), input_of(InputKind::kStart), context_);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kValidation);
}

TEST_F(EngineTest, ALanguageNodeSwitchesTheLanguageOfEveryLaterPrompt) {
    auto flow = IvrFlow(reception());
    flow.nodes[0] = node("welcome", SayNode{"Welcome.", "spanish"});
    flow.nodes.push_back(node("spanish", LanguageNode{"es-US", "alice", "main"}));
    const auto result = begin(flow);
    EXPECT_EQ(as<Say>(result.instructions[0]).language, "en-US");
    const auto& gather = as<Gather>(result.instructions[1]);
    EXPECT_EQ(gather.language, "es-US");
    EXPECT_EQ(std::get<Say>(gather.prompts[0]).language, "es-US");
    EXPECT_EQ(std::get<Say>(gather.prompts[0]).voice, "alice");
    EXPECT_EQ(result.state.language, "es-US");
}

CallerInput answered(std::string speech, std::string text, core::Handoff handoff = core::Handoff::kNone,
                     bool done = false) {
    auto input = input_of(InputKind::kSpeech);
    input.speech = std::move(speech);
    input.assistant = AssistantAnswer{std::move(text), handoff, done};
    return input;
}

AssistantNode shango(std::string persona, std::string prompt, std::string next) {
    AssistantNode out;
    out.persona = std::move(persona);
    out.prompt = std::move(prompt);
    out.next = std::move(next);
    return out;
}

ChatNode chat_to(std::string next, std::string prompt = "", std::string channel = "sms") {
    ChatNode out;
    out.prompt = std::move(prompt);
    out.channel = std::move(channel);
    out.next = std::move(next);
    return out;
}

IvrFlow with_assistant(IvrFlow flow, AssistantNode assistant) {
    flow.nodes[0] = node("welcome", std::move(assistant));
    flow.nodes.push_back(node("chat", chat_to("main")));
    flow.nodes.push_back(node("people", HangupNode{"Connecting you."}));
    return flow;
}

TEST_F(EngineTest, AnAssistantNodeListensForSpeechAndSpeaksEachAnswerInsideTheNextGather) {
    auto flow = with_assistant(reception(), shango("shango-billing", "Hi, I am SHANGO.", "main"));
    auto result = begin(flow);
    EXPECT_EQ(result.state.awaiting, Awaiting::kAssistant);
    ASSERT_EQ(result.instructions.size(), 1u);
    const auto& gather = as<Gather>(result.instructions[0]);
    EXPECT_EQ(gather.input, "dtmf speech");
    EXPECT_EQ(said(result), std::vector<std::string>{"Hi, I am SHANGO."});

    result = send(flow, result.state, answered("how do I pay", "You can pay by card."));
    EXPECT_EQ(result.state.node, "welcome");
    EXPECT_EQ(result.state.awaiting, Awaiting::kAssistant);
    EXPECT_EQ(said(result), std::vector<std::string>{"You can pay by card."});
    EXPECT_EQ(as<Gather>(result.instructions[0]).input, "dtmf speech");
    EXPECT_EQ(result.state.variables.at("assistant_turns"), "1");
}

TEST_F(EngineTest, AnAssistantNodeWithoutAPromptUsesThePersonasGreeting) {
    auto flow = with_assistant(reception(), shango("shango-sales", "", "main"));
    context_.assistant_greeting = [](std::string_view persona) { return "Greeting of " + std::string(persona); };
    EXPECT_EQ(said(begin(flow)), std::vector<std::string>{"Greeting of shango-sales"});
    context_.assistant_greeting = nullptr;
    EXPECT_NE(said(begin(flow)).at(0).find("SHANGO"), std::string::npos);
}

TEST_F(EngineTest, AHandOffGoesToTheAgentOrChatTargetAndDoneGoesToNext) {
    auto assistant = shango("shango-general", "Hi.", "main");
    assistant.agent = "people";
    assistant.chat = "chat";
    auto flow = with_assistant(reception(), assistant);
    const auto start = begin(flow).state;

    auto agent = send(flow, start, answered("a person please", "Connecting you with a person.", core::Handoff::kAgent));
    EXPECT_EQ(said(agent).front(), "Connecting you with a person.");
    EXPECT_TRUE(agent.ended);  // "people" hangs up in this test flow

    auto chat = send(flow, start, answered("text me", "I'll text you.", core::Handoff::kChat));
    EXPECT_EQ(said(chat).front(), "I'll text you.");
    EXPECT_EQ(chat.state.node, "main");  // chat -> main

    auto done = send(flow, start, answered("bye", "Goodbye.", core::Handoff::kNone, true));
    EXPECT_EQ(said(done).front(), "Goodbye.");
    EXPECT_EQ(done.state.node, "main");
    EXPECT_EQ(done.state.awaiting, Awaiting::kMenu);
}

TEST_F(EngineTest, AChatNodeTextsTheCallerWhenItCanAndSaysSoWhenItCannot) {
    auto flow = reception();
    auto chat = chat_to("main", "Check your phone for our message.", "whatsapp");
    chat.text = "Continue with us here.";
    flow.nodes[0] = node("welcome", chat);
    std::vector<std::pair<std::string, std::string>> sent;
    context_.continue_by_chat = [&](std::string_view channel, std::string_view text) {
        sent.emplace_back(channel, text);
        return true;
    };
    auto result = begin(flow);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0], (std::pair<std::string, std::string>{"whatsapp", "Continue with us here."}));
    EXPECT_EQ(said(result).front(), "Check your phone for our message.");
    EXPECT_EQ(result.state.node, "main");

    context_.continue_by_chat = [](std::string_view, std::string_view) { return false; };
    EXPECT_NE(said(begin(flow)).front().find("can't send you a message"), std::string::npos);
    context_.continue_by_chat = nullptr;
    EXPECT_NE(said(begin(flow)).front().find("can't send you a message"), std::string::npos);
}

TEST_F(EngineTest, AHandOffWithoutAnAgentTargetGoesToNextAndAMissingAnswerApologises) {
    auto flow = with_assistant(reception(), shango("shango-general", "Hi.", "main"));
    const auto start = begin(flow).state;
    auto agent = send(flow, start, answered("a person", "Connecting you.", core::Handoff::kAgent));
    EXPECT_EQ(agent.state.node, "main");
    auto unavailable = send(flow, start, speech("what are your hours"));
    EXPECT_NE(said(unavailable).front().find("can't answer right now"), std::string::npos);
    EXPECT_EQ(unavailable.state.node, "main");
}

TEST_F(EngineTest, SilenceAtAnAssistantNodeAsksAgainThenGoesOnAndTurnsAreBounded) {
    auto assistant = shango("shango-general", "Hi.", "main");
    assistant.max_retries = 1;
    assistant.max_turns = 2;
    auto flow = with_assistant(reception(), assistant);
    auto state = begin(flow).state;
    auto silent = send(flow, state, input_of(InputKind::kNoInput));
    EXPECT_EQ(silent.state.awaiting, Awaiting::kAssistant);
    EXPECT_NE(said(silent).front().find("still there"), std::string::npos);
    silent = send(flow, silent.state, input_of(InputKind::kNoInput));
    EXPECT_EQ(silent.state.node, "main");

    auto first = send(flow, state, answered("one", "Answer one."));
    EXPECT_EQ(first.state.awaiting, Awaiting::kAssistant);
    auto second = send(flow, first.state, answered("two", "Answer two."));
    EXPECT_EQ(said(second).front(), "Answer two.");
    EXPECT_EQ(second.state.node, "main");
    EXPECT_EQ(second.state.awaiting, Awaiting::kMenu);
    const auto keypad = send(flow, state, digits("1"));  // any key leaves SHANGO for the menu
    EXPECT_EQ(keypad.state.node, "main");
    EXPECT_EQ(keypad.state.awaiting, Awaiting::kMenu);
}

TEST_F(EngineTest, ARedirectContinuesAtTheStartOfTheOtherFlow) {
    others_.emplace("support", flow("support", "hello", {node("hello", HangupNode{"Support here."})}));
    auto flow = reception();
    flow.nodes[0] = node("welcome", RedirectNode{"support"});
    const auto result = begin(flow);
    EXPECT_EQ(result.state.flow, "support");
    EXPECT_EQ(said(result).front(), "Support here.");
    EXPECT_TRUE(result.ended);
    flow.nodes[0] = node("welcome", RedirectNode{"nowhere"});
    const auto missing = step(flow, initial_state(flow), input_of(InputKind::kStart), context_);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, core::ErrorCode::kValidation);
}

TEST_F(EngineTest, AQueueThatConnectsEndsTheFlowAndOneLeftWithoutAnAgentContinues) {
    auto flow = reception();
    flow.nodes[2] = node("sales", QueueNode{"Please hold.", "sales", 120, "", "voicemail"});
    auto result = send(flow, begin(flow).state, digits("1"));
    const auto& enqueue = as<Enqueue>(result.instructions[1]);
    EXPECT_EQ(enqueue.queue, "sales");
    EXPECT_EQ(enqueue.max_wait_time_secs, 120);
    EXPECT_EQ(send(flow, result.state, input_of(InputKind::kQueueLeft)).state.node, "voicemail");
    auto bridged = input_of(InputKind::kQueueLeft);
    bridged.dial_status = "bridged";
    EXPECT_EQ(send(flow, result.state, bridged).state.outcome, "queued");
}

TEST_F(EngineTest, PlayNodesPlayTheirAudioAndGoOn) {
    auto flow = reception();
    flow.nodes[0] = node("welcome", PlayNode{"https://example.com/jingle.mp3", "main"});
    const auto result = begin(flow);
    ASSERT_EQ(result.instructions.size(), 2u);
    EXPECT_EQ(as<Play>(result.instructions[0]).url, "https://example.com/jingle.mp3");
    EXPECT_EQ(result.state.node, "main");
}

TEST_F(EngineTest, AFlowThatNeverWaitsIsStoppedInsteadOfSpinning) {
    const auto spinning = flow("spin", "a", {node("a", SayNode{"A", "b"}), node("b", SayNode{"B", "a"})});
    const auto result = step(spinning, initial_state(spinning), input_of(InputKind::kStart), context_);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(result.error().message.find("without waiting"), std::string::npos);
}

TEST_F(EngineTest, NotesTellTheRouteTaken) {
    const auto flow = reception();
    const auto result = send(flow, begin(flow).state, digits("1"));
    ASSERT_EQ(result.notes.size(), 2u);
    EXPECT_EQ(result.notes[0].what, "matched");
    EXPECT_EQ(result.notes[0].detail, "pressed '1' -> sales");
    EXPECT_EQ(result.notes[1].what, "entered");
    EXPECT_EQ(result.notes[1].node, "sales");
}

TEST(SpeechMatch, TiesAndShortWordsAreNotGuessed) {
    const auto m = menu("?", {option("1", {"card"}, "a"), option("2", {"cart"}, "b")}, "x");
    EXPECT_FALSE(match_speech(m, "carx").has_value());  // four letters, one edit from both
    EXPECT_EQ(match_speech(m, "my card").value(), 0u);
    const auto short_words = menu("?", {option("1", {"yes"}, "a"), option("2", {"no"}, "b")}, "x");
    EXPECT_FALSE(match_speech(short_words, "yet").has_value());
    EXPECT_EQ(match_speech(short_words, "Yes!").value(), 0u);
    EXPECT_FALSE(match_speech(short_words, "").has_value());
}

TEST(SpeechMatch, LongerPhrasesWinOverTheirParts) {
    const auto m = menu("?", {option("1", {"account"}, "a"), option("2", {"close account"}, "b")}, "x");
    EXPECT_EQ(match_speech(m, "I want to close my account").value(), 0u);
    EXPECT_EQ(match_speech(m, "please close account now").value(), 1u);
}

TEST(SpeechMatch, DigitsCountOnlyWhenTheAnswerIsShortOrNamesAnOption) {
    const auto m = menu("?", {option("2", {"billing"}, "a"), option("4", {"sales"}, "b")}, "x");
    EXPECT_EQ(match_speech(m, "two").value(), 0u);
    EXPECT_EQ(match_speech(m, "press 4").value(), 1u);
    EXPECT_FALSE(match_speech(m, "I have two questions about something else").has_value());
}

TEST(Luhn, ChecksTheCardDigit) {
    EXPECT_TRUE(luhn_valid("4539578763621486"));
    EXPECT_FALSE(luhn_valid("4539578763621487"));
    EXPECT_FALSE(luhn_valid("4539-5787"));
    EXPECT_FALSE(luhn_valid("0"));
}

}  // namespace
}  // namespace crossvoice::testing::ivr
