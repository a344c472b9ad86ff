// The IVR end to end: the real service with its in-process sandbox carrier, every shipped flow called through
// the sandbox's TeXML interpreter (signed fetches and callbacks, as Telnyx does), and the flows API.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

// Tuesday 24 November 2026, 10:00 in New York: every shipped flow is open; 23:00 there is after hours.
constexpr const char* kOpen = "2026-11-24T15:00:00Z";
constexpr const char* kClosed = "2026-11-25T04:00:00Z";

class IvrTest : public ServiceTest {
  protected:
    void SetUp() override { start({{"CROSSVOICE_IVR_NOW", kOpen}}); }

    // One sandbox call through the TeXML application (the in-process sandbox lives under /sandbox, its own routes
    // under /sandbox/sandbox/); the script is what the caller does at each prompt.
    nlohmann::json call_in(const std::string& to, const nlohmann::json& actions) {
        // A braced list of one action is that action, not an array of it (nlohmann's initializer rules).
        const auto script = actions.is_array() ? actions : nlohmann::json::array({actions});
        const auto reply = call_json("POST", "/sandbox/sandbox/texml/calls", "",
                                     {{"to", to}, {"from", "+12025550199"}, {"script", script}});
        EXPECT_EQ(reply.status, 200) << reply.raw.body;
        return reply.body;
    }

    static std::vector<std::string> heard(const nlohmann::json& call) {
        std::vector<std::string> out;
        if (!call.contains("steps")) return out;
        for (const auto& step : call["steps"]) {
            if (step.value("kind", "") == "say") out.push_back(step.value("text", ""));
        }
        return out;
    }

    static bool heard_text(const nlohmann::json& call, const std::string& fragment) {
        for (const auto& text : heard(call)) {
            if (text.find(fragment) != std::string::npos) return true;
        }
        return false;
    }

    // Our call id for the sandbox's CallSid, found through the platform's sessions and their calls.
    std::string call_id_of(const nlohmann::json& call, const std::string& key) {
        const auto sessions = this->call("GET", "/api/voice/sessions?limit=200", key);
        for (const auto& session : field(sessions.body, "sessions")) {
            const auto detail = this->call("GET", "/api/voice/sessions/" + session.value("sessionId", ""), key);
            for (const auto& item : field(field(detail.body, "session"), "calls")) {
                if (item.value("callControlId", "") == call.value("callSid", "-")) return item.value("callId", "");
            }
        }
        return {};
    }

    // GET the call until `done` holds (background jobs) or 15 s pass.
    nlohmann::json wait_for_call(const std::string& id, const std::string& key,
                                 const std::function<bool(const nlohmann::json&)>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        nlohmann::json last;
        while (std::chrono::steady_clock::now() < deadline) {
            last = this->call("GET", "/api/voice/calls/" + id, key).body;
            if (done(last)) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling interval, not a stand-in
        }
        return last;
    }

    // A member of an object, or an empty array when it is missing (const operator[] would assert).
    static nlohmann::json field(const nlohmann::json& object, const char* name) {
        if (!object.is_object() || !object.contains(name)) return nlohmann::json::array();
        return object[name];
    }

    static nlohmann::json press(const std::string& digits) { return {{"press", digits}}; }
    static nlohmann::json say(const std::string& words) { return {{"say", words}}; }
};

TEST_F(IvrTest, TetrixMainRoutesEachOptionToItsDesk) {
    const std::map<std::string, std::string> desks = {{"1", "+12025550120"}, {"0", "+12025550123"}};
    for (const auto& [digit, desk] : desks) {
        const auto call = call_in("+12025550100", {press(digit)});
        EXPECT_EQ(call.value("outcome", ""), "transferred") << call.dump(2);
        EXPECT_EQ(call.value("connectedTo", ""), desk) << call.dump(2);
        EXPECT_EQ(call.value("platform", ""), "tetrix");
        EXPECT_TRUE(heard_text(call, "Thank you for calling TETRIX."));
    }
}

