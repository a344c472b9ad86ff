#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

class AuditApi : public ServiceTest {};

TEST_F(AuditApi, EveryMutatingRequestWritesOneRow) {
    auto created = call_json("POST", "/api/voice/sessions", tetrix_, {{"channel", "voice"}});
    const std::string id = created.body["sessionId"];
    const std::string create_request_id = created.raw.header("x-request-id");
    call("POST", "/api/voice/sessions/" + id + "/end", tetrix_);
    call_json("POST", "/api/voice/sessions", tetrix_, {{"channel", "fax"}});
    call("GET", "/api/voice/sessions", tetrix_);  // reads are not audited

    auto audit = call("GET", "/api/audit", tetrix_);
    ASSERT_EQ(audit.status, 200);
    const auto& entries = audit.body["entries"];
    ASSERT_EQ(entries.size(), 4u) << audit.body.dump(2);  // 3 requests + the development key's creation
    EXPECT_EQ(entries[0]["action"], "session.create");
    EXPECT_EQ(entries[0]["outcome"], "validation_failed");
    EXPECT_EQ(entries[0]["status"], 400);
    EXPECT_EQ(entries[1]["action"], "session.end");
    EXPECT_EQ(entries[1]["target"], "session:" + id);
    EXPECT_EQ(entries[1]["outcome"], "success");
    EXPECT_EQ(entries[2]["action"], "session.create");
    EXPECT_EQ(entries[2]["target"], "session:" + id);
    EXPECT_EQ(entries[2]["requestId"], create_request_id);
    EXPECT_EQ(entries[2]["platform"], "tetrix");
    EXPECT_EQ(entries[2]["keyId"].get<std::string>().rfind("key_", 0), 0u);
    EXPECT_EQ(entries[3]["action"], "api_key.create");
    EXPECT_EQ(entries[3]["keyId"], "cli");
}

TEST_F(AuditApi, APlatformSeesOnlyItsOwnRowsNewestFirstInPages) {
    for (int i = 0; i < 3; ++i) call_json("POST", "/api/voice/sessions", tetrix_, {{"channel", "chat"}});
    call_json("POST", "/api/voice/sessions", joromi_, {{"channel", "chat"}});

    auto joromi = call("GET", "/api/audit", joromi_);
    ASSERT_EQ(joromi.body["count"], 2);  // its session and its development key
    for (const auto& entry : joromi.body["entries"]) EXPECT_EQ(entry["platform"], "joromi");

    auto first = call("GET", "/api/audit?limit=2", tetrix_);
    ASSERT_EQ(first.body["count"], 2);
    ASSERT_TRUE(first.body["nextCursor"].is_string());
    auto second = call("GET", "/api/audit?limit=2&cursor=" + first.body["nextCursor"].get<std::string>(), tetrix_);
    ASSERT_EQ(second.body["count"], 2);
    EXPECT_TRUE(second.body["nextCursor"].is_null());
    EXPECT_GT(first.body["entries"][1]["id"].get<int>(), second.body["entries"][0]["id"].get<int>());

    EXPECT_EQ(call("GET", "/api/audit?limit=x", tetrix_).status, 400);
    EXPECT_EQ(call("GET", "/api/audit?cursor=-4", tetrix_).status, 400);
}

TEST_F(AuditApi, RejectedCredentialsAreAuditedWithoutAPlatform) {
    call_json("POST", "/api/voice/sessions", "cv_tetrix_wrong", {{"channel", "voice"}});
    // The row exists but belongs to no platform, so no platform lists it.
    auto audit = call("GET", "/api/audit", tetrix_);
    for (const auto& entry : audit.body["entries"]) EXPECT_NE(entry["outcome"], "unauthorized");
}

}  // namespace
}  // namespace crossvoice::testing
