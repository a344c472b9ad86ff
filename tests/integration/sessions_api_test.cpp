#include <set>

#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

class SessionsApi : public ServiceTest {};

TEST_F(SessionsApi, CreateGetListAndEndASession) {
    auto created = call_json(
        "POST", "/api/voice/sessions", tetrix_,
        {{"channel", "voice"}, {"phoneNumber", "+15551234567"}, {"userId", "u-1"}, {"metadata", {{"source", "test"}}}});
    ASSERT_EQ(created.status, 201) << created.raw.body;
    EXPECT_EQ(created.body["success"], true);
    const std::string id = created.body["sessionId"];
    const auto& session = created.body["session"];
    EXPECT_EQ(session["sessionId"], id);
    EXPECT_EQ(session["platform"], "tetrix");
    EXPECT_EQ(session["channel"], "voice");
    EXPECT_EQ(session["status"], "active");
    EXPECT_EQ(session["phoneNumber"], "+15551234567");
    EXPECT_EQ(session["userId"], "u-1");
    EXPECT_EQ(session["metadata"], json({{"source", "test"}}));
    EXPECT_TRUE(session["endTime"].is_null());
    EXPECT_EQ(session["hasTranscription"], false);
    EXPECT_EQ(session["hasRecording"], false);

    auto fetched = call("GET", "/api/voice/sessions/" + id, tetrix_);
    ASSERT_EQ(fetched.status, 200);
    auto with_calls = session;
    with_calls["calls"] = json::array();  // the detail lists the session's calls; none yet
    EXPECT_EQ(fetched.body["session"], with_calls);

    auto listed = call("GET", "/api/voice/sessions", tetrix_);
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.body["count"], 1);
    EXPECT_EQ(listed.body["sessions"][0]["sessionId"], id);
    EXPECT_TRUE(listed.body["nextCursor"].is_null());

    auto ended = call("POST", "/api/voice/sessions/" + id + "/end", tetrix_);
    ASSERT_EQ(ended.status, 200) << ended.raw.body;
    EXPECT_EQ(ended.body["session"]["status"], "ended");
    ASSERT_TRUE(ended.body["session"]["endTime"].is_string());

    auto again = call("POST", "/api/voice/sessions/" + id + "/end", tetrix_);
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.body["session"]["endTime"], ended.body["session"]["endTime"]) << "ending twice keeps the first end";
}

TEST_F(SessionsApi, ListFiltersByStatusAndChannel) {
    const auto voice = open_session(tetrix_, {{"channel", "voice"}});
    const auto chat = open_session(tetrix_, {{"channel", "chat"}});
    open_session(tetrix_, {{"channel", "sms"}});
    ASSERT_EQ(call("POST", "/api/voice/sessions/" + chat + "/end", tetrix_).status, 200);

    auto ended = call("GET", "/api/voice/sessions?status=ended", tetrix_);
    ASSERT_EQ(ended.body["count"], 1);
    EXPECT_EQ(ended.body["sessions"][0]["sessionId"], chat);

    auto voices = call("GET", "/api/voice/sessions?channel=voice&status=active", tetrix_);
    ASSERT_EQ(voices.body["count"], 1);
    EXPECT_EQ(voices.body["sessions"][0]["sessionId"], voice);
}