TEST_F(IvrTest, AnApplicationFetchedWithGetIsSignedOverItsQueryString) {
    const auto reply =
        call_json("POST", "/sandbox/sandbox/texml/calls", "",
                  {{"to", "+12025550100"}, {"method", "GET"}, {"script", nlohmann::json::array({press("1")})}});
    ASSERT_EQ(reply.status, 200) << reply.raw.body;
    EXPECT_EQ(reply.body.value("outcome", ""), "transferred") << reply.body.dump(2);
    EXPECT_EQ(reply.body.value("connectedTo", ""), "+12025550120");
}

TEST_F(IvrTest, TetrixBillingCollectsTheAccountNumberBeforeTheTransfer) {
    const auto call = call_in("+12025550100", {press("3"), press("1234567#")});
    EXPECT_EQ(call.value("outcome", ""), "transferred") << call.dump(2);
    EXPECT_EQ(call.value("connectedTo", ""), "+12025550122");
    EXPECT_TRUE(heard_text(call, "account number"));
}

TEST_F(IvrTest, TetrixMenusAnswerSpeechAndSubMenus) {
    auto call = call_in("+12025550100", {say("I need technical support please"), say("technical")});
    EXPECT_EQ(call.value("connectedTo", ""), "+12025550121") << call.dump(2);
    call = call_in("+12025550100", {press("2"), press("3"), press("*"), press("0")});
    EXPECT_TRUE(heard_text(call, "no known service outages")) << call.dump(2);
    EXPECT_EQ(call.value("connectedTo", ""), "+12025550123");
}

TEST_F(IvrTest, SilenceAndWrongKeysAreRepromptedThenFallBackToTheOperator) {
    const auto call = call_in("+12025550100", {press("7"), nlohmann::json{{"silence", true}}, press("8")});
    EXPECT_TRUE(heard_text(call, "isn't one of the choices")) << call.dump(2);
    EXPECT_TRUE(heard_text(call, "didn't hear anything"));
    EXPECT_EQ(call.value("connectedTo", ""), "+12025550123");
}

TEST_F(IvrTest, TetrixVoicemailRecordsTheCallerAndTheRecordingReachesTheCall) {
    const auto call =
        call_in("+12025550100", {press("5"), nlohmann::json{{"record", "Please call me back about my order."}}});
    EXPECT_EQ(call.value("outcome", ""), "hangup") << call.dump(2);
    bool recorded = false;
    for (const auto& step : call.value("steps", nlohmann::json::array()))
        recorded = recorded || step.value("kind", "") == "record";
    EXPECT_TRUE(recorded);

    // The recording status callback stored the recording on our call and its audio was fetched into our store.
    const auto id = call_id_of(call, tetrix_);
    ASSERT_FALSE(id.empty()) << call.dump(2);
    const auto archived = wait_for_call(id, tetrix_, [](const nlohmann::json& body) {
        const auto recordings = field(field(body, "call"), "recordings");
        return recordings.is_array() && !recordings.empty() && recordings[0].value("archived", false);
    });
    const auto recordings = field(field(archived, "call"), "recordings");
    ASSERT_FALSE(recordings.empty()) << archived.dump(2);
    ASSERT_TRUE(recordings[0].value("archived", false)) << archived.dump(2);
    EXPECT_EQ(field(archived, "call").value("status", ""), "completed");
    const auto position = this->call("GET", "/api/ivr/calls/" + id, tetrix_);
    ASSERT_EQ(position.status, 200) << position.raw.body;
    EXPECT_EQ(position.body["ivr"].value("flow", ""), "tetrix-main");
    EXPECT_EQ(position.body["ivr"].value("outcome", ""), "hangup");
    EXPECT_EQ(position.body["ivr"].value("awaiting", ""), "ended");
    EXPECT_EQ(this->call("GET", "/api/ivr/calls/" + id, joromi_).status, 404);
}

