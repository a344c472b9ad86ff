#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/wav.hpp"
#include "fakes.hpp"
#include "http/router.hpp"
#include "sandbox/sandbox_carrier.hpp"
#include "texml_fakes.hpp"

namespace crossvoice::sandbox::testing {
namespace {

using nlohmann::json;

constexpr const char* kApp = "http://service.test/api/voice/texml";
constexpr const char* kStatus = "http://service.test/api/voice/texml/status";
constexpr const char* kRoute = "/sandbox/sandbox/texml/calls";

struct RouteReply {
    int status = 0;
    json body;
    std::string raw;
    std::string content_type;
};

// The carrier as the service mounts it (prefix /sandbox), its TeXML requests answered by a FakeTexmlApp.
class TexmlRouteTest : public ::testing::Test {
  protected:
    TexmlRouteTest() {
        options_.route_prefix = "/sandbox";
        options_.talk_time = std::chrono::milliseconds(6'500);
        app_.on(kStatus, [](const AppRequest&) -> core::Result<core::ports::HttpResponse> {
            return FakeTexmlApp::answer(200, "{}", "application/json");
        });
    }

    SandboxCarrier& carrier() {
        if (!carrier_) {
            carrier_ = std::make_unique<SandboxCarrier>(options_, app_, speech_, clock_);
            carrier_->add_routes(router_);
        }
        return *carrier_;
    }

    RouteReply send(http::Method method, const std::string& path, const std::string& body) {
        carrier();
        http::Request request;
        request.method = method;
        request.target = path;
        request.path = path;
        request.body = body;
        request.headers = {{"host", "service.test:8080"}, {"content-type", "application/json"}};
        RouteReply reply;
        const auto match = router_.match(method, path);
        if (match.route == nullptr) {
            ADD_FAILURE() << "no route for " << path;
            return reply;
        }
        EXPECT_EQ(match.route->access, http::Access::kPublic);
        http::RequestContext context{request, "req-test", match.params, std::nullopt, {}};
        auto result = match.route->handler(context);
        if (!result) {
            ADD_FAILURE() << result.error().message;
            return reply;
        }
        reply.status = result->status;
        reply.raw = result->body;
        reply.content_type = result->content_type;
        reply.body = json::parse(result->body, nullptr, false);
        return reply;
    }

    RouteReply call(const json& body) { return send(http::Method::kPost, kRoute, body.dump()); }

    static std::string pointer_of(const RouteReply& reply) {
        return reply.body["errors"][0]["source"].value("pointer", "");
    }

    SandboxOptions options_;
    FakeTexmlApp app_;
    FakeSpeech speech_;
    core::SystemClock clock_;
    http::Router router_;

  private:
    std::unique_ptr<SandboxCarrier> carrier_;
};

TEST_F(TexmlRouteTest, RunsTheCallAndAnswersItsTranscript) {
    options_.texml_url = kApp;
    options_.texml_status_url = kStatus;
    options_.number_owner = [](std::string_view number) -> std::optional<std::string> {
        if (number == "+12025550100") return "tetrix";
        return std::nullopt;
    };
    // Like the service: a menu, the gather's action answers with a Dial, the dial's action hangs up.
    app_.on(kApp, [](const AppRequest& seen) -> core::Result<core::ports::HttpResponse> {
        if (seen.query.empty()) {
            return FakeTexmlApp::answer(
                200, FakeTexmlApp::document(R"(<Gather action="?step=1&amp;input=gather"><Say>Hi</Say></Gather>)"));
        }
        if (seen.query == "step=1&input=gather") {
            return FakeTexmlApp::answer(200, FakeTexmlApp::document("<Dial action=\"?step=2&amp;input=dial\">"
                                                                    "<Number>+12025550120</Number></Dial>"));
        }
        return FakeTexmlApp::answer(200, FakeTexmlApp::document("<Hangup/>"));
    });

    const auto reply = call({{"to", "+12025550100"}, {"script", json::array({{{"press", "1"}}})}});
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(reply.content_type, "application/json");
    EXPECT_EQ(reply.body["success"], true);
    EXPECT_EQ(reply.body["from"], "+12025550199");  // the sandbox's default caller
    EXPECT_EQ(reply.body["to"], "+12025550100");
    EXPECT_EQ(reply.body["platform"], "tetrix");
    EXPECT_EQ(reply.body["outcome"], "transferred");
    EXPECT_EQ(reply.body["connectedTo"], "+12025550120");
    EXPECT_EQ(reply.body["durationSecs"], 2 + 2 + 4 + 7);  // talk_time 6.5 s rounds up to 7
    EXPECT_TRUE(reply.body["callSid"].get<std::string>().starts_with("v3:"));
    // The status callback went to the configured URL.
    const auto status = app_.requests_to(kStatus);
    ASSERT_EQ(status.size(), 1U);
    EXPECT_EQ(status[0].param("CallStatus"), "completed");
    EXPECT_EQ(status[0].param("CallSid"), reply.body["callSid"].get<std::string>());
}

TEST_F(TexmlRouteTest, ANumberNobodyOwnsHasANullPlatform) {
    options_.texml_url = kApp;
    options_.number_owner = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
    app_.texml(kApp, FakeTexmlApp::document(R"(<Reject reason="rejected"/>)"));
    const auto reply = call({{"to", "+12025550777"}});
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_TRUE(reply.body.contains("platform"));
    EXPECT_TRUE(reply.body["platform"].is_null());
    EXPECT_EQ(reply.body["outcome"], "rejected");
}

TEST_F(TexmlRouteTest, WithoutAnOwnerLookupThereIsNoPlatform) {
    app_.texml("http://other.test/app", FakeTexmlApp::document("<Hangup/>"));
    const auto reply =
        call({{"from", "+15550107777"}, {"to", "+12025550100"}, {"url", "http://other.test/app"}, {"method", "GET"}});
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_FALSE(reply.body.contains("platform"));
    EXPECT_EQ(reply.body["from"], "+15550107777");
    const auto requests = app_.requests_to("http://other.test/app");
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].request.method, "GET");
    EXPECT_TRUE(app_.requests_to(kStatus).empty());  // no status callback configured or given
}

TEST_F(TexmlRouteTest, SetTexmlUrlsProvidesTheDefaults) {
    carrier().set_texml_urls("http://late.test/texml", "http://late.test/status");
    app_.texml("http://late.test/texml", FakeTexmlApp::document("<Hangup/>"));
    app_.texml("http://late.test/status", "");
    const auto reply = call({{"to", "+12025550100"}});
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(app_.requests_to("http://late.test/texml").size(), 1U);
    EXPECT_EQ(app_.requests_to("http://late.test/status").size(), 1U);
}

TEST_F(TexmlRouteTest, TheRecordingIsServedByTheCarrier) {
    options_.texml_url = kApp;
    app_.texml(kApp, FakeTexmlApp::document("<Record/>"));
    const auto reply = call({{"to", "+12025550100"}, {"script", json::array({{{"record", "Call me back"}}})}});
    ASSERT_EQ(reply.status, 200) << reply.raw;
    json recorded;
    for (const auto& step : reply.body["steps"]) {
        if (step["kind"] == "record") recorded = step;
    }
    ASSERT_TRUE(recorded.is_object()) << reply.raw;
    const auto url = recorded["url"].get<std::string>();
    const std::string base = "http://service.test:8080/sandbox";
    ASSERT_TRUE(url.starts_with(base)) << url;
    const auto wav = send(http::Method::kGet, url.substr(std::string("http://service.test:8080").size()), "");
    EXPECT_EQ(wav.status, 200);
    EXPECT_EQ(wav.content_type, "audio/wav");
    const auto audio = core::parse_wav(wav.raw);
    ASSERT_TRUE(audio.has_value());
    EXPECT_FALSE(audio->samples.empty());
}

TEST_F(TexmlRouteTest, AnApplicationErrorIsStillATranscript) {
    options_.texml_url = kApp;
    app_.texml(kApp, "not xml at all");
    const auto reply = call({{"to", "+12025550100"}});
    ASSERT_EQ(reply.status, 200) << reply.raw;
    EXPECT_EQ(reply.body["outcome"], "error");
    EXPECT_TRUE(reply.body["error"].is_string());
}

TEST_F(TexmlRouteTest, RefusesBadRequestsNamingTheField) {
    options_.texml_url = kApp;
    const auto bad_json = send(http::Method::kPost, kRoute, "{nope");
    EXPECT_EQ(bad_json.status, 400);
    EXPECT_EQ(bad_json.body["errors"][0]["code"], "10023");

    const auto no_to = call(json::object());
    EXPECT_EQ(no_to.status, 422);
    EXPECT_EQ(pointer_of(no_to), "/to");

    EXPECT_EQ(pointer_of(call({{"to", "12"}})), "/to");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"from", "me"}})), "/from");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"method", "PUT"}})), "/method");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"url", "ftp://x.test/"}})), "/url");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"statusCallback", 5}})), "/statusCallback");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"script", "press 1"}})), "/script");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"script", json::array({{{"press", "1"}}, {{"press", "x"}}})}})),
              "/script/1/press");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"script", json::array({{{"dance", "1"}}})}})),
              "/script/0/dance");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"script", json::array({{{"silence", false}}})}})),
              "/script/0/silence");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"script", json::array({{{"say", ""}}})}})), "/script/0/say");
    EXPECT_EQ(pointer_of(call({{"to", "+12025550100"}, {"script", json::array({{{"say", "a"}, {"press", "1"}}})}})),
              "/script/0");
    EXPECT_TRUE(app_.requests().empty());  // nothing was called
}

TEST_F(TexmlRouteTest, WithoutAnyApplicationUrlTheUrlIsMissing) {
    const auto reply = call({{"to", "+12025550100"}});
    EXPECT_EQ(reply.status, 422);
    EXPECT_EQ(reply.body["errors"][0]["code"], "10004");
    EXPECT_EQ(pointer_of(reply), "/url");
}

}  // namespace
}  // namespace crossvoice::sandbox::testing
