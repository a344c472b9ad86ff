// Calls end to end: the service and the sandbox carrier as separate processes, speaking Telnyx Call Control v2
// and signed webhooks over loopback.
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "integration/carrier_fixture.hpp"

namespace crossvoice::testing {
namespace {

std::string detail(const JsonResponse& response, const std::string& key) {
    return response.body["details"].value(key, "<absent>");
}

std::string base64(const std::string& text) {
    std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.find('\0'));
    return out;
}

// A Call Control webhook body as Telnyx sends it.
std::string telnyx_event(const std::string& id, const std::string& type, const std::string& occurred_at,
                         const std::string& call_control_id, const std::string& client_state,
                         nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json payload{{"call_control_id", call_control_id},
                           {"call_leg_id", "leg-" + call_control_id},
                           {"call_session_id", "session-" + call_control_id},
                           {"connection_id", "conn-test"},
                           {"client_state", base64(client_state)},
                           {"from", "+12025550100"},
                           {"to", "+14155550123"},
                           {"direction", "outgoing"}};
    for (auto& [key, value] : extra.items()) payload[key] = value;
    nlohmann::json body{{"data",
                         {{"record_type", "event"},
                          {"event_type", type},
                          {"id", id},
                          {"occurred_at", occurred_at},
                          {"payload", payload}}},
                        {"meta", {{"attempt", 1}, {"delivered_to", "http://127.0.0.1/api/voice/webhook"}}}};
    return body.dump();
}

TEST_F(CarrierTest, ACallIsDialledAnsweredHungUpRecordedAndItsRecordingFetched) {
    auto placed = initiate({{"to", "+14155550123"}});
    ASSERT_EQ(placed.status, 200) << placed.raw.body;
    EXPECT_EQ(placed.body["success"], true);
    EXPECT_EQ(placed.body["status"], "initiated");
    EXPECT_EQ(placed.body["phoneNumber"], "+14155550123");
    const std::string call_id = placed.body.value("callId", "");
    const std::string session_id = placed.body.value("sessionId", "");
    EXPECT_TRUE(placed.body["callControlId"].is_string());
    EXPECT_TRUE(placed.body["startTime"].is_string());

    // The sandbox recorded exactly what Telnyx would have received.
    HttpClient sandbox("127.0.0.1", sandbox_->port());
    const auto ccid = placed.body.value("callControlId", "");
    auto seen = sandbox.request("GET", "/sandbox/calls/" + ccid);
    ASSERT_EQ(seen.status, 200) << seen.body;

    auto ended = wait_for_call(call_id, [](const nlohmann::json& call) {
        return call.value("status", "") == "completed" && !call["recordings"].empty() &&
               call["recordings"][0]["fetchJob"].is_object() &&
               call["recordings"][0]["fetchJob"].value("status", "") == "succeeded";
    });
    EXPECT_EQ(ended["recordings"][0]["archived"], true);
    EXPECT_EQ(ended["hangupCause"], "normal_clearing");
    EXPECT_EQ(ended["hangupSource"], "callee");
    EXPECT_TRUE(ended["answerTime"].is_string());
    EXPECT_TRUE(ended["endTime"].is_string());
    EXPECT_EQ(ended["hasRecording"], true);
    const auto types = event_types(ended);
    const auto position = [&](const std::string& type) {
        return std::find(types.begin(), types.end(), type) - types.begin();
    };
    ASSERT_LT(position("call.initiated"), static_cast<long>(types.size())) << ended.dump();
    EXPECT_LT(position("call.initiated"), position("call.answered"));
    EXPECT_LT(position("call.answered"), position("call.hangup"));
    EXPECT_LT(position("call.hangup"), static_cast<long>(types.size()));
    EXPECT_EQ(ended["recordings"][0]["fetchJob"]["status"], "succeeded");
    EXPECT_EQ(ended["recordings"][0]["channels"], "dual");

    auto session = call("GET", "/api/voice/sessions/" + session_id, tetrix_);
    ASSERT_EQ(session.status, 200);
    EXPECT_EQ(session.body["session"]["hasRecording"], true);
    ASSERT_EQ(session.body["session"]["calls"].size(), 1U);
    EXPECT_EQ(session.body["session"]["calls"][0]["callId"], call_id);

    // The archived audio is the real WAV the sandbox synthesised.
    const auto archived = dir_.path() / "data" / "recordings" / call_id;
    ASSERT_TRUE(std::filesystem::exists(archived));
    bool found_wav = false;
    for (const auto& entry : std::filesystem::directory_iterator(archived)) {
        found_wav = found_wav || (entry.path().extension() == ".wav" && entry.file_size() > 1000);
    }
    EXPECT_TRUE(found_wav);
}

TEST_F(CarrierTest, TheDialCarriesConnectionWebhookClientStateAndLimits) {
    auto placed = initiate({{"to", "+14155550123"}, {"timeout", 45}, {"maxDuration", 120}, {"recordCall", false}});
    ASSERT_EQ(placed.status, 200) << placed.raw.body;
    HttpClient sandbox("127.0.0.1", sandbox_->port());
    auto seen = sandbox.request("GET", "/sandbox/calls/" + placed.body.value("callControlId", ""));
    ASSERT_EQ(seen.status, 200) << seen.body;
    const auto call = nlohmann::json::parse(seen.body);
    const auto text = call.dump();
    EXPECT_NE(text.find("conn-test"), std::string::npos) << text;
    EXPECT_NE(text.find("/api/voice/webhook"), std::string::npos) << text;
    EXPECT_NE(
        text.find(base64("cv1|tetrix|" + placed.body.value("sessionId", "") + "|" + placed.body.value("callId", ""))),
        std::string::npos)
        << text;
    auto done = wait_for_status(placed.body.value("callId", ""), "completed");
    EXPECT_EQ(done["recordCall"], false);
    EXPECT_TRUE(done["recordings"].empty());
}

TEST_F(CarrierTest, BusyUnansweredAndFailingNumbersEndAsSuch) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"+14155550486", "busy"}, {"+14155550408", "no_answer"}, {"+14155550404", "failed"}};
    for (const auto& [number, status] : cases) {
        auto placed = initiate({{"to", number}});
        ASSERT_EQ(placed.status, 200) << placed.raw.body;
        auto call = wait_for_status(placed.body.value("callId", ""), status);
        EXPECT_TRUE(call["answerTime"].is_null()) << number;
        EXPECT_TRUE(call["endTime"].is_string()) << number;
    }
}