TEST_F(IvrTest, JoromiStartsWithShangoAndOffersChatOrAPerson) {
    // Any key leaves SHANGO for the menu; then 2 is a person.
    const auto call = call_in("+12025550150", nlohmann::json::array({press("1"), press("2")}));
    EXPECT_TRUE(heard_text(call, "SHANGO")) << call.dump(2);
    EXPECT_EQ(call.value("platform", ""), "joromi");
    EXPECT_EQ(call.value("connectedTo", ""), "+12025550151");
}

TEST_F(IvrTest, EveryIndustryMenuAnswersAndRoutesItsOperator) {
    for (const char* number : {"+12025550111", "+12025550112", "+12025550113", "+12025550114", "+12025550115"}) {
        const auto call = call_in(number, {press("0")});
        EXPECT_EQ(call.value("outcome", ""), "transferred") << number << call.dump(2);
        EXPECT_EQ(call.value("platform", ""), "tetrix") << number;
        EXPECT_GE(heard(call).size(), 2u) << number;
    }
}

// One deeper route per industry line, through its sub-menus and digit collection (routes: docs/FLOWS.md).
TEST_F(IvrTest, IndustryLinesRouteThroughTheirSubMenus) {
    struct Route {
        const char* number;
        nlohmann::json script;
        const char* outcome;
        const char* connected_to;
    };
    const std::vector<Route> routes = {
        {"+12025550111", nlohmann::json::array({press("1"), press("1")}), "transferred", "+12025550130"},
        {"+12025550112", nlohmann::json::array({say("I want to file a claim"), press("1"), press("12345678#")}),
         "transferred", "+12025550135"},
        {"+12025550112", nlohmann::json::array({press("3"), press("123456789#")}), "transferred", "+12025550139"},
        {"+12025550113", nlohmann::json::array({press("1"), press("87654321#")}), "transferred", "+12025550142"},
        {"+12025550114", nlohmann::json::array({press("2"), press("4321#")}), "transferred", "+12025550162"},
        {"+12025550115",
         nlohmann::json::array({press("1"), press("2"), nlohmann::json{{"record", "The kitchen tap is leaking."}}}),
         "hangup", ""},
    };
    for (const auto& route : routes) {
        const auto call = call_in(route.number, route.script);
        EXPECT_EQ(call.value("outcome", ""), route.outcome) << route.number << call.dump(2);
        if (*route.connected_to != '\0') {
            EXPECT_EQ(call.value("connectedTo", ""), route.connected_to) << route.number;
        }
        EXPECT_EQ(call.value("unusedActions", -1), 0) << route.number << ": the script did not fit the flow";
    }
}

TEST_F(IvrTest, HealthcareEmergencyOptionTellsTheCallerToDial911) {
    const auto call = call_in("+12025550111", {press("9")});
    EXPECT_TRUE(heard_text(call, "dial 9 1 1")) << call.dump(2);
    EXPECT_EQ(call.value("outcome", ""), "hangup");
}

TEST_F(IvrTest, ANumberNoFlowOwnsIsRejected) {
    const auto call = call_in("+12025550999", nlohmann::json::array());
    EXPECT_EQ(call.value("outcome", ""), "rejected") << call.dump(2);
}

