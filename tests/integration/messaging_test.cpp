// Messaging end to end: the real service with its sandbox messaging channel, which speaks the Sinch protocol
// (signed callbacks) over loopback; customers write through it, SHANGO and agents answer through it; sessions
// continue from one platform to the other with hand-off tokens.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/time_format.hpp"
#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "a cross-platform secret of at least thirty-two bytes";

class MessagingTest : public ServiceTest {
  protected:
    void SetUp() override { start({{"CROSS_PLATFORM_SESSION_SECRET", kSecret}}); }

    void customer_writes(const std::string& from, const std::string& text, const std::string& channel = "SMS") {
        const auto sent =
            call_json("POST", "/sandbox/sandbox/messages", "", {{"from", from}, {"text", text}, {"channel", channel}});
        ASSERT_EQ(sent.status, 202) << sent.raw.body;
    }

    json sessions(const std::string& key) { return call("GET", "/api/voice/sessions?limit=50", key).body["sessions"]; }

    json timeline(const std::string& key, const std::string& session) {
        const auto listed = call("GET", "/api/voice/integration/sessions/" + session + "/messages?limit=200", key);
        EXPECT_EQ(listed.status, 200) << listed.raw.body;
        return listed.body["messages"];
    }

    static bool has_status(const json& messages, const std::string& author, const std::string& status) {
        for (const auto& message : messages) {
            if (message.value("author", "") == author && message.value("status", "") == status) return true;
        }
        return false;
    }

    // A customer's first SMS, answered by SHANGO and delivered: returns the session id.
    std::string answered_conversation(const std::string& from, const std::string& text) {
        customer_writes(from, text);
        const auto listed = wait_for([&] { return sessions(tetrix_); }, [](const json& s) { return !s.empty(); });
        const std::string session = listed.empty() ? "" : listed[0].value("sessionId", "");
        wait_for([&] { return timeline(tetrix_, session); },
                 [](const json& m) { return has_status(m, "assistant", "delivered"); });
        return session;
    }
};

TEST_F(MessagingTest, ACustomersSmsIsAnsweredBySHANGOOnTheSameChannelAndDelivered) {
    const auto session = answered_conversation("+12025550111", "How do I get a refund?");
    ASSERT_FALSE(session.empty());
    const auto messages = timeline(tetrix_, session);
    ASSERT_GE(messages.size(), 2u) << messages.dump(2);
    EXPECT_EQ(messages[0].value("author", ""), "caller");
    EXPECT_EQ(messages[0].value("channel", ""), "sms");
    EXPECT_EQ(messages[0].value("content", ""), "How do I get a refund?");
    EXPECT_EQ(messages[1].value("author", ""), "assistant");
    EXPECT_EQ(messages[1].value("channel", ""), "sms");
    EXPECT_NE(messages[1].value("content", "").find("30 days"), std::string::npos) << messages[1].dump();

    // What the channel carried to the customer: SHANGO's words, to the number that wrote.
    const auto carried = call("GET", "/sandbox/sandbox/messages", "").body["data"];
    ASSERT_EQ(carried.size(), 1u) << carried.dump(2);
    EXPECT_EQ(carried[0].value("to", ""), "+12025550111");
    EXPECT_EQ(carried[0].value("text", ""), messages[1].value("content", ""));
    EXPECT_EQ(carried[0].value("correlationId", ""), messages[1].value("id", ""));

    // The session knows the customer's number; the JoRoMi platform does not see it.
    const auto listed = sessions(tetrix_);
    EXPECT_EQ(listed[0].value("phoneNumber", ""), "+12025550111");
    EXPECT_TRUE(sessions(joromi_).empty());
}

TEST_F(MessagingTest, AnAgentTakesOverAndTheirReplyReachesTheCustomerWhileSHANGOStaysQuiet) {
    const auto session = answered_conversation("+12025550112", "What are your support hours?");
    const auto reply = call_json("POST", "/api/voice/integration/sessions/" + session + "/messages", tetrix_,
                                 {{"message", "Hi, Ana here. We are open until 8 pm."}, {"agentId", "ana"}});
    ASSERT_EQ(reply.status, 202) << reply.raw.body;
    EXPECT_EQ(reply.body["message"].value("status", ""), "pending");
    EXPECT_EQ(reply.body["message"].value("channel", ""), "sms");
    const auto id = reply.body["message"].value("id", "");
    wait_for([&] { return timeline(tetrix_, session); },
             [](const json& m) { return has_status(m, "agent", "delivered"); });

    customer_writes("+12025550112", "Great, thanks Ana");
    const auto after =
        wait_for([&] { return timeline(tetrix_, session); },
                 [](const json& m) { return !m.empty() && m.back().value("content", "") == "Great, thanks Ana"; });
    // Only what a person said after the take-over was carried: SHANGO did not answer again.
    const auto carried = call("GET", "/sandbox/sandbox/messages", "").body["data"];
    ASSERT_EQ(carried.size(), 2u) << carried.dump(2);
    EXPECT_EQ(carried[1].value("text", ""), "Hi, Ana here. We are open until 8 pm.");
    EXPECT_EQ(carried[1].value("correlationId", ""), id);
    std::size_t events = 0;
    for (const auto& message : after) events += message.value("type", "") == "event" ? 1 : 0;
    EXPECT_EQ(events, 1u) << "the take-over is on the timeline: " << after.dump(2);

    // Handed back, SHANGO answers the next message.
    const auto back =
        call_json("PUT", "/api/voice/integration/sessions/" + session + "/owner", tetrix_, {{"owner", "assistant"}});
    ASSERT_EQ(back.status, 200) << back.raw.body;
    customer_writes("+12025550112", "How do I get a refund?");
    wait_for([&] { return call("GET", "/sandbox/sandbox/messages", "").body["data"]; },
             [](const json& sent) { return sent.size() == 3; });
}

