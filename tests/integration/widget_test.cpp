// The widget's visitor API end to end against the real binary: a visitor with no API key chats with SHANGO, an
// agent takes over from the console's API and the visitor's event stream receives the reply, the conversation is
// handed from TETRIX to JoRoMi with its timeline, "call me" places a sandbox call, and every bad input is refused
// with a status and a body naming the problem.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "integration/service_fixture.hpp"
#include "support/live_client.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kSecret = "widget-integration-secret-0123456789abcdef";

class WidgetTest : public ServiceTest {
  protected:
    void SetUp() override {
        start({{"CROSS_PLATFORM_SESSION_SECRET", kSecret},
               {"CROSSVOICE_LIVE_POLL_MS", "20"},
               {"CROSSVOICE_WIDGET_ORIGINS", "https://shop.example"}});
    }

    // A widget request: no API key; the visitor token when given; extra headers (Origin).
    JsonResponse visit(const std::string& method, const std::string& target, const std::string& token = "",
                       const std::string& body = "", HeaderList extra = {}) {
        HeaderList headers = std::move(extra);
        if (!token.empty()) headers.emplace_back("Authorization", "Visitor " + token);
        if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
        JsonResponse out;
        out.raw = client_->request(method, target, headers, body);
        out.status = out.raw.status;
        out.body = json::parse(out.raw.body, nullptr, false);
        return out;
    }

    struct Conversation {
        std::string session;
        std::string token;
        json body;
    };

    Conversation begin(const std::string& platform, const json& body = json::object()) {
        const auto started = visit("POST", "/api/widget/" + platform + "/conversations", "", body.dump());
        EXPECT_EQ(started.status, 201) << started.raw.body;
        return {started.body.value("sessionId", ""), started.body.value("visitorToken", ""), started.body};
    }

    static std::string path(const std::string& session, const std::string& what) {
        return "/api/widget/conversations/" + session + "/" + what;
    }

    void expect_refusal(const JsonResponse& response, int status, const std::string& field = "") {
        EXPECT_EQ(response.status, status) << response.raw.body;
        EXPECT_EQ(response.body.value("success", true), false) << response.raw.body;
        EXPECT_FALSE(response.body.value("error", "").empty()) << response.raw.body;
        if (!field.empty()) {
            EXPECT_EQ(response.body["details"].value("field", ""), field) << response.raw.body;
        }
    }

    // Reads the visitor's stream until a message from `from` whose text contains `text`.
    static std::optional<json> expect_message(EventStreamClient& stream, const std::string& from,
                                              const std::string& text) {
        while (auto event = stream.next_event(20s)) {
            if (event->type != "message") continue;
            const auto envelope = json::parse(event->data);
            const auto& data = envelope["data"];
            if (data.value("from", "") == from && data.value("text", "").find(text) != std::string::npos) return data;
        }
        ADD_FAILURE() << "no message from " << from << " containing '" << text << "'";
        return std::nullopt;
    }
};

TEST_F(WidgetTest, AVisitorChatsWithShangoWithoutAnApiKey) {
    const auto conversation = begin("tetrix", {{"name", "Ana"}});
    ASSERT_FALSE(conversation.session.empty());
    EXPECT_EQ(conversation.body["platform"], "tetrix");
    EXPECT_EQ(conversation.body["continued"], false);
    EXPECT_EQ(conversation.body["greeting"]["from"], "shango");
    EXPECT_EQ(conversation.token.rfind("cvv1.", 0), 0u);

    const auto said = visit("POST", path(conversation.session, "messages"), conversation.token,
                            json{{"text", "How do I reset my password?"}}.dump());
    ASSERT_EQ(said.status, 200) << said.raw.body;
    EXPECT_EQ(said.body["message"]["from"], "visitor");
    EXPECT_EQ(said.body["reply"]["from"], "shango");
    EXPECT_NE(said.body["reply"]["text"].get<std::string>().find("password"), std::string::npos);
    EXPECT_EQ(said.body["owner"], "shango");

    const auto timeline = visit("GET", path(conversation.session, "messages"), conversation.token);
    ASSERT_EQ(timeline.status, 200) << timeline.raw.body;
    ASSERT_EQ(timeline.body["messages"].size(), 3u);
    for (const auto& message : timeline.body["messages"]) {
        // Customer-safe: what visitors see, nothing internal.
        EXPECT_FALSE(message.contains("metadata")) << message.dump();
        EXPECT_FALSE(message.contains("sources")) << message.dump();
        EXPECT_FALSE(message.contains("persona")) << message.dump();
    }
    // The staff see the same session, with the visitor's name, as a chat.
    const auto staff = call("GET", "/api/voice/integration/sessions/" + conversation.session, tetrix_);
    ASSERT_EQ(staff.status, 200) << staff.raw.body;
    EXPECT_EQ(staff.body["session"]["channel"], "chat");
    // The start and the message are audited under the platform, with the visitor as the caller; never the token.
    const auto audit = call("GET", "/api/audit?limit=10", tetrix_);
    EXPECT_NE(audit.raw.body.find("widget.conversation.start"), std::string::npos) << audit.raw.body;
    EXPECT_NE(audit.raw.body.find("\"keyId\":\"visitor\""), std::string::npos) << audit.raw.body;
    EXPECT_EQ(audit.raw.body.find("cvv1."), std::string::npos);
    EXPECT_EQ(service_->stderr_text().find(conversation.token), std::string::npos);
}