TEST_F(IvrTest, FlowsApiValidatesStoresRoutesAndDeletes) {
    const std::string flow = R"(name: test-line
platform: tetrix
numbers: ["+12025550177"]
start: hello
nodes:
  hello: {type: say, text: "Test line.", next: ask}
  ask:
    type: menu
    prompt: Press 1 for the desk.
    fallback: bye
    options:
      - {digit: "1", next: desk}
  desk: {type: transfer, targets: ["+12025550408"], no_answer: bye}
  bye: {type: hangup, text: Goodbye.}
)";
    auto put = call("PUT", "/api/ivr/flows/test-line", tetrix_, "");
    EXPECT_EQ(put.status, 415) << put.raw.body;
    // A broken flow is refused with every problem located.
    std::string broken = flow;
    broken.replace(broken.find("next: desk"), 10, "next: dsk");
    broken.replace(broken.find("  bye: {type: hangup"), 0, "  orphan: {type: hangup}\n");
    auto refused =
        client_->request("PUT", "/api/ivr/flows/test-line",
                         {{"Authorization", "Bearer " + tetrix_}, {"Content-Type", "application/yaml"}}, broken);
    EXPECT_EQ(refused.status, 400) << refused.body;
    const auto problems = nlohmann::json::parse(refused.body);
    const auto issues = problems["details"].value("issues", "");
    EXPECT_NE(issues.find("names no node"), std::string::npos) << issues;
    EXPECT_NE(issues.find("'orphan' is unreachable"), std::string::npos) << issues;

    auto stored =
        client_->request("PUT", "/api/ivr/flows/test-line",
                         {{"Authorization", "Bearer " + tetrix_}, {"Content-Type", "application/yaml"}}, flow);
    ASSERT_EQ(stored.status, 200) << stored.body;
    EXPECT_EQ(nlohmann::json::parse(stored.body)["flow"].value("version", 0), 1);

    // Another platform cannot see it, and cannot take its number.
    EXPECT_EQ(call("GET", "/api/ivr/flows/test-line", joromi_).status, 404);
    std::string joromi_flow = flow;
    joromi_flow.replace(joromi_flow.find("platform: tetrix"), 16, "platform: joromi");
    auto taken =
        client_->request("PUT", "/api/ivr/flows/test-line",
                         {{"Authorization", "Bearer " + joromi_}, {"Content-Type", "application/yaml"}}, joromi_flow);
    EXPECT_EQ(taken.status, 409) << taken.body;

    // The number now answers with the flow; nobody answers the desk (…408), so the flow goes on at no_answer.
    const auto call_result = call_in("+12025550177", {press("1")});
    EXPECT_TRUE(heard_text(call_result, "Test line.")) << call_result.dump(2);
    EXPECT_TRUE(heard_text(call_result, "Goodbye.")) << call_result.dump(2);
    EXPECT_EQ(call_result.value("outcome", ""), "hangup");

    const auto fetched = call("GET", "/api/ivr/flows/test-line", tetrix_);
    ASSERT_EQ(fetched.status, 200);
    EXPECT_EQ(fetched.body["flow"]["graph"].value("start", ""), "hello");
    EXPECT_EQ(fetched.body["flow"].value("source", ""), flow);

    EXPECT_EQ(call("DELETE", "/api/ivr/flows/test-line", tetrix_).status, 200);
    EXPECT_EQ(call("DELETE", "/api/ivr/flows/test-line", tetrix_).status, 404);
    EXPECT_EQ(call_in("+12025550177", nlohmann::json::array()).value("outcome", ""), "rejected");
}

TEST_F(IvrTest, TexmlRequestsWithoutAValidSignatureAreRefused) {
    auto unsigned_request =
        client_->request("POST", "/api/voice/texml", {{"Content-Type", "application/x-www-form-urlencoded"}},
                         "CallSid=v3:forged&From=%2B12025550199&To=%2B12025550100");
    EXPECT_EQ(unsigned_request.status, 401) << unsigned_request.body;
    auto wrong_type = client_->request("POST", "/api/voice/texml", {{"Content-Type", "application/json"}}, "{}");
    EXPECT_EQ(wrong_type.status, 415) << wrong_type.body;
}