TEST_F(CarrierTest, HangingUpEndsTheCallFromOurSide) {
    start_carrier({20, 100, 60'000, 300, 2500}, {});
    auto placed = initiate({{"to", "+14155550123"}});
    ASSERT_EQ(placed.status, 200) << placed.raw.body;
    const std::string call_id = placed.body.value("callId", "");
    wait_for_status(call_id, "answered");
    auto hung = call("POST", "/api/voice/calls/" + call_id + "/hangup", tetrix_);
    ASSERT_EQ(hung.status, 200) << hung.raw.body;
    EXPECT_EQ(hung.body["hangupRequested"], true);
    auto ended = wait_for_status(call_id, "completed");
    EXPECT_EQ(ended["hangupSource"], "caller");
    auto again = call("POST", "/api/voice/calls/" + call_id + "/hangup", tetrix_);
    ASSERT_EQ(again.status, 200) << again.raw.body;
    EXPECT_EQ(again.body["hangupRequested"], false);
    EXPECT_EQ(call("POST", "/api/voice/calls/" + call_id + "/hangup", joromi_).status, 404);
    auto audit = call("GET", "/api/audit", tetrix_);
    EXPECT_NE(audit.raw.body.find("call.hangup"), std::string::npos);
    EXPECT_NE(audit.raw.body.find("call.initiate"), std::string::npos);
}

TEST_F(CarrierTest, CarrierRefusalsAnswer502WithTheVendorsDetail) {
    auto invalid = initiate({{"to", "+14155550422"}});
    ASSERT_EQ(invalid.status, 502) << invalid.raw.body;
    EXPECT_EQ(invalid.body["code"], "vendor_error");
    EXPECT_EQ(detail(invalid, "vendor_status"), "422");
    EXPECT_NE(detail(invalid, "vendor_code"), "<absent>");
    const auto failed_id = detail(invalid, "callId");
    auto stored = call("GET", "/api/voice/calls/" + failed_id, tetrix_);
    ASSERT_EQ(stored.status, 200);
    EXPECT_EQ(stored.body["call"]["status"], "failed");
    EXPECT_TRUE(stored.body["call"]["failureReason"].is_string());

    auto limited = initiate({{"to", "+14155550429"}});
    ASSERT_EQ(limited.status, 502) << limited.raw.body;
    EXPECT_EQ(detail(limited, "vendor_status"), "429");
    EXPECT_EQ(detail(limited, "vendor_code"), "90103");
    EXPECT_FALSE(limited.raw.header("retry-after").empty());

    auto broken = initiate({{"to", "+14155550500"}});
    ASSERT_EQ(broken.status, 502) << broken.raw.body;
    EXPECT_EQ(detail(broken, "vendor_status"), "500");
}

TEST_F(CarrierTest, ADialThatTimesOutStaysInitiatedAndItsLateWebhooksStillFindIt) {
    auto slow = initiate({{"to", "+14155550504"}});
    ASSERT_EQ(slow.status, 504) << slow.raw.body;
    const auto call_id = detail(slow, "callId");
    const auto session_id = detail(slow, "sessionId");
    auto pending = call("GET", "/api/voice/calls/" + call_id, tetrix_);
    ASSERT_EQ(pending.status, 200);
    EXPECT_EQ(pending.body["call"]["status"], "initiated");

    // The carrier placed the call after all; its webhooks arrive late, twice and out of order.
    const std::string state = "cv1|tetrix|" + session_id + "|" + call_id;
    const auto hangup = telnyx_event("ev-hangup-1", "call.hangup", "2026-11-24T10:00:09.000Z", "v3:late", state,
                                     {{"hangup_cause", "originator_cancel"}, {"hangup_source", "caller"}});
    auto first = deliver(hangup);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(nlohmann::json::parse(first.body)["duplicate"], false);
    auto repeated = deliver(hangup);
    ASSERT_EQ(repeated.status, 200) << repeated.body;
    EXPECT_EQ(nlohmann::json::parse(repeated.body)["duplicate"], true);
    ASSERT_EQ(
        deliver(telnyx_event("ev-answer-1", "call.answered", "2026-11-24T10:00:05.000Z", "v3:late", state)).status,
        200);
    ASSERT_EQ(deliver(telnyx_event("ev-init-1", "call.initiated", "2026-11-24T10:00:01.000Z", "v3:late", state)).status,
              200);

    auto after = call("GET", "/api/voice/calls/" + call_id, tetrix_);
    ASSERT_EQ(after.status, 200);
    const auto& stored = after.body["call"];
    EXPECT_EQ(stored["status"], "canceled") << "a late call.answered never revives an ended call";
    EXPECT_EQ(stored["callControlId"], "v3:late");
    EXPECT_EQ(event_types(stored), (std::vector<std::string>{"call.initiated", "call.answered", "call.hangup"}));
    EXPECT_EQ(stored["events"][1]["changedStatus"], false);
}

TEST_F(CarrierTest, ConcurrentDeliveriesOfOneEventAreProcessedOnce) {
    auto slow = initiate({{"to", "+14155550504"}});
    ASSERT_EQ(slow.status, 504) << slow.raw.body;
    const std::string state = "cv1|tetrix|" + detail(slow, "sessionId") + "|" + detail(slow, "callId");
    const auto answered = telnyx_event("ev-race", "call.answered", "2026-11-24T10:00:05.000Z", "v3:race", state);

    // Signed once (same timestamp), sent from several connections at once.
    std::atomic<int> fresh{0};
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    const auto port = service_->port();
    const auto signed_request = [&] {
        unsigned char seed[crypto_sign_SEEDBYTES];
        sodium_hex2bin(seed, sizeof seed, kSeedHex, 64, nullptr, nullptr, nullptr);
        unsigned char pk[crypto_sign_PUBLICKEYBYTES];
        unsigned char sk[crypto_sign_SECRETKEYBYTES];
        crypto_sign_seed_keypair(pk, sk, seed);
        const std::string ts = std::to_string(static_cast<long long>(std::time(nullptr)));
        const std::string message = ts + "|" + answered;
        unsigned char signature[crypto_sign_BYTES];
        crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                             sk);
        return std::make_pair(base64(std::string(reinterpret_cast<char*>(signature), sizeof signature)), ts);
    }();
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&] {
            HttpClient client("127.0.0.1", port);
            auto response = client.request("POST", "/api/voice/webhook",
                                           {{"Content-Type", "application/json"},
                                            {"Telnyx-Signature-Ed25519", signed_request.first},
                                            {"Telnyx-Timestamp", signed_request.second}},
                                           answered);
            if (response.status == 200) {
                ++ok;
                if (nlohmann::json::parse(response.body)["duplicate"] == false) ++fresh;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(ok.load(), 6);
    EXPECT_EQ(fresh.load(), 1);
    auto stored = call("GET", "/api/voice/calls/" + detail(slow, "callId"), tetrix_);
    EXPECT_EQ(stored.body["call"]["events"].size(), 1U);
    EXPECT_EQ(stored.body["call"]["status"], "answered");
}

TEST_F(CarrierTest, UnverifiedWebhooksAre401AndChangeNothing) {
    const auto body = telnyx_event("ev-forged", "call.hangup", "2026-11-24T10:00:09.000Z", "v3:x", "cv1|x");
    auto unsigned_delivery =
        client_->request("POST", "/api/voice/webhook", {{"Content-Type", "application/json"}}, body);
    EXPECT_EQ(unsigned_delivery.status, 401);
    EXPECT_NE(unsigned_delivery.body.find("missing"), std::string::npos) << unsigned_delivery.body;

    auto stale = deliver(body, -301);
    EXPECT_EQ(stale.status, 401) << stale.body;
    auto future = deliver(body, 301);
    EXPECT_EQ(future.status, 401) << future.body;

    // A valid signature over different bytes: the body was tampered with on the way.
    auto tampered = client_->request("POST", "/api/voice/webhook",
                                     {{"Content-Type", "application/json"},
                                      {"Telnyx-Signature-Ed25519", std::string(86, 'A') + "=="},
                                      {"Telnyx-Timestamp", std::to_string(std::time(nullptr))}},
                                     body);
    EXPECT_EQ(tampered.status, 401);

    // The same event, properly signed, is new: none of the refused deliveries stored it.
    auto genuine = deliver(body);
    ASSERT_EQ(genuine.status, 200) << genuine.body;
    EXPECT_EQ(nlohmann::json::parse(genuine.body)["duplicate"], false);

    auto unreadable = deliver("{\"data\":{\"id\":\"x\"}}");
    EXPECT_EQ(unreadable.status, 400) << unreadable.body;

    // Operators see each outcome in /metrics.
    auto metrics = client_->request("GET", "/metrics");
    EXPECT_NE(metrics.body.find("crossvoice_webhooks_total{outcome=\"unauthorized\"} 4"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("crossvoice_webhooks_total{outcome=\"new\"} 1"), std::string::npos);
    EXPECT_NE(metrics.body.find("crossvoice_webhooks_total{outcome=\"invalid\"} 1"), std::string::npos);
}

TEST_F(CarrierTest, ARecordingThatCannotBeFetchedEndsInADeadJob) {
    auto placed = initiate({{"to", "+14155550410"}});
    ASSERT_EQ(placed.status, 200) << placed.raw.body;
    auto call = wait_for_call(placed.body.value("callId", ""), [](const nlohmann::json& c) {
        return !c["recordings"].empty() && c["recordings"][0]["fetchJob"].is_object() &&
               c["recordings"][0]["fetchJob"].value("status", "") == "dead";
    });
    const auto& job = call["recordings"][0]["fetchJob"];
    EXPECT_EQ(job["attempts"], 3);
    EXPECT_NE(job.value("lastError", "").find("410"), std::string::npos) << job.dump();
    EXPECT_EQ(call["recordings"][0]["archived"], false);

    auto direct = this->call("GET", "/api/jobs/" + job.value("jobId", ""), tetrix_);
    ASSERT_EQ(direct.status, 200) << direct.raw.body;
    EXPECT_EQ(direct.body["job"]["status"], "dead");
    EXPECT_EQ(this->call("GET", "/api/jobs/" + job.value("jobId", ""), joromi_).status, 404);
}

TEST_F(CarrierTest, BadInitiateRequestsNameTheProblemAndPlaceNoCall) {
    const auto field_of = [&](const nlohmann::json& body) {
        auto response = initiate(body);
        EXPECT_EQ(response.status, 400) << body.dump() << " -> " << response.raw.body;
        return detail(response, "field");
    };
    EXPECT_EQ(field_of(nlohmann::json::object()), "to");
    EXPECT_EQ(field_of({{"to", 14155550123}}), "to");
    EXPECT_EQ(field_of({{"to", "0415555012"}}), "to");
    EXPECT_EQ(field_of({{"to", "+14155550123"}, {"from", "+1"}}), "from");
    EXPECT_EQ(field_of({{"to", "+14155550123"}, {"recordCall", "yes"}}), "recordCall");
    EXPECT_EQ(field_of({{"to", "+14155550123"}, {"timeout", 2.5}}), "timeout");
    EXPECT_EQ(field_of({{"to", "+14155550123"}, {"timeout", 601}}), "timeout");
    EXPECT_EQ(field_of({{"to", "+14155550123"}, {"maxDuration", 0}}), "maxDuration");
    EXPECT_EQ(field_of({{"to", "+14155550123"}, {"language", "x"}}), "language");
    EXPECT_EQ(field_of({{"to", "+14155550123"}, {"webhookUrl", "javascript:alert(1)"}}), "webhookUrl");
    EXPECT_EQ(call("POST", "/api/voice/initiate", tetrix_, "{not json").status, 400);
    auto wrong_type = client_->request("POST", "/api/voice/initiate",
                                       {{"Authorization", "Bearer " + tetrix_}, {"Content-Type", "text/plain"}}, "hi");
    EXPECT_EQ(wrong_type.status, 415);
    EXPECT_EQ(call_json("POST", "/api/voice/initiate", "", {{"to", "+14155550123"}}).status, 401);
    auto unknown_session = initiate({{"to", "+14155550123"}, {"sessionId", "ses_01J9Z3M5K6Q7R8S9T0V1W2X3Y4"}});
    EXPECT_EQ(unknown_session.status, 404) << unknown_session.raw.body;

    HttpClient sandbox("127.0.0.1", sandbox_->port());
    auto calls = sandbox.request("GET", "/sandbox/calls");
    ASSERT_EQ(calls.status, 200);
    EXPECT_EQ(calls.body.find("v3:"), std::string::npos) << "no call reached the carrier: " << calls.body;
    auto sessions = call("GET", "/api/voice/sessions", tetrix_);
    EXPECT_EQ(sessions.body["count"], 0);

    EXPECT_EQ(call("GET", "/api/voice/calls/call_nothing", tetrix_).status, 404);
    EXPECT_EQ(call("GET", "/api/voice/calls/call_01J9Z3M5K6Q7R8S9T0V1W2X3Y4", tetrix_).status, 404);
    EXPECT_EQ(call("POST", "/api/voice/calls/call_01J9Z3M5K6Q7R8S9T0V1W2X3Y4/hangup", tetrix_).status, 404);
    EXPECT_EQ(call("GET", "/api/jobs/job_nothing", tetrix_).status, 404);
}

TEST_F(CarrierTest, TheDialRateLimitAnswers429WithRetryAfter) {
    start_carrier({}, {{"CROSSVOICE_DIAL_LIMIT", "2"}, {"CROSSVOICE_DIAL_WINDOW_MS", "60000"}});
    ASSERT_EQ(initiate({{"to", "+14155550123"}}).status, 200);
    ASSERT_EQ(initiate({{"to", "+14155550123"}}).status, 200);
    auto limited = initiate({{"to", "+14155550123"}});
    ASSERT_EQ(limited.status, 429) << limited.raw.body;
    EXPECT_FALSE(limited.raw.header("retry-after").empty());
    EXPECT_EQ(initiate({{"to", "+14155550123"}}, joromi_).status, 200) << "each platform has its own limit";
}

// No Telnyx account at all: the built-in sandbox answers on the service's own port, as `make run` does it.
class EmbeddedSandboxTest : public CarrierTest {
  protected:
    void SetUp() override {
        start({{"CROSSVOICE_SANDBOX_ANSWER_DELAY_MS", "100"},
               {"CROSSVOICE_SANDBOX_TALK_TIME_MS", "400"},
               {"CROSSVOICE_JOB_BACKOFF_MS", "20"}});
    }
};

TEST_F(EmbeddedSandboxTest, CallsWorkWithNoCarrierAccount) {
    auto placed = initiate({{"to", "+14155550123"}});
    ASSERT_EQ(placed.status, 200) << placed.raw.body << service_->stderr_text();
    auto done = wait_for_call(placed.body.value("callId", ""), [](const nlohmann::json& call) {
        return call.value("status", "") == "completed" && !call["recordings"].empty() &&
               call["recordings"][0]["fetchJob"].is_object() &&
               call["recordings"][0]["fetchJob"].value("status", "") == "succeeded";
    });
    EXPECT_EQ(done["recordings"][0]["archived"], true);
    EXPECT_EQ(done["from"], "+12025550100");
}

}  // namespace
}  // namespace crossvoice::testing
