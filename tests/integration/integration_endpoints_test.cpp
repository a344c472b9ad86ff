// The integration API end to end: the real service with its in-process sandbox carrier and sandbox messaging
// channel, driven over loopback as the platforms' integrations drive it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "integration/service_fixture.hpp"
#include "speech/espeak_synthesizer.hpp"

namespace crossvoice::testing {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "a cross-platform secret of at least thirty-two bytes";

class IntegrationEndpointsTest : public ServiceTest {
  protected:
    void SetUp() override { start({{"CROSS_PLATFORM_SESSION_SECRET", kSecret}}); }

    static std::string field(const JsonResponse& response) {
        return response.body.is_object() && response.body.contains("details")
                   ? response.body["details"].value("field", "<absent>")
                   : "<no details>";
    }

    JsonResponse initiate(const std::string& key, const json& body) {
        return call_json("POST", "/api/voice/integration/initiate", key, body);
    }

    json wait_for(const std::function<json()>& read, const std::function<bool(const json&)>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        json seen;
        while (std::chrono::steady_clock::now() < deadline) {
            seen = read();
            if (done(seen)) return seen;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling interval
        }
        ADD_FAILURE() << "gave up waiting; last seen: " << seen.dump(2);
        return seen;
    }
};

TEST_F(IntegrationEndpointsTest, AnSmsIsStartedSentThroughTheChannelAndShownInTheSessionDetail) {
    const auto started = initiate(tetrix_, {{"to", "+12025550131"},
                                            {"channel", "sms"},
                                            {"platform", "tetrix"},
                                            {"userId", "crm-7"},
                                            {"message", "Your order has shipped."}});
    ASSERT_EQ(started.status, 201) << started.raw.body;
    EXPECT_EQ(started.body["success"], true);
    EXPECT_EQ(started.body["channel"], "sms");
    EXPECT_EQ(started.body["status"], "pending");
    const std::string session = started.body.value("sessionId", "");
    const std::string message = started.body.value("messageId", "");
    ASSERT_FALSE(session.empty());
    ASSERT_FALSE(message.empty());
    EXPECT_FALSE(started.body.contains("callId"));

    // The sandbox channel carried it to the customer, and the delivery report came back.
    wait_for([&] { return call("GET", "/sandbox/sandbox/messages", "").body["data"]; },
             [](const json& sent) { return !sent.empty(); });
    const auto carried = call("GET", "/sandbox/sandbox/messages", "").body["data"];
    ASSERT_EQ(carried.size(), 1u) << carried.dump(2);
    EXPECT_EQ(carried[0].value("to", ""), "+12025550131");
    EXPECT_EQ(carried[0].value("text", ""), "Your order has shipped.");

    const auto detail =
        wait_for([&] { return call("GET", "/api/voice/integration/sessions/" + session, tetrix_).body; },
                 [](const json& body) {
                     return body.contains("session") && !body["session"]["messages"].empty() &&
                            body["session"]["messages"].back().value("status", "") == "delivered";
                 });
    EXPECT_EQ(detail["session"]["channel"], "sms");
    EXPECT_EQ(detail["session"]["userId"], "crm-7");
    EXPECT_EQ(detail["session"]["phoneNumber"], "+12025550131");
    EXPECT_EQ(detail["session"]["metadata"]["source"], "integration");
    EXPECT_EQ(detail["session"]["messages"].back()["id"], message);
    EXPECT_TRUE(detail["session"]["calls"].empty());

    // Another platform does not see it, exactly as if it did not exist.
    EXPECT_EQ(call("GET", "/api/voice/integration/sessions/" + session, joromi_).status, 404);
    EXPECT_EQ(call("GET", "/api/voice/integration/sessions/ses_unknown", joromi_).status, 404);
}

TEST_F(IntegrationEndpointsTest, AVoiceStartPlacesACallThroughTheCallUseCase) {
    const auto started = initiate(tetrix_, {{"to", "+14155550123"},
                                            {"channel", "voice"},
                                            {"enableTranscription", true},
                                            {"enableTranslation", true},
                                            {"targetLanguage", "es"}});
    ASSERT_EQ(started.status, 201) << started.raw.body;
    EXPECT_EQ(started.body["channel"], "voice");
    EXPECT_EQ(started.body["status"], "initiated");
    const std::string session = started.body.value("sessionId", "");
    const std::string call_id = started.body.value("callId", "");
    ASSERT_FALSE(call_id.empty());
    EXPECT_EQ(started.body["session"]["metadata"]["integration"]["targetLanguage"], "es");

    // The same call the voice API knows, in the session the detail shows.
    const auto placed = call("GET", "/api/voice/calls/" + call_id, tetrix_);
    ASSERT_EQ(placed.status, 200) << placed.raw.body;
    EXPECT_EQ(placed.body["call"]["sessionId"], session);
    const auto detail = call("GET", "/api/voice/integration/sessions/" + session, tetrix_);
    ASSERT_EQ(detail.status, 200);
    ASSERT_EQ(detail.body["session"]["calls"].size(), 1u);
    EXPECT_EQ(detail.body["session"]["calls"][0]["callId"], call_id);

    // Audited with the session as its target.
    const auto audit = call("GET", "/api/audit?limit=20", tetrix_);
    EXPECT_NE(audit.raw.body.find("integration.initiate"), std::string::npos) << audit.raw.body;
    EXPECT_NE(audit.raw.body.find("session:" + session), std::string::npos);
}

TEST_F(IntegrationEndpointsTest, InitiateRefusalsNameTheFieldAndKeysStayOnTheirPlatform) {
    EXPECT_EQ(field(initiate(tetrix_, {{"channel", "voice"}})), "to");
    EXPECT_EQ(field(initiate(tetrix_, {{"to", "+14155550123"}, {"channel", "telegram"}})), "channel");
    EXPECT_EQ(field(initiate(tetrix_, {{"to", "12345"}, {"channel", "sms"}, {"message", "hi"}})), "to");
    EXPECT_EQ(field(initiate(tetrix_, {{"to", "+14155550123"}, {"channel", "whatsapp"}})), "message");
    EXPECT_EQ(field(initiate(tetrix_, {{"to", "+14155550123"}, {"channel", "voice"}, {"enableTranslation", true}})),
              "targetLanguage");
    const auto bad = initiate(tetrix_, {{"to", "+14155550123"}, {"channel", "voice"}, {"userId", 7}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(field(bad), "userId");
    const auto other = initiate(tetrix_, {{"to", "+14155550123"}, {"channel", "voice"}, {"platform", "joromi"}});
    EXPECT_EQ(other.status, 403) << other.raw.body;
    EXPECT_EQ(initiate("", {{"to", "+14155550123"}, {"channel", "voice"}}).status, 401);
    // Nothing was opened by any of them.
    EXPECT_TRUE(call("GET", "/api/voice/integration/sessions", tetrix_).body["sessions"].empty());
}

TEST_F(IntegrationEndpointsTest, SessionsArePagedFilteredAndTheirStatusChanges) {
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        const auto started = initiate(tetrix_, {{"to", "user-" + std::to_string(i)}, {"channel", "chat"}});
        ASSERT_EQ(started.status, 201) << started.raw.body;
        EXPECT_EQ(started.body["status"], "active");
        ids.push_back(started.body.value("sessionId", ""));
    }
    open_session(joromi_, {{"channel", "chat"}});

    auto first = call("GET", "/api/voice/integration/sessions?limit=2&channel=chat", tetrix_);
    ASSERT_EQ(first.status, 200) << first.raw.body;
    ASSERT_EQ(first.body["sessions"].size(), 2u);
    EXPECT_EQ(first.body["sessions"][0]["sessionId"], ids[2]);
    const std::string cursor = first.body.value("nextCursor", "");
    ASSERT_FALSE(cursor.empty());
    auto second = call("GET", "/api/voice/integration/sessions?limit=2&channel=chat&cursor=" + cursor, tetrix_);
    ASSERT_EQ(second.body["sessions"].size(), 1u);
    EXPECT_EQ(second.body["sessions"][0]["sessionId"], ids[0]);
    EXPECT_TRUE(second.body["nextCursor"].is_null());

    for (const auto& [query, name] : std::vector<std::pair<std::string, std::string>>{{"limit=0", "limit"},
                                                                                      {"limit=101", "limit"},
                                                                                      {"status=closed", "status"},
                                                                                      {"channel=fax", "channel"},
                                                                                      {"cursor=garbage", "cursor"}}) {
        const auto refused = call("GET", "/api/voice/integration/sessions?" + query, tetrix_);
        EXPECT_EQ(refused.status, 400) << query;
        EXPECT_EQ(field(refused), name) << query;
    }

    const auto path = "/api/voice/integration/sessions/" + ids[1] + "/status";
    const auto ended = call_json("PUT", path, tetrix_, {{"status", "ended"}});
    ASSERT_EQ(ended.status, 200) << ended.raw.body;
    EXPECT_EQ(ended.body["changed"], true);
    EXPECT_EQ(call_json("PUT", path, tetrix_, {{"status", "ended"}}).body["changed"], false);
    EXPECT_EQ(call_json("PUT", path, tetrix_, {{"status", "active"}}).status, 409);
    const auto unknown = call_json("PUT", path, tetrix_, {{"status", "paused"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(field(unknown), "status");
    EXPECT_EQ(call_json("PUT", path, joromi_, {{"status", "ended"}}).status, 404);

    const auto only_ended = call("GET", "/api/voice/integration/sessions?status=ended", tetrix_);
    ASSERT_EQ(only_ended.body["sessions"].size(), 1u);
    EXPECT_EQ(only_ended.body["sessions"][0]["sessionId"], ids[1]);
    const auto audit = call("GET", "/api/audit?limit=50", tetrix_);
    EXPECT_NE(audit.raw.body.find("session.status"), std::string::npos);
}

TEST_F(IntegrationEndpointsTest, AHandedOffSessionIsVisibleToBothPlatforms) {
    const auto started = initiate(tetrix_, {{"to", "visitor-1"}, {"channel", "chat"}, {"message", "Welcome back"}});
    ASSERT_EQ(started.status, 201) << started.raw.body;
    const std::string session = started.body.value("sessionId", "");
    EXPECT_EQ(call("GET", "/api/voice/integration/sessions/" + session, joromi_).status, 404);

    const auto token = call_json("POST", "/api/voice/integration/sessions/" + session + "/handoff", tetrix_,
                                 {{"toPlatform", "joromi"}});
    ASSERT_EQ(token.status, 201) << token.raw.body;
    const auto claimed =
        call_json("POST", "/api/voice/integration/sessions/claim", joromi_, {{"token", token.body["token"]}});
    ASSERT_EQ(claimed.status, 200) << claimed.raw.body;

    const auto seen = call("GET", "/api/voice/integration/sessions/" + session, joromi_);
    ASSERT_EQ(seen.status, 200) << seen.raw.body;
    EXPECT_EQ(seen.body["session"]["platform"], "tetrix");
    EXPECT_FALSE(seen.body["session"]["messages"].empty());
    const auto listed = call("GET", "/api/voice/integration/sessions", joromi_);
    ASSERT_EQ(listed.body["sessions"].size(), 1u);
    EXPECT_EQ(listed.body["sessions"][0]["sessionId"], session);
}

TEST_F(IntegrationEndpointsTest, StatusAsksEveryDependencyNow) {
    const auto status = call("GET", "/api/voice/integration/status", tetrix_);
    ASSERT_TRUE(status.status == 200) << status.raw.body;
    const std::set<std::string> expected{"carrier",   "speech",   "translation", "assistant",
                                         "messaging", "database", "cache",       "queue"};
    std::set<std::string> names;
    for (const auto& item : status.body["dependencies"]) {
        names.insert(item.value("name", ""));
        EXPECT_TRUE(item["reachable"].is_boolean()) << item.dump();
        EXPECT_TRUE(item["latencyMs"].is_number()) << item.dump();
        if (!item["reachable"].get<bool>()) {
            EXPECT_TRUE(item.contains("lastError")) << item.dump();
        }
    }
    EXPECT_EQ(names, expected) << status.raw.body;
    auto find = [&](const std::string& name) {
        for (const auto& item : status.body["dependencies"]) {
            if (item.value("name", "") == name) return item;
        }
        return json();
    };
    // Without vendor keys the sandboxes stand in, served by this very process, and answer.
    EXPECT_EQ(find("carrier")["mode"], "sandbox");
    EXPECT_EQ(find("carrier")["reachable"], true) << find("carrier").dump();
    EXPECT_EQ(find("messaging")["mode"], "sandbox");
    EXPECT_EQ(find("messaging")["reachable"], true) << find("messaging").dump();
    EXPECT_EQ(find("speech")["mode"], "local");
    EXPECT_EQ(find("assistant")["mode"], "embedded");
    EXPECT_EQ(find("assistant")["reachable"], true);
    // An embedded SQLite file, or a PostgreSQL server when the suite runs on PostgreSQL (CROSSVOICE_TEST_DATABASE).
    const char* selected = std::getenv("CROSSVOICE_TEST_DATABASE");
    const bool postgres = selected != nullptr && std::string(selected) == "postgres";
    EXPECT_EQ(find("database")["mode"], postgres ? "live" : "embedded");
    EXPECT_EQ(find("database")["provider"], postgres ? "postgres" : "sqlite") << find("database").dump();
    EXPECT_EQ(find("database")["reachable"], true);
    EXPECT_EQ(find("cache")["reachable"], true);
    EXPECT_EQ(find("queue")["reachable"], true);
    const std::string overall = status.body.value("status", "");
    EXPECT_TRUE(overall == "ok" || overall == "degraded") << overall;
    EXPECT_EQ(call("GET", "/api/voice/integration/status", "").status, 401);
}

TEST_F(IntegrationEndpointsTest, TheSelfTestRunsEachStepForReal) {
    const auto report = call("POST", "/api/voice/integration/test", tetrix_);
    ASSERT_EQ(report.status, 200) << report.raw.body;
    std::set<std::string> names;
    for (const auto& step : report.body["steps"]) {
        names.insert(step.value("name", ""));
        EXPECT_TRUE(step["ms"].is_number()) << step.dump();
        EXPECT_FALSE(step.value("detail", "").empty()) << step.dump();
        // The sandbox stands in for every vendor here, so every step can pass.
        EXPECT_EQ(step["ok"], true) << step.dump();
    }
    EXPECT_EQ(names, (std::set<std::string>{"database", "ivr", "transcription", "assistant", "messaging", "handoff"}));
    EXPECT_EQ(report.body["ok"], true) << report.raw.body;
    const auto step = [&](const std::string& name) {
        for (const auto& item : report.body["steps"]) {
            if (item.value("name", "") == name) return item.value("detail", "");
        }
        return std::string();
    };
    // The sandbox call went through the platform's main flow, the caller heard its menu, and its session was ended.
    EXPECT_NE(step("ivr").find("(flow tetrix-main)"), std::string::npos) << step("ivr");
    EXPECT_NE(step("ivr").find("say"), std::string::npos) << step("ivr");
    EXPECT_NE(step("ivr").find("ended"), std::string::npos) << step("ivr");
    EXPECT_NE(step("handoff").find("issued to joromi and claimed there"), std::string::npos) << step("handoff");

    // The sandbox call, the message round trip and the hand-off each left an ended session of their own: the
    // call's is the one a call opens (channel voice); the other two are marked as the self-test's.
    const auto ended = call("GET", "/api/voice/integration/sessions?status=ended", tetrix_);
    ASSERT_EQ(ended.body["sessions"].size(), 3u) << ended.raw.body;
    for (const auto& session : ended.body["sessions"]) {
        const auto detail = call("GET", "/api/voice/integration/sessions/" + session.value("sessionId", ""), tetrix_);
        if (session.value("channel", "") == "voice") {
            EXPECT_EQ(detail.body["session"]["calls"].size(), 1u) << detail.raw.body;
        } else {
            EXPECT_EQ(detail.body["session"]["metadata"]["source"], "self-test") << detail.raw.body;
        }
    }
    EXPECT_TRUE(call("GET", "/api/voice/integration/sessions?status=active", tetrix_).body["sessions"].empty());
    EXPECT_EQ(call("POST", "/api/voice/integration/test", "").status, 401);
}

class IntegrationStatusVendorTest : public ServiceTest {
  protected:
    // A LibreTranslate that nothing listens for: the status must say so, not pretend.
    void SetUp() override { start({{"LIBRETRANSLATE_URL", "http://127.0.0.1:9"}}); }
};

TEST_F(IntegrationStatusVendorTest, AVendorThatIsNotThereIsUnreachableWithItsErrorAndTheServiceDegraded) {
    const auto status = call("GET", "/api/voice/integration/status", tetrix_);
    ASSERT_EQ(status.status, 200) << status.raw.body;
    EXPECT_EQ(status.body["status"], "degraded");
    json translation;
    for (const auto& item : status.body["dependencies"]) {
        if (item.value("name", "") == "translation") translation = item;
    }
    EXPECT_EQ(translation["mode"], "live") << translation.dump();
    EXPECT_EQ(translation["provider"], "libretranslate");
    EXPECT_EQ(translation["reachable"], false);
    EXPECT_FALSE(translation.value("lastError", "").empty()) << translation.dump();
}

// A spoken question (eSpeak NG) uploaded as multipart into a voice session: transcribed by the local engine onto
// the session's timeline, answered by SHANGO there, and the answer sent to the customer by SMS (the sandbox channel).
TEST_F(IntegrationEndpointsTest, ASpokenQuestionIsTranscribedIntoTheSessionAnsweredAndSentBySms) {
    auto synthesizer = speech::EspeakSynthesizer::create();
    ASSERT_TRUE(synthesizer.ok()) << synthesizer.error().message;
    auto wav = (*synthesizer)->synthesize_wav("I would like a refund for my bill", "en-US");
    ASSERT_TRUE(wav.ok()) << wav.error().message;
    const auto session = open_session(tetrix_, {{"channel", "voice"}, {"phoneNumber", "+12025550177"}});
    ASSERT_FALSE(session.empty());

    constexpr const char* kBoundary = "cvintegrationboundary9x";
    const auto form = [&](const std::vector<std::pair<std::string, std::string>>& fields) {
        std::string body;
        for (const auto& [name, value] : fields) {
            body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                    "\"\r\n\r\n" + value + "\r\n";
        }
        body += std::string("--") + kBoundary +
                "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q.wav\"\r\nContent-Type: "
                "audio/wav\r\n\r\n" +
                *wav + "\r\n--" + kBoundary + "--\r\n";
        JsonResponse out;
        out.raw = client_->request("POST", "/api/voice/integration/transcribe",
                                   {{"Authorization", "Bearer " + tetrix_},
                                    {"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}},
                                   body);
        out.status = out.raw.status;
        out.body = json::parse(out.raw.body, nullptr, false);
        return out;
    };

    // Refused before anything is heard, naming the field; the other platform cannot see the session.
    const auto no_session = form({{"replyOn", "sms"}});
    EXPECT_EQ(no_session.status, 400) << no_session.raw.body;
    EXPECT_EQ(field(no_session), "sessionId");
    const auto bad_channel = form({{"sessionId", session}, {"replyOn", "fax"}});
    EXPECT_EQ(bad_channel.status, 400) << bad_channel.raw.body;
    EXPECT_EQ(field(bad_channel), "replyOn");
    const auto bad_flag = form({{"sessionId", session}, {"askShango", "maybe"}});
    EXPECT_EQ(bad_flag.status, 400) << bad_flag.raw.body;
    EXPECT_EQ(field(bad_flag), "askShango");
    const auto unknown = form({{"sessionId", session}, {"colour", "blue"}});
    EXPECT_EQ(unknown.status, 400) << unknown.raw.body;
    EXPECT_EQ(field(unknown), "colour");
    const auto hidden = call_json("POST", "/api/voice/integration/transcribe", joromi_,
                                  {{"sessionId", session}, {"audioUrl", "https://media.example.com/a.wav"}});
    EXPECT_EQ(hidden.status, 404) << hidden.raw.body;
    EXPECT_TRUE(call("GET", "/api/voice/integration/sessions/" + session, tetrix_).body["session"]["messages"].empty());

    const auto done = form({{"sessionId", session}, {"replyOn", "sms"}});
    ASSERT_EQ(done.status, 201) << done.raw.body;
    EXPECT_EQ(done.body["success"], true);
    EXPECT_EQ(done.body["sessionId"], session);
    const auto& transcript = done.body["transcript"];
    EXPECT_FALSE(transcript.value("transcriptId", "").empty()) << done.raw.body;
    EXPECT_EQ(transcript["transcription"]["id"], transcript["transcriptId"]);
    const auto heard = transcript["transcription"].value("text", "");
    ASSERT_FALSE(heard.empty()) << "the local engine heard nothing: " << done.raw.body;
    ASSERT_TRUE(done.body.contains("shango")) << done.raw.body;
    const auto answer = done.body["shango"].value("text", "");
    EXPECT_FALSE(answer.empty()) << done.raw.body;
    EXPECT_FALSE(done.body["shango"].value("persona", "").empty());
    EXPECT_TRUE(done.body["shango"]["sources"].is_array());
    EXPECT_FALSE(done.body.contains("errors")) << done.raw.body;
    ASSERT_EQ(done.body["messageIds"].size(), 3u) << done.raw.body;  // the transcription, the answer, the SMS

    // The SMS reached the customer through the sandbox channel, and the session's timeline holds all three.
    const auto carried = wait_for([&] { return call("GET", "/sandbox/sandbox/messages", "").body["data"]; },
                                  [](const json& sent) { return !sent.empty(); });
    ASSERT_EQ(carried.size(), 1u) << carried.dump(2);
    EXPECT_EQ(carried[0].value("to", ""), "+12025550177");
    EXPECT_EQ(carried[0].value("text", ""), answer);
    const auto detail = call("GET", "/api/voice/integration/sessions/" + session, tetrix_).body;
    const auto& messages = detail["session"]["messages"];
    ASSERT_EQ(messages.size(), 3u) << detail.dump(2);
    EXPECT_EQ(messages[0].value("type", ""), "transcription");
    EXPECT_EQ(messages[0].value("content", ""), heard);
    EXPECT_EQ(messages[1].value("author", ""), "assistant");
    EXPECT_EQ(messages[2].value("channel", ""), "sms");
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(messages[i]["id"], done.body["messageIds"][i]);

    // The raw-audio form takes the fields as query parameters; askShango=false only transcribes.
    JsonResponse raw;
    raw.raw = client_->request("POST", "/api/voice/integration/transcribe?sessionId=" + session + "&askShango=false",
                               {{"Authorization", "Bearer " + tetrix_}, {"Content-Type", "audio/wav"}}, *wav);
    raw.status = raw.raw.status;
    raw.body = json::parse(raw.raw.body, nullptr, false);
    ASSERT_EQ(raw.status, 201) << raw.raw.body;
    EXPECT_FALSE(raw.body.contains("shango")) << raw.raw.body;
    EXPECT_EQ(raw.body["messageIds"].size(), 1u) << raw.raw.body;
    // JSON is typed: askShango must be a boolean there.
    const auto typed =
        call_json("POST", "/api/voice/integration/transcribe", tetrix_,
                  {{"sessionId", session}, {"audioUrl", "https://media.example.com/a.wav"}, {"askShango", "yes"}});
    EXPECT_EQ(typed.status, 400) << typed.raw.body;
    EXPECT_EQ(field(typed), "askShango");
}

class IntegrationSelfTestWithoutSecretTest : public ServiceTest {
  protected:
    void SetUp() override { start({}); }  // no CROSS_PLATFORM_SESSION_SECRET: hand-off is disabled
};

TEST_F(IntegrationSelfTestWithoutSecretTest, TheHandOffStepSaysItIsDisabledAndTheIvrCallStillRuns) {
    const auto report = call("POST", "/api/voice/integration/test", joromi_);
    ASSERT_EQ(report.status, 200) << report.raw.body;
    json handoff;
    json ivr;
    for (const auto& step : report.body["steps"]) {
        if (step.value("name", "") == "handoff") handoff = step;
        if (step.value("name", "") == "ivr") ivr = step;
    }
    ASSERT_TRUE(handoff.is_object()) << report.raw.body;
    EXPECT_EQ(handoff["ok"], true);
    EXPECT_EQ(handoff["detail"], "disabled: CROSS_PLATFORM_SESSION_SECRET unset");
    ASSERT_TRUE(ivr.is_object()) << report.raw.body;
    EXPECT_EQ(ivr["ok"], true) << ivr.dump();
    EXPECT_NE(ivr.value("detail", "").find("(flow joromi-main)"), std::string::npos) << ivr.dump();
    EXPECT_EQ(report.body["ok"], true) << report.raw.body;
}

}  // namespace
}  // namespace crossvoice::testing
