// Live events end to end: the real service, consoles on Server-Sent Events and WebSocket, events raised by
// ordinary API calls (sessions, agents' messages, calls through the sandbox carrier).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "integration/service_fixture.hpp"
#include "support/live_client.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class LiveEventsTest : public ServiceTest {
  protected:
    void SetUp() override { start({{"CROSSVOICE_LIVE_POLL_MS", "20"}}); }

    HeaderList bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

    std::unique_ptr<EventStreamClient> subscribe(const std::string& key, const HeaderList& extra = {}) {
        auto headers = bearer(key);
        headers.insert(headers.end(), extra.begin(), extra.end());
        auto client = std::make_unique<EventStreamClient>("127.0.0.1", service_->port(), "/api/events", headers);
        EXPECT_EQ(client->status(), 200) << client->body();
        return client;
    }

    // Reads events until one of `type` about `session` (the envelope's JSON), skipping others.
    std::optional<json> expect_event(EventStreamClient& client, const std::string& type, const std::string& session,
                                     std::string* id = nullptr) {
        while (auto event = client.next_event(20s)) {
            const auto envelope = json::parse(event->data);
            if (event->type == type && envelope.value("sessionId", "") == session) {
                EXPECT_EQ(event->id, std::to_string(envelope["id"].get<std::uint64_t>()));
                if (id) *id = event->id;
                return envelope;
            }
        }
        ADD_FAILURE() << "no " << type << " event for " << session;
        return std::nullopt;
    }

    void agent_says(const std::string& key, const std::string& session, const std::string& text) {
        const auto sent =
            call_json("POST", "/api/voice/integration/sessions/" + session + "/messages", key, {{"message", text}});
        ASSERT_EQ(sent.status, 202) << sent.raw.body;
    }
};

TEST_F(LiveEventsTest, AConsoleSeesTheTimelineAsItHappensAndResumesWhereItLeftOff) {
    auto console = subscribe(tetrix_);
    auto ready = console->next_event();
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->type, "ready");
    EXPECT_EQ(json::parse(ready->data)["platform"], "tetrix");

    const auto session = open_session(tetrix_, {{"channel", "chat"}, {"userId", "visitor-1"}});
    const auto opened = expect_event(*console, "session.status", session);
    ASSERT_TRUE(opened);
    EXPECT_EQ((*opened)["data"]["status"], "active");
    agent_says(tetrix_, session, "Hello, how can I help?");
    std::string seen_id;
    std::optional<json> said;
    while ((said = expect_event(*console, "message", session, &seen_id))) {
        if ((*said)["data"].value("content", "") == "Hello, how can I help?") break;
    }
    ASSERT_TRUE(said);
    EXPECT_EQ((*said)["data"]["author"], "agent");
    console->close();

    // Missed while disconnected:
    agent_says(tetrix_, session, "Are you still there?");
    auto resumed = subscribe(tetrix_, {{"Last-Event-ID", seen_id}});
    ASSERT_EQ(resumed->next_event()->type, "ready");
    auto first = resumed->next_event();
    ASSERT_TRUE(first);
    EXPECT_GT(std::stoull(first->id), std::stoull(seen_id)) << "nothing before Last-Event-ID comes again";
    bool missed_arrived = json::parse(first->data)["data"].value("content", "") == "Are you still there?";
    while (!missed_arrived) {
        auto next = resumed->next_event(20s);
        ASSERT_TRUE(next) << "the message sent while disconnected was not replayed";
        missed_arrived = json::parse(next->data)["data"].value("content", "") == "Are you still there?";
    }
}

TEST_F(LiveEventsTest, AnUnknownLastEventIdAsksTheConsoleToReload) {
    auto console = subscribe(tetrix_, {{"Last-Event-ID", "999999"}});
    ASSERT_EQ(console->next_event()->type, "ready");
    auto reset = console->next_event();
    ASSERT_TRUE(reset);
    EXPECT_EQ(reset->type, "reset");
    EXPECT_NE(reset->data.find("reload"), std::string::npos);
}

TEST_F(LiveEventsTest, EachPlatformSeesOnlyItsOwnEvents) {
    auto joromi = subscribe(joromi_);
    ASSERT_EQ(joromi->next_event()->type, "ready");
    const auto tetrix_session = open_session(tetrix_, {{"channel", "chat"}});
    const auto joromi_session = open_session(joromi_, {{"channel", "chat"}});
    // Events arrive in log order: TETRIX's session was opened first, so it would come first if it leaked.
    auto first = joromi->next_event();
    ASSERT_TRUE(first);
    EXPECT_EQ(json::parse(first->data)["sessionId"], joromi_session) << "TETRIX's " << tetrix_session << " leaked";
}