TEST_F(MessagingTest, ABlockedNumberFailsWithTheVendorsReason) {
    customer_writes("+12025554004", "Hello?");
    const auto listed = wait_for([&] { return sessions(tetrix_); }, [](const json& s) { return !s.empty(); });
    const std::string session = listed[0].value("sessionId", "");
    const auto messages = wait_for([&] { return timeline(tetrix_, session); },
                                   [](const json& m) { return has_status(m, "assistant", "failed"); });
    for (const auto& message : messages) {
        if (message.value("author", "") != "assistant") continue;
        EXPECT_NE(message["metadata"].value("failureReason", "").find("blocked"), std::string::npos) << message;
    }
}

TEST_F(MessagingTest, BadCallbacksAndRepliesAreRefusedAndChangeNothing) {
    // Unsigned, wrongly signed, stale: 401, and nothing is stored.
    const std::string body =
        R"({"app_id":"sandbox-app","accepted_time":"2026-11-24T10:00:00Z","event_time":"2026-11-24T10:00:00Z",)"
        R"("project_id":"p","message":{"id":"m1","direction":"TO_APP","contact_message":{"text_message":)"
        R"({"text":"hi"}},"channel_identity":{"channel":"SMS","identity":"+12025550113","app_id":"sandbox-app"},)"
        R"("conversation_id":"c","contact_id":"k","accept_time":"2026-11-24T10:00:00Z"}})";
    auto unsigned_post = client_->request("POST", "/api/webhooks/sinch", {{"Content-Type", "application/json"}}, body);
    EXPECT_EQ(unsigned_post.status, 401) << unsigned_post.body;
    auto forged = client_->request(
        "POST", "/api/webhooks/sinch",
        {{"Content-Type", "application/json"},
         {"x-sinch-webhook-signature", "c2lnbmF0dXJl"},
         {"x-sinch-webhook-signature-nonce", "n1"},
         {"x-sinch-webhook-signature-timestamp", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                                    std::chrono::system_clock::now().time_since_epoch())
                                                                    .count())},
         {"x-sinch-webhook-signature-algorithm", "HmacSHA256"}},
        body);
    EXPECT_EQ(forged.status, 401) << forged.body;
    EXPECT_TRUE(sessions(tetrix_).empty());

    // The sandbox's own controls check what they are given.
    EXPECT_EQ(call_json("POST", "/sandbox/sandbox/messages", "", {{"text", "no sender"}}).status, 422);
    EXPECT_EQ(call_json("POST", "/sandbox/sandbox/messages", "",
                        {{"from", "+12025550113"}, {"channel", "FAX"}, {"text", "hi"}})
                  .status,
              422);

    // Replies: unknown session, empty text, voice channel, a bad owner.
    EXPECT_EQ(call_json("POST", "/api/voice/integration/sessions/ses_01M0000000000000000000000A/messages", tetrix_,
                        {{"message", "hi"}})
                  .status,
              404);
    const auto session = answered_conversation("+12025550113", "How do I get a refund?");
    const auto before = timeline(tetrix_, session).size();
    EXPECT_EQ(call_json("POST", "/api/voice/integration/sessions/" + session + "/messages", tetrix_, {{"message", ""}})
                  .status,
              400);
    EXPECT_EQ(call_json("POST", "/api/voice/integration/sessions/" + session + "/messages", tetrix_,
                        {{"message", "hi"}, {"channel", "voice"}})
                  .status,
              400);
    EXPECT_EQ(
        call_json("PUT", "/api/voice/integration/sessions/" + session + "/owner", tetrix_, {{"owner", "bot"}}).status,
        400);
    EXPECT_EQ(
        call_json("POST", "/api/voice/integration/sessions/" + session + "/messages", joromi_, {{"message", "hi"}})
            .status,
        404);
    EXPECT_EQ(timeline(tetrix_, session).size(), before);
}