TEST_F(WidgetTest, AnAgentTakesOverAndTheVisitorsStreamReceivesTheReply) {
    const auto conversation = begin("tetrix");
    EventStreamClient stream("127.0.0.1", service_->port(), path(conversation.session, "events"),
                             {{"Authorization", "Visitor " + conversation.token}});
    ASSERT_EQ(stream.status(), 200) << stream.body();
    const auto ready = stream.next_event();
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->type, "ready");

    const auto owner = call_json("PUT", "/api/voice/integration/sessions/" + conversation.session + "/owner", tetrix_,
                                 {{"owner", "agent"}});
    ASSERT_EQ(owner.status, 200) << owner.raw.body;
    const auto reply = call_json("POST", "/api/voice/integration/sessions/" + conversation.session + "/messages",
                                 tetrix_, {{"message", "Hi, Ana from support here."}, {"agentId", "ana"}});
    ASSERT_EQ(reply.status, 202) << reply.raw.body;
    const auto received = expect_message(stream, "agent", "Ana from support");
    ASSERT_TRUE(received);
    EXPECT_FALSE(received->contains("metadata"));
    EXPECT_FALSE(received->contains("agentId"));

    // SHANGO stays quiet while the agent owns the conversation.
    const auto said = visit("POST", path(conversation.session, "messages"), conversation.token,
                            json{{"text", "Thanks, my invoice is wrong"}}.dump());
    ASSERT_EQ(said.status, 200) << said.raw.body;
    EXPECT_TRUE(said.body["reply"].is_null());
    EXPECT_EQ(said.body["owner"], "agent");
    EXPECT_TRUE(expect_message(stream, "visitor", "invoice is wrong"));

    // Other sessions' events never reach this stream: another visitor's message is not seen.
    const auto other = begin("tetrix");
    ASSERT_EQ(
        visit("POST", path(other.session, "messages"), other.token, json{{"text", "other visitor"}}.dump()).status,
        200);
    const auto last = call_json("POST", "/api/voice/integration/sessions/" + conversation.session + "/messages",
                                tetrix_, {{"message", "marker"}});
    ASSERT_EQ(last.status, 202);
    while (auto event = stream.next_event(20s)) {
        ASSERT_EQ(event->data.find("other visitor"), std::string::npos);
        if (event->data.find("marker") != std::string::npos) break;
    }
}

TEST_F(WidgetTest, ATokenOpensItsOwnConversationOnly) {
    const auto mine = begin("tetrix");
    const auto theirs = begin("tetrix");
    expect_refusal(visit("GET", path(theirs.session, "messages"), mine.token), 403);
    expect_refusal(visit("POST", path(theirs.session, "messages"), mine.token, json{{"text", "hi"}}.dump()), 403);
    expect_refusal(visit("POST", path(theirs.session, "handoff"), mine.token), 403);
    expect_refusal(visit("POST", path(theirs.session, "callback"), mine.token, json{{"phone", "+14155550123"}}.dump()),
                   403);
    EventStreamClient stream("127.0.0.1", service_->port(), path(theirs.session, "events"),
                             {{"Authorization", "Visitor " + mine.token}});
    EXPECT_EQ(stream.status(), 403);
    // No token, another scheme, an API key, a forged token.
    expect_refusal(visit("GET", path(mine.session, "messages")), 401);
    expect_refusal(call("GET", path(mine.session, "messages"), tetrix_), 401);
    expect_refusal(visit("GET", path(mine.session, "messages"), "cvv1.forged"), 401);
    auto tampered = mine.token;
    tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
    expect_refusal(visit("GET", path(mine.session, "messages"), tampered), 401);
}