// The same engine on Call Control: an incoming call on a routed number is answered and driven by commands; the
// test plays the caller through the sandbox's own routes (the keypad) and watches the commands it received.
TEST_F(IvrTest, CallControlCallsRunTheSameFlowsByCommands) {
    const std::string flow = R"(name: command-line
platform: joromi
numbers: ["+12025550189"]
start: hello
nodes:
  hello: {type: say, text: "Hi.", next: ask}
  ask:
    type: menu
    prompt: Press 1.
    timeout: 10
    fallback: bye
    options:
      - {digit: "1", next: desk}
  desk: {type: transfer, targets: ["+12025550120"], no_answer: bye}
  bye: {type: hangup, text: Bye.}
)";
    auto stored =
        client_->request("PUT", "/api/ivr/flows/command-line",
                         {{"Authorization", "Bearer " + joromi_}, {"Content-Type", "application/yaml"}}, flow);
    ASSERT_EQ(stored.status, 200) << stored.body;
    const std::string webhook = "http://127.0.0.1:" + std::to_string(service_->port()) + "/api/voice/webhook";
    const auto inbound = call_json("POST", "/sandbox/sandbox/inbound", "",
                                   {{"from", "+12025550199"}, {"to", "+12025550189"}, {"webhook_url", webhook}});
    ASSERT_EQ(inbound.status, 200) << inbound.raw.body;
    const auto control_id = inbound.body["data"].value("call_control_id", "");

    // Polls the sandbox's view of the leg until it received `action` (commands arrive from webhook follow-ups).
    const auto wait_for_command = [&](const std::string& action) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        nlohmann::json leg;
        while (std::chrono::steady_clock::now() < deadline) {
            leg = call("GET", "/sandbox/sandbox/calls/" + control_id, "").body;
            for (const auto& command : field(field(leg, "data"), "commands")) {
                if (command.value("action", "") == action) return leg;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling interval
        }
        ADD_FAILURE() << "no " << action << " command; the leg: " << leg.dump(2);
        return leg;
    };
    wait_for_command("answer");
    wait_for_command("speak");
    wait_for_command("gather_using_speak");
    EXPECT_EQ(call_json("POST", "/sandbox/sandbox/calls/" + control_id + "/dtmf", "", {{"digits", "1"}}).status, 200);
    const auto leg = wait_for_command("transfer");
    std::vector<std::string> actions;
    for (const auto& command : field(field(leg, "data"), "commands")) actions.push_back(command.value("action", ""));
    EXPECT_EQ(actions, (std::vector<std::string>{"inbound", "answer", "speak", "gather_using_speak", "transfer"}));

    // Our side: a JoRoMi call running the flow, now transferred to the desk.
    const auto id = call_id_of({{"callSid", control_id}}, joromi_);
    ASSERT_FALSE(id.empty());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    nlohmann::json position;
    while (std::chrono::steady_clock::now() < deadline) {
        position = call("GET", "/api/ivr/calls/" + id, joromi_).body;
        if (field(position, "ivr").value("outcome", "") == "transferred") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling interval
    }
    EXPECT_EQ(field(position, "ivr").value("outcome", ""), "transferred") << position.dump(2);
    EXPECT_EQ(field(position, "ivr").value("flow", ""), "command-line");
}

// An outbound call placed with a flow runs it once the callee answers; an unknown flow is refused before dialing.
TEST_F(IvrTest, AnOutboundCallPlacedWithAFlowRunsItWhenAnswered) {
    const std::string flow = R"(name: reminder
platform: tetrix
start: hello
nodes:
  hello: {type: say, text: "This is a reminder from TETRIX.", next: bye}
  bye: {type: hangup, text: Goodbye.}
)";
    auto stored =
        client_->request("PUT", "/api/ivr/flows/reminder",
                         {{"Authorization", "Bearer " + tetrix_}, {"Content-Type", "application/yaml"}}, flow);
    ASSERT_EQ(stored.status, 200) << stored.body;
    const auto unknown = call_json("POST", "/api/voice/initiate", tetrix_, {{"to", "+14155550123"}, {"flow", "nope"}});
    EXPECT_EQ(unknown.status, 400) << unknown.raw.body;
    EXPECT_EQ(unknown.body.value("code", ""), "validation_failed");
    EXPECT_EQ(call_json("POST", "/api/voice/initiate", joromi_, {{"to", "+14155550123"}, {"flow", "reminder"}}).status,
              400);  // another platform's flow

    const auto placed = call_json("POST", "/api/voice/initiate", tetrix_,
                                  {{"to", "+14155550123"}, {"flow", "reminder"}, {"recordCall", false}});
    ASSERT_EQ(placed.status, 200) << placed.raw.body;
    const auto id = placed.body.value("callId", "");
    const auto ended = wait_for_call(
        id, tetrix_, [](const nlohmann::json& body) { return field(body, "call").value("status", "") == "completed"; });
    EXPECT_EQ(field(ended, "call").value("status", ""), "completed") << ended.dump(2);
    const auto position = call("GET", "/api/ivr/calls/" + id, tetrix_);
    EXPECT_EQ(field(position.body, "ivr").value("outcome", ""), "hangup") << position.raw.body;
    // The flow, not the callee, ended the call: we asked the carrier to hang up after the goodbye.
    EXPECT_EQ(field(ended, "call").value("hangupSource", ""), "caller") << ended.dump(2);
}