TEST_F(SessionsApi, PaginatesNewestFirstWithoutGapsOrRepeats) {
    std::vector<std::string> ids;
    for (int i = 0; i < 7; ++i) ids.push_back(open_session(tetrix_, {{"channel", "chat"}}));
    std::vector<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        auto page = call("GET", "/api/voice/sessions?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor), tetrix_);
        ASSERT_EQ(page.status, 200) << page.raw.body;
        for (const auto& session : page.body["sessions"]) seen.push_back(session["sessionId"]);
        cursor = page.body["nextCursor"].is_null() ? "" : page.body["nextCursor"].get<std::string>();
        ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(pages, 3);
    std::vector<std::string> newest_first(ids.rbegin(), ids.rend());
    EXPECT_EQ(seen, newest_first);
}

TEST_F(SessionsApi, LegacyActionsKeepWorking) {
    const auto id = open_session(tetrix_, {{"channel", "voice"}});
    auto got = call_json("POST", "/api/voice/sessions", tetrix_, {{"sessionId", id}, {"action", "get"}});
    ASSERT_EQ(got.status, 200) << got.raw.body;
    EXPECT_EQ(got.body["session"]["sessionId"], id);

    auto status = call_json("POST", "/api/voice/sessions", tetrix_, {{"sessionId", id}, {"action", "status"}});
    ASSERT_EQ(status.status, 200);
    EXPECT_EQ(status.body["status"], "active");

    auto ended = call_json("POST", "/api/voice/sessions", tetrix_, {{"sessionId", id}, {"action", "end"}});
    ASSERT_EQ(ended.status, 200);
    EXPECT_EQ(ended.body["session"]["status"], "ended");

    auto bad = call_json("POST", "/api/voice/sessions", tetrix_, {{"sessionId", id}, {"action", "explode"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body["details"]["field"], "action");

    auto unknown = call_json("POST", "/api/voice/sessions", tetrix_,
                             {{"sessionId", "ses_00000000000000000000000000"}, {"action", "get"}});
    EXPECT_EQ(unknown.status, 404);
}

struct BadBody {
    std::string name;  // names the test case
    std::string body;
    int status;
    std::string code;
    std::string field;  // "" when the error is not about one field
};

class SessionsBadInput : public ServiceTest, public ::testing::WithParamInterface<BadBody> {};

TEST_P(SessionsBadInput, IsRefusedWithAClearErrorAndChangesNothing) {
    const auto& bad = GetParam();
    auto response = call("POST", "/api/voice/sessions", tetrix_, bad.body);
    EXPECT_EQ(response.status, bad.status) << response.raw.body;
    EXPECT_EQ(response.body["success"], false);
    EXPECT_EQ(response.body["code"], bad.code);
    EXPECT_TRUE(response.body["error"].is_string() && !response.body["error"].get<std::string>().empty());
    if (!bad.field.empty()) {
        EXPECT_EQ(response.body["details"]["field"], bad.field);
    }
    EXPECT_EQ(call("GET", "/api/voice/sessions", tetrix_).body["count"], 0);
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, SessionsBadInput,
    ::testing::Values(
        BadBody{"MalformedJson", "{\"channel\":", 400, "bad_request", ""},                     // malformed JSON
        BadBody{"NotAnObject", "[1,2]", 400, "bad_request", ""},                               // not an object
        BadBody{"MissingChannel", "{}", 400, "validation_failed", "channel"},                  // missing field
        BadBody{"ChannelNotAString", "{\"channel\":5}", 400, "validation_failed", "channel"},  // wrong type
        BadBody{"UnknownChannel", "{\"channel\":\"fax\"}", 400, "validation_failed", "channel"},
        BadBody{"PhoneNotE164", "{\"channel\":\"sms\",\"phoneNumber\":\"555-1234\"}", 400, "validation_failed",
                "phoneNumber"},
        BadBody{"PhoneNotAString", "{\"channel\":\"sms\",\"phoneNumber\":15551234567}", 400, "validation_failed",
                "phoneNumber"},
        BadBody{"MetadataNotAnObject", "{\"channel\":\"chat\",\"metadata\":[1]}", 400, "validation_failed", "metadata"},
        BadBody{"UserIdNotAString", "{\"channel\":\"chat\",\"userId\":true}", 400, "validation_failed", "userId"},
        BadBody{"UserIdEmpty", "{\"channel\":\"chat\",\"userId\":\"\"}", 400, "validation_failed", "userId"}),
    [](const ::testing::TestParamInfo<BadBody>& param_info) { return param_info.param.name; });

TEST_F(SessionsApi, RefusesNonJsonAndEmptyBodies) {
    auto form = client_->request(
        "POST", "/api/voice/sessions",
        {{"Authorization", "Bearer " + tetrix_}, {"Content-Type", "application/x-www-form-urlencoded"}},
        "channel=voice");
    EXPECT_EQ(form.status, 415);
    auto empty = client_->request("POST", "/api/voice/sessions", {{"Authorization", "Bearer " + tetrix_}}, "");
    EXPECT_EQ(empty.status, 400);
    EXPECT_EQ(call("GET", "/api/voice/sessions", tetrix_).body["count"], 0);
}

TEST_F(SessionsApi, RefusesBadQueryParameters) {
    struct Case {
        std::string query;
        std::string field;
    };
    for (const auto& c : {Case{"limit=abc", "limit"}, Case{"limit=0", "limit"}, Case{"limit=201", "limit"},
                          Case{"status=paused", "status"}, Case{"channel=fax", "channel"},
                          Case{"cursor=nope", "cursor"}, Case{"status=%zz", "status"}}) {
        auto response = call("GET", "/api/voice/sessions?" + c.query, tetrix_);
        EXPECT_EQ(response.status, 400) << c.query;
        EXPECT_EQ(response.body["details"]["field"], c.field) << c.query;
    }
}

TEST_F(SessionsApi, AnotherPlatformsSessionIsNotFound) {
    const auto id = open_session(tetrix_, {{"channel", "voice"}});
    EXPECT_EQ(call("GET", "/api/voice/sessions/" + id, joromi_).status, 404);
    EXPECT_EQ(call("POST", "/api/voice/sessions/" + id + "/end", joromi_).status, 404);
    EXPECT_EQ(call_json("POST", "/api/voice/sessions", joromi_, {{"sessionId", id}, {"action", "end"}}).status, 404);
    EXPECT_EQ(call("GET", "/api/voice/sessions", joromi_).body["count"], 0);
    // And the attempts changed nothing on the owner's side.
    EXPECT_EQ(call("GET", "/api/voice/sessions/" + id, tetrix_).body["session"]["status"], "active");
}

TEST_F(SessionsApi, UnknownSessionIsNotFound) {
    auto response = call("GET", "/api/voice/sessions/ses_00000000000000000000000000", tetrix_);
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.body["code"], "not_found");
    EXPECT_EQ(call("GET", "/api/voice/sessions/not-an-id", tetrix_).status, 404);
}

}  // namespace
}  // namespace crossvoice::testing