TEST_F(WidgetTest, AHandOffFromTetrixToJoromiKeepsTheTimeline) {
    const auto tetrix = begin("tetrix");
    ASSERT_EQ(
        visit("POST", path(tetrix.session, "messages"), tetrix.token, json{{"text", "Can I get a refund?"}}.dump())
            .status,
        200);
    const auto ticket = visit("POST", path(tetrix.session, "handoff"), tetrix.token);
    ASSERT_EQ(ticket.status, 201) << ticket.raw.body;
    EXPECT_EQ(ticket.body["toPlatform"], "joromi");
    const auto token = ticket.body.value("token", "");

    // The TETRIX page cannot claim its own token; JoRoMi's can, once.
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", json{{"handoffToken", token}}.dump()), 403);
    const auto joromi = begin("joromi", {{"handoffToken", token}});
    EXPECT_EQ(joromi.session, tetrix.session);
    EXPECT_EQ(joromi.body["continued"], true);
    EXPECT_TRUE(joromi.body["greeting"].is_null());
    const auto& history = joromi.body["messages"];
    ASSERT_GE(history.size(), 4u) << history.dump();
    EXPECT_EQ(history[1]["text"], "Can I get a refund?");
    EXPECT_EQ(history.back()["kind"], "event");
    expect_refusal(visit("POST", "/api/widget/joromi/conversations", "", json{{"handoffToken", token}}.dump()), 409);

    const auto said =
        visit("POST", path(joromi.session, "messages"), joromi.token, json{{"text", "Hello from JoRoMi"}}.dump());
    ASSERT_EQ(said.status, 200) << said.raw.body;
    // One timeline: the TETRIX visitor token still reads it, and JoRoMi's staff see it.
    const auto seen = visit("GET", path(tetrix.session, "messages"), tetrix.token);
    EXPECT_NE(seen.raw.body.find("Hello from JoRoMi"), std::string::npos);
    const auto staff = call("GET", "/api/voice/integration/sessions/" + joromi.session + "/messages", joromi_);
    ASSERT_EQ(staff.status, 200) << staff.raw.body;
    EXPECT_NE(staff.raw.body.find("Hello from JoRoMi"), std::string::npos);
    // Going back is done on TETRIX's page, where the conversation is: JoRoMi cannot hand it on.
    expect_refusal(visit("POST", path(joromi.session, "handoff"), joromi.token), 409);
    // The claim is audited on JoRoMi.
    EXPECT_NE(call("GET", "/api/audit?limit=10", joromi_).raw.body.find("widget.conversation.continue"),
              std::string::npos);
}

TEST_F(WidgetTest, CallMePlacesASandboxCallInTheSameSession) {
    const auto conversation = begin("joromi");
    const auto placed = visit("POST", path(conversation.session, "callback"), conversation.token,
                              json{{"phone", "+14155550123"}}.dump());
    ASSERT_EQ(placed.status, 201) << placed.raw.body;
    EXPECT_EQ(placed.body["sessionId"], conversation.session);
    const auto call_id = placed.body.value("callId", "");
    ASSERT_FALSE(call_id.empty());
    const auto calls =
        wait_for([&] { return call("GET", "/api/voice/integration/sessions/" + conversation.session, joromi_).body; },
                 [](const json& body) { return body.contains("session") && !body["session"]["calls"].empty(); });
    EXPECT_EQ(calls["session"]["calls"][0].value("to", ""), "+14155550123");
    for (const char* phone : {"4155550123", "+1", "+999123456789", "call me"}) {
        expect_refusal(
            visit("POST", path(conversation.session, "callback"), conversation.token, json{{"phone", phone}}.dump()),
            400, "phone");
    }
    expect_refusal(visit("POST", path(conversation.session, "callback"), conversation.token, "{}"), 400, "phone");
}

TEST_F(WidgetTest, RefusesBadInputNamingTheProblem) {
    // Unknown platform: 404 naming it.
    const auto unknown = visit("POST", "/api/widget/acme/conversations", "", "{}");
    expect_refusal(unknown, 404);
    EXPECT_NE(unknown.body.value("error", "").find("acme"), std::string::npos) << unknown.raw.body;
    // Bodies.
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", "{not json"), 400);
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", "[]"), 400);
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", json{{"name", 7}}.dump()), 400, "name");
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", json{{"name", ""}}.dump()), 400, "name");
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", json{{"language", "??"}}.dump()), 400,
                   "language");
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", json{{"handoffToken", ""}}.dump()), 400,
                   "handoffToken");
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", json{{"handoffToken", "cvh1.x"}}.dump()), 400,
                   "handoffToken");
    expect_refusal(visit("POST", "/api/widget/tetrix/conversations", "", json{{"nmae", "typo"}}.dump()), 400, "nmae");
    const auto conversation = begin("tetrix");
    const auto messages = path(conversation.session, "messages");
    expect_refusal(visit("POST", messages, conversation.token, "{}"), 400, "text");
    expect_refusal(visit("POST", messages, conversation.token, json{{"text", "   "}}.dump()), 400, "text");
    expect_refusal(visit("POST", messages, conversation.token, json{{"text", std::string(4001, 'a')}}.dump()), 400,
                   "text");
    expect_refusal(visit("POST", messages, conversation.token, json{{"text", 5}}.dump()), 400, "text");
    expect_refusal(visit("GET", messages + "?limit=0", conversation.token), 400, "limit");
    expect_refusal(visit("GET", messages + "?limit=abc", conversation.token), 400, "limit");
    // An ended conversation takes no more messages.
    ASSERT_EQ(call_json("PUT", "/api/voice/integration/sessions/" + conversation.session + "/status", tetrix_,
                        {{"status", "ended"}})
                  .status,
              200);
    expect_refusal(visit("POST", messages, conversation.token, json{{"text", "hello?"}}.dump()), 409);
}

