// REDIS_URL set but Redis unreachable: the service says so and refuses what it cannot do safely.
#include <gtest/gtest.h>

#include <string>

#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

class RedisDownTest : public ServiceTest {
  protected:
    // Port 1 on loopback: nothing listens there, so every connection is refused at once.
    void SetUp() override {
        start({{"REDIS_URL", "redis://127.0.0.1:1/0"},
               {"CROSS_PLATFORM_SESSION_SECRET", "a cross-platform secret of at least thirty-two bytes"}});
    }
};

TEST_F(RedisDownTest, ReadinessAndTheIntegrationStatusSayRedisIsDown) {
    const auto ready = call("GET", "/readyz", "");
    EXPECT_EQ(ready.status, 503) << ready.raw.body;
    EXPECT_NE(ready.body["checks"]["redis"].value("status", ""), "ok") << ready.raw.body;
    EXPECT_EQ(ready.body["checks"]["database"].value("status", ""), "ok") << ready.raw.body;

    // A required dependency is down: the status answers 503, with every dependency's state.
    const auto status = call("GET", "/api/voice/integration/status", tetrix_);
    EXPECT_EQ(status.status, 503) << status.raw.body;
    bool reported = false;
    for (const auto& dependency : status.body["dependencies"]) {
        if (dependency.value("name", "") != "cache") continue;
        reported = true;
        EXPECT_EQ(dependency.value("provider", ""), "redis");
        EXPECT_EQ(dependency.value("reachable", true), false) << dependency.dump();
    }
    EXPECT_TRUE(reported) << status.raw.body;
}

TEST_F(RedisDownTest, ADialThatCannotBeCountedIsRefusedNotPlacedUncounted) {
    const auto placed = call_json("POST", "/api/voice/initiate", tetrix_, {{"to", "+14155550123"}});
    EXPECT_EQ(placed.status, 503) << placed.raw.body;
    EXPECT_NE(placed.raw.body.find("redis"), std::string::npos) << placed.raw.body;
    const auto sessions = call("GET", "/api/voice/sessions", tetrix_);
    ASSERT_EQ(sessions.status, 200);
    EXPECT_TRUE(sessions.body["sessions"].empty()) << "nothing was created half-way: " << sessions.raw.body;
}

TEST_F(RedisDownTest, AHandOffTokenThatCannotBeMarkedUsedIsNotHonoured) {
    const auto session = open_session(tetrix_, {{"channel", "chat"}});
    const auto issued = call_json("POST", "/api/voice/integration/sessions/" + session + "/handoff", tetrix_,
                                  {{"toPlatform", "joromi"}});
    ASSERT_EQ(issued.status, 201) << issued.raw.body;
    const auto claimed = call_json("POST", "/api/voice/integration/sessions/claim", joromi_,
                                   {{"token", issued.body.value("token", "")}});
    EXPECT_EQ(claimed.status, 503) << "a claim that might be a replay is refused: " << claimed.raw.body;
    EXPECT_EQ(call("GET", "/api/voice/integration/sessions/" + session, joromi_).status, 404)
        << "JoRoMi did not get the session";
}

}  // namespace
}  // namespace crossvoice::testing