TEST_F(LiveEventsTest, ACallsStateChangesAreLiveEvents) {
    auto console = subscribe(tetrix_);
    ASSERT_EQ(console->next_event()->type, "ready");
    const auto placed = call_json("POST", "/api/voice/initiate", tetrix_, {{"to", "+14155550123"}});
    ASSERT_EQ(placed.status, 200) << placed.raw.body;
    const std::string session = placed.body.value("sessionId", "");
    const auto initiated = expect_event(*console, "call.state", session);
    ASSERT_TRUE(initiated);
    EXPECT_EQ((*initiated)["data"]["callId"], placed.body["callId"]);
    EXPECT_EQ((*initiated)["data"]["state"], "initiated");
    const auto next = expect_event(*console, "call.state", session);
    ASSERT_TRUE(next);
    EXPECT_NE((*next)["data"]["state"], "initiated") << "the sandbox carrier moves the call on";
}

TEST_F(LiveEventsTest, AWebSocketCarriesTheSameEventsAndAuthenticatesWithASubprotocol) {
    WebSocketClient console("127.0.0.1", service_->port(), "/api/events/ws", {},
                            {"crossvoice.v1", "bearer." + tetrix_});
    ASSERT_TRUE(console.connected()) << console.refused_body();
    EXPECT_EQ(console.protocol(), "crossvoice.v1");
    auto ready = console.next();
    ASSERT_TRUE(ready);
    EXPECT_EQ(json::parse(*ready)["type"], "ready");
    const auto session = open_session(tetrix_, {{"channel", "chat"}});
    auto event = console.next(20s);
    ASSERT_TRUE(event);
    const auto envelope = json::parse(*event);
    EXPECT_EQ(envelope["type"], "session.status");
    EXPECT_EQ(envelope["sessionId"], session);
    console.send(R"({"type":"ping"})");
    auto pong = console.next();
    ASSERT_TRUE(pong);
    EXPECT_EQ(json::parse(*pong)["type"], "pong");
}

TEST_F(LiveEventsTest, ACustomerWritingSpanishReachesTheConsoleAlsoInEnglish) {
    auto console = subscribe(tetrix_);
    ASSERT_EQ(console->next_event()->type, "ready");
    const auto sent = call_json(
        "POST", "/sandbox/sandbox/messages", "",
        {{"from", "+12025550111"}, {"text", "Hola, necesito ayuda con mi factura de este mes"}, {"channel", "SMS"}});
    ASSERT_EQ(sent.status, 202) << sent.raw.body;
    while (auto event = console->next_event(20s)) {
        if (event->type != "message") continue;
        const auto data = json::parse(event->data)["data"];
        if (data.value("author", "") != "caller") continue;
        ASSERT_TRUE(data.contains("translation")) << data.dump();
        EXPECT_EQ(data["translation"]["language"], "en");
        EXPECT_EQ(data["translation"]["engine"], "apertium");
        const std::string english = data["translation"].value("content", "");
        EXPECT_NE(english.find("I need help"), std::string::npos) << english;  // "necesito ayuda"
        return;
    }
    FAIL() << "the customer's message never reached the console";
}

TEST_F(LiveEventsTest, AConversationStartedInSpanishShowsTheCustomerTheStaffsWordsInSpanish) {
    auto console = subscribe(tetrix_);
    ASSERT_EQ(console->next_event()->type, "ready");
    const auto started = call_json("POST", "/api/voice/integration/initiate", tetrix_,
                                   {{"to", "+12025550144"},
                                    {"channel", "sms"},
                                    {"message", "Your order has shipped"},
                                    {"enableTranslation", true},
                                    {"targetLanguage", "es"}});
    ASSERT_EQ(started.status, 201) << started.raw.body;
    const std::string session = started.body.value("sessionId", "");
    while (auto event = console->next_event(20s)) {
        if (event->type != "message") continue;
        const auto envelope = json::parse(event->data);
        if (envelope.value("sessionId", "") != session) continue;
        const auto data = envelope["data"];
        ASSERT_TRUE(data.contains("translation")) << data.dump();
        EXPECT_EQ(data["translation"]["language"], "es");
        EXPECT_FALSE(data["translation"].value("content", "").empty());
        return;
    }
    FAIL() << "the first message never reached the console";
}

TEST_F(LiveEventsTest, BadRequestsAreRefusedWithTheReason) {
    EventStreamClient wrong_key("127.0.0.1", service_->port(), "/api/events", bearer("cv_tetrix_wrong"));
    EXPECT_EQ(wrong_key.status(), 401);
    auto bad_id = std::make_unique<EventStreamClient>(
        "127.0.0.1", service_->port(), "/api/events",
        HeaderList{{"Authorization", "Bearer " + tetrix_}, {"Last-Event-ID", "yesterday"}});
    EXPECT_EQ(bad_id->status(), 400);
    EXPECT_NE(bad_id->body().find("Last-Event-ID"), std::string::npos) << bad_id->body();
    const auto not_upgraded = call("GET", "/api/events/ws", tetrix_);
    EXPECT_EQ(not_upgraded.status, 426);
    EXPECT_EQ(not_upgraded.raw.header("upgrade"), "websocket");
    WebSocketClient no_protocol("127.0.0.1", service_->port(), "/api/events/ws", {}, {"bearer." + tetrix_});
    EXPECT_FALSE(no_protocol.connected()) << "a browser would refuse an answer naming a protocol it did not offer";
}

}  // namespace
}  // namespace crossvoice::testing