TEST_F(WidgetTest, OnlyAllowedOriginsGetCorsAndOthersAreRefused) {
    // Same origin (the demo pages): no CORS needed, allowed.
    const std::string authority = "127.0.0.1:" + std::to_string(service_->port());
    const auto same = visit("POST", "/api/widget/tetrix/conversations", "", "{}",
                            {{"Host", authority}, {"Origin", "http://" + authority}});
    EXPECT_EQ(same.status, 201) << same.raw.body;
    EXPECT_EQ(same.raw.headers.count("access-control-allow-origin"), 0u);
    // A listed origin: allowed, with its CORS headers, on errors too; its preflight names methods and headers.
    const auto listed =
        visit("POST", "/api/widget/tetrix/conversations", "", "{}", {{"Origin", "https://shop.example"}});
    EXPECT_EQ(listed.status, 201);
    EXPECT_EQ(listed.raw.headers.at("access-control-allow-origin"), "https://shop.example");
    const auto listed_error =
        visit("POST", "/api/widget/tetrix/conversations", "", "{bad", {{"Origin", "https://shop.example"}});
    EXPECT_EQ(listed_error.status, 400);
    EXPECT_EQ(listed_error.raw.headers.at("access-control-allow-origin"), "https://shop.example");
    const auto preflight = visit("OPTIONS", "/api/widget/conversations/ses_x/messages", "", "",
                                 {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(preflight.status, 204);
    EXPECT_NE(preflight.raw.headers.at("access-control-allow-headers").find("Authorization"), std::string::npos);
    EXPECT_NE(preflight.raw.headers.at("access-control-allow-methods").find("POST"), std::string::npos);
    // Anyone else: 403 naming the origin, and no CORS headers.
    const auto other =
        visit("POST", "/api/widget/tetrix/conversations", "", "{}", {{"Origin", "https://evil.example"}});
    expect_refusal(other, 403);
    EXPECT_EQ(other.body["details"].value("origin", ""), "https://evil.example");
    EXPECT_EQ(other.raw.headers.count("access-control-allow-origin"), 0u);
    expect_refusal(visit("OPTIONS", "/api/widget/tetrix/conversations", "", "", {{"Origin", "https://evil.example"}}),
                   403);
}

class WidgetLimitsTest : public WidgetTest {
  protected:
    void SetUp() override {
        start({{"CROSSVOICE_WIDGET_STARTS_PER_MINUTE", "2"}, {"CROSSVOICE_WIDGET_MESSAGES_PER_MINUTE", "2"}});
    }
};

TEST_F(WidgetLimitsTest, ConversationStartsAndMessagesAreRateLimited) {
    const auto conversation = begin("tetrix");
    begin("joromi");
    const auto third = visit("POST", "/api/widget/tetrix/conversations", "", "{}");
    expect_refusal(third, 429);
    ASSERT_EQ(third.raw.headers.count("retry-after"), 1u);
    EXPECT_FALSE(third.raw.headers.at("retry-after").empty());
    const auto messages = path(conversation.session, "messages");
    EXPECT_EQ(visit("POST", messages, conversation.token, json{{"text", "one"}}.dump()).status, 200);
    EXPECT_EQ(visit("POST", messages, conversation.token, json{{"text", "two"}}.dump()).status, 200);
    expect_refusal(visit("POST", messages, conversation.token, json{{"text", "three"}}.dump()), 429);
}

TEST_F(WidgetLimitsTest, WithoutASecretHandOffSaysWhyAndChatStillWorks) {
    const auto conversation = begin("tetrix");
    const auto ticket = visit("POST", path(conversation.session, "handoff"), conversation.token);
    expect_refusal(ticket, 503);
    EXPECT_NE(ticket.body.value("error", "").find("CROSS_PLATFORM_SESSION_SECRET"), std::string::npos);
}

}  // namespace
}  // namespace crossvoice::testing
