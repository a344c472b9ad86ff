// Chat -> voice end to end: a call back to a messaging customer continues their session, whether an agent asks
// for it or the customer writes "call me back" (through the sandbox messaging channel, which speaks Sinch's
// protocol, and the sandbox carrier, which speaks Telnyx's).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <thread>

#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

// Tuesday 24 November 2026, 10:00 in New York: every shipped flow is open.
constexpr const char* kOpen = "2026-11-24T15:00:00Z";

class CallbackTest : public ServiceTest {
  protected:
    void SetUp() override { start({{"CROSSVOICE_IVR_NOW", kOpen}}); }

    void customer_writes(const std::string& from, const std::string& text) {
        const auto sent =
            call_json("POST", "/sandbox/sandbox/messages", "", {{"from", from}, {"text", text}, {"channel", "SMS"}});
        ASSERT_EQ(sent.status, 202) << sent.raw.body;
    }

    std::string session_of_first_message(const std::string& from, const std::string& text) {
        customer_writes(from, text);
        const auto listed =
            wait_for([&] { return call("GET", "/api/voice/sessions?limit=5", tetrix_).body["sessions"]; },
                     [](const json& s) { return !s.empty(); });
        return listed.empty() ? "" : listed[0].value("sessionId", "");
    }

    json calls_of(const std::string& session) {
        return call("GET", "/api/voice/integration/sessions/" + session, tetrix_).body["session"]["calls"];
    }
};

TEST_F(CallbackTest, AnAgentCallsAnSmsCustomerBackInTheSameSession) {
    const auto session = session_of_first_message("+12025550111", "My order never arrived");
    ASSERT_FALSE(session.empty());
    const auto placed = call("POST", "/api/voice/integration/sessions/" + session + "/callback", tetrix_, "");
    ASSERT_EQ(placed.status, 201) << placed.raw.body;
    EXPECT_EQ(placed.body["sessionId"], session);
    EXPECT_EQ(placed.body["phoneNumber"], "+12025550111") << "the number the customer wrote from";
    const auto calls = wait_for([&] { return calls_of(session); }, [](const json& c) { return c.size() == 1; });
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].value("callId", calls[0].value("id", "")), placed.body["callId"]);
}

TEST_F(CallbackTest, ACustomerWhoWritesCallMeBackIsCalled) {
    const auto session = session_of_first_message("+12025550122", "Could you call me back please?");
    ASSERT_FALSE(session.empty());
    const auto calls = wait_for([&] { return calls_of(session); }, [](const json& c) { return !c.empty(); });
    ASSERT_EQ(calls.size(), 1u) << calls.dump(2);
    EXPECT_EQ(calls[0].value("to", ""), "+12025550122");
}

TEST_F(CallbackTest, VoiceThenChatThenVoiceAgainIsOneSession) {
    // Voice: a caller on the JoRoMi main line leaves SHANGO for the menu (any key) and asks to continue by chat (1).
    const json script = json::array({{{"press", "1"}}, {{"press", "1"}}});
    const auto called = call_json("POST", "/sandbox/sandbox/texml/calls", "",
                                  {{"to", "+12025550150"}, {"from", "+12025550199"}, {"script", script}});
    ASSERT_EQ(called.status, 200) << called.raw.body;
    // Chat: the chat node's text reaches the caller's phone...
    const auto texts = wait_for([&] { return call("GET", "/sandbox/sandbox/messages", "").body["data"]; },
                                [](const json& d) { return d.is_array() && !d.empty(); });
    ASSERT_FALSE(texts.empty());
    EXPECT_EQ(texts[0].value("to", ""), "+12025550199");
    const auto sessions = call("GET", "/api/voice/sessions?limit=5", joromi_).body["sessions"];
    ASSERT_EQ(sessions.size(), 1u) << sessions.dump(2);
    const std::string session = sessions[0].value("sessionId", "");
    // ...whose answer asks for a call: voice again, in the same session.
    customer_writes("+12025550199", "Actually, please call me back");
    const auto calls = call("GET", "/api/voice/integration/sessions/" + session, joromi_);
    const auto both = wait_for(
        [&] { return call("GET", "/api/voice/integration/sessions/" + session, joromi_).body["session"]["calls"]; },
        [](const json& c) { return c.size() == 2; });
    ASSERT_EQ(both.size(), 2u) << calls.raw.body;
    std::set<std::string> directions;
    for (const auto& item : both) directions.insert(item.value("direction", ""));
    EXPECT_EQ(directions, (std::set<std::string>{"inbound", "outbound"}));
    const auto messages =
        call("GET", "/api/voice/integration/sessions/" + session + "/messages?limit=200", joromi_).body["messages"];
    bool asked = false;
    for (const auto& message : messages) {
        asked = asked || message.value("content", "") == "Actually, please call me back";
    }
    EXPECT_TRUE(asked) << "the customer's text is on the call's timeline";
}

TEST_F(CallbackTest, ACallBackNeedsANumberALiveSessionAndOneThisPlatformCanSee) {
    const auto chat = open_session(tetrix_, {{"channel", "chat"}});
    const auto no_number = call("POST", "/api/voice/integration/sessions/" + chat + "/callback", tetrix_, "{}");
    EXPECT_EQ(no_number.status, 400) << no_number.raw.body;
    EXPECT_EQ(no_number.body["details"].value("field", ""), "to");
    const auto bad_number =
        call_json("POST", "/api/voice/integration/sessions/" + chat + "/callback", tetrix_, {{"to", "555-0100"}});
    EXPECT_EQ(bad_number.status, 400) << bad_number.raw.body;
    const auto not_json = call("POST", "/api/voice/integration/sessions/" + chat + "/callback", tetrix_, "[1]");
    EXPECT_EQ(not_json.status, 400);
    const auto elsewhere =
        call_json("POST", "/api/voice/integration/sessions/" + chat + "/callback", joromi_, {{"to", "+12025550133"}});
    EXPECT_EQ(elsewhere.status, 404);
    ASSERT_EQ(
        call_json("PUT", "/api/voice/integration/sessions/" + chat + "/status", tetrix_, {{"status", "ended"}}).status,
        200);
    const auto ended =
        call_json("POST", "/api/voice/integration/sessions/" + chat + "/callback", tetrix_, {{"to", "+12025550133"}});
    EXPECT_EQ(ended.status, 409) << ended.raw.body;
    EXPECT_TRUE(calls_of(chat).empty()) << "no refusal placed a call";
}

}  // namespace
}  // namespace crossvoice::testing