TEST_F(MessagingTest, ASessionHandedOffToJoRoMiIsClaimedOnceAndSharesOneTimeline) {
    const auto session = answered_conversation("+12025550114", "How do I get a refund?");
    const auto issued = call_json("POST", "/api/voice/integration/sessions/" + session + "/handoff", tetrix_,
                                  {{"toPlatform", "joromi"}, {"userId", "visitor-7"}});
    ASSERT_EQ(issued.status, 201) << issued.raw.body;
    const std::string token = issued.body.value("token", "");
    EXPECT_EQ(token.rfind("cvh1.", 0), 0u);
    EXPECT_EQ(issued.body.value("toPlatform", ""), "joromi");

    // Before the claim, JoRoMi cannot see the session.
    EXPECT_EQ(call("GET", "/api/voice/integration/sessions/" + session + "/messages", joromi_).status, 404);
    // TETRIX cannot claim its own token; a tampered token is refused.
    EXPECT_EQ(call_json("POST", "/api/voice/integration/sessions/claim", tetrix_, {{"token", token}}).status, 403);
    std::string tampered = token;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_EQ(call_json("POST", "/api/voice/integration/sessions/claim", joromi_, {{"token", tampered}}).status, 403);
    EXPECT_EQ(call_json("POST", "/api/voice/integration/sessions/claim", joromi_, {{"token", "not-a-token"}}).status,
              400);

    const auto claimed = call_json("POST", "/api/voice/integration/sessions/claim", joromi_, {{"token", token}});
    ASSERT_EQ(claimed.status, 200) << claimed.raw.body;
    EXPECT_EQ(claimed.body.value("sessionId", ""), session);
    const auto reused = call_json("POST", "/api/voice/integration/sessions/claim", joromi_, {{"token", token}});
    EXPECT_EQ(reused.status, 409) << reused.raw.body;

    // Both platforms now read the same timeline, with the hand-off on it; JoRoMi's agent can reply.
    const auto seen_by_joromi = timeline(joromi_, session);
    const auto seen_by_tetrix = timeline(tetrix_, session);
    EXPECT_EQ(seen_by_joromi, seen_by_tetrix);
    EXPECT_NE(seen_by_joromi.dump().find("continues on JoRoMi"), std::string::npos) << seen_by_joromi.dump(2);
    const auto reply = call_json("POST", "/api/voice/integration/sessions/" + session + "/messages", joromi_,
                                 {{"message", "JoRoMi support here, picking this up."}});
    EXPECT_EQ(reply.status, 202) << reply.raw.body;

    // Both sides are audited.
    const auto tetrix_audit = call("GET", "/api/audit?limit=50", tetrix_).raw.body;
    const auto joromi_audit = call("GET", "/api/audit?limit=50", joromi_).raw.body;
    EXPECT_NE(tetrix_audit.find("session.handoff"), std::string::npos) << tetrix_audit;
    EXPECT_NE(joromi_audit.find("session.claim"), std::string::npos) << joromi_audit;
}

TEST_F(MessagingTest, AHandOffTokenLivesBetweenThirtySecondsAndAnHour) {
    const auto session = open_session(tetrix_, {{"channel", "chat"}});
    const auto path = "/api/voice/integration/sessions/" + session + "/handoff";
    for (const int seconds : {29, 3601}) {
        const auto refused =
            call_json("POST", path, tetrix_, {{"toPlatform", "joromi"}, {"expiresInSeconds", seconds}});
        EXPECT_EQ(refused.status, 400) << seconds << ": " << refused.raw.body;
        EXPECT_EQ(refused.body["details"].value("field", ""), "expiresInSeconds") << refused.raw.body;
    }
    const auto not_a_number =
        call_json("POST", path, tetrix_, {{"toPlatform", "joromi"}, {"expiresInSeconds", "soon"}});
    EXPECT_EQ(not_a_number.status, 400) << not_a_number.raw.body;
    const auto shortest = call_json("POST", path, tetrix_, {{"toPlatform", "joromi"}, {"expiresInSeconds", 30}});
    ASSERT_EQ(shortest.status, 201) << shortest.raw.body;
    const auto expires = core::parse_rfc3339(shortest.body.value("expiresAt", ""));
    ASSERT_TRUE(expires.has_value()) << shortest.raw.body;
    const auto left = *expires - core::SystemClock().now();
    EXPECT_GT(left, std::chrono::seconds(20));
    EXPECT_LE(left, std::chrono::seconds(30));
}

class MessagingWithoutSecretTest : public MessagingTest {
  protected:
    void SetUp() override { start({}); }
};

TEST_F(MessagingWithoutSecretTest, HandOffIsDisabledAndSaysWhy) {
    const auto session = open_session(tetrix_, {{"channel", "chat"}});
    const auto refused = call_json("POST", "/api/voice/integration/sessions/" + session + "/handoff", tetrix_,
                                   {{"toPlatform", "joromi"}});
    EXPECT_EQ(refused.status, 503) << refused.raw.body;
    EXPECT_NE(refused.raw.body.find("CROSS_PLATFORM_SESSION_SECRET"), std::string::npos) << refused.raw.body;
}

}  // namespace
}  // namespace crossvoice::testing