// A broken flow file is found by `flows check` and stops the service from starting, naming file, line and problem.
TEST(FlowFiles, ABrokenFileIsReportedWithItsLineAndStopsTheStart) {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "flows");
    {
        std::ofstream good(dir.path() / "flows" / "good.yaml");
        good << "name: good\nplatform: tetrix\nnumbers: [\"+12025550181\"]\nstart: bye\nnodes:\n"
                "  bye: {type: hangup, text: Bye.}\n";
        std::ofstream bad(dir.path() / "flows" / "bad.yaml");
        bad << "name: bad\nplatform: tetrix\nstart: ask\nnodes:\n  ask:\n    type: menu\n    prompt: Press 1.\n"
               "    fallback: bye\n    options:\n      - {digit: \"1\", next: nowhere}\n  bye: {type: hangpu}\n";
    }
    const auto flows = (dir.path() / "flows").string();
    const auto checked = run_crossvoice({"flows", "check"}, {{"CROSSVOICE_FLOWS_DIR", flows}}, dir.path());
    EXPECT_EQ(checked.exit_code, 1) << checked.out << checked.err;
    EXPECT_NE(checked.out.find("bad.yaml:11: node 'bye': unknown node type 'hangpu'"), std::string::npos)
        << checked.out;
    EXPECT_EQ(checked.out.find("good.yaml"), std::string::npos) << checked.out;

    const auto one = run_crossvoice({"flows", "check", (dir.path() / "flows" / "good.yaml").string()}, {}, dir.path());
    EXPECT_EQ(one.exit_code, 0) << one.out << one.err;
    EXPECT_NE(one.out.find("1 flow file OK"), std::string::npos);

    const auto served = run_crossvoice({"serve"},
                                       {{"CROSSVOICE_FLOWS_DIR", flows},
                                        {"CROSSVOICE_LISTEN", "127.0.0.1:0"},
                                        {"CROSSVOICE_DATA_DIR", (dir.path() / "data").string()},
                                        {"DATABASE_URL", "sqlite:" + (dir.path() / "data" / "db.sqlite").string()}},
                                       dir.path());
    EXPECT_NE(served.exit_code, 0);
    EXPECT_NE(served.err.find("bad.yaml:11"), std::string::npos) << served.err;
}

class IvrAfterHoursTest : public IvrTest {
  protected:
    void SetUp() override { start({{"CROSSVOICE_IVR_NOW", kClosed}}); }
};

TEST_F(IvrAfterHoursTest, TetrixAfterHoursSaysSoAndOffersTheAfterHoursMenu) {
    const auto call = call_in("+12025550100", {nlohmann::json{{"silence", true}}});
    EXPECT_FALSE(heard_text(call, "For sales, press 1.")) << call.dump(2);
    EXPECT_GE(heard(call).size(), 2u);
}

}  // namespace
}  // namespace crossvoice::testing
