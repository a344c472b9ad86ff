// The widget API's pieces that need no service: what visitors are shown of live events, which origins may call,
// and how the request bodies and the credential are read.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/widget_event_stream.hpp"
#include "api/widget_json.hpp"
#include "api/widget_origins.hpp"
#include "api/widget_request.hpp"
#include "support/error_detail.hpp"

namespace crossvoice::api {
namespace {

using nlohmann::json;
using testing::detail;

json staff_message(std::string author, std::string type) {
    return {{"id", "msg_01"},
            {"sessionId", "ses_01"},
            {"channel", "chat"},
            {"direction", "outbound"},
            {"author", std::move(author)},
            {"type", std::move(type)},
            {"content", "Hi, Ana here."},
            {"language", "en"},
            {"status", "pending"},
            {"createdAt", "2026-11-24T10:00:00.000Z"},
            {"metadata", {{"agentId", "ana"}, {"keyId", "key_01"}}},
            {"translation", {{"language", "es"}, {"content", "Hola, soy Ana."}, {"engine", "apertium"}}}};
}

TEST(WidgetJson, MessagesLoseTheirInternalFieldsAndKeepTheVisitorsTranslation) {
    const auto shown = visitor_event_data("message", staff_message("agent", "text").dump());
    ASSERT_TRUE(shown);
    EXPECT_EQ(*shown, (json{{"id", "msg_01"},
                            {"from", "agent"},
                            {"kind", "text"},
                            {"text", "Hi, Ana here."},
                            {"createdAt", "2026-11-24T10:00:00.000Z"},
                            {"translation", {{"language", "es"}, {"text", "Hola, soy Ana."}}}}));
    // The visitor's own words are shown as written (the staff's translation of them is not the visitor's business).
    const auto own = visitor_event_data("message", staff_message("caller", "text").dump());
    ASSERT_TRUE(own);
    EXPECT_EQ((*own)["from"], "visitor");
    EXPECT_FALSE(own->contains("translation"));
    EXPECT_EQ((*visitor_event_data("message", staff_message("assistant", "text").dump()))["from"], "shango");
    EXPECT_EQ((*visitor_event_data("message", staff_message("system", "event").dump()))["kind"], "event");
}

TEST(WidgetJson, VisitorsGetOnlyTheirKindsOfEvents) {
    for (const char* type : {"transcription", "translation", "voice"}) {
        EXPECT_FALSE(visitor_event_data("message", staff_message("caller", type).dump())) << type;
    }
    EXPECT_EQ(*visitor_event_data("conversation.owner", R"({"owner":"agent"})"), (json{{"owner", "agent"}}));
    EXPECT_EQ(*visitor_event_data("conversation.owner", R"({"owner":"assistant"})"), (json{{"owner", "shango"}}));
    EXPECT_EQ(*visitor_event_data("session.status", R"({"sessionId":"ses_01","status":"ended","channel":"chat"})"),
              (json{{"status", "ended"}}));
    // A call's numbers stay out.
    EXPECT_EQ(*visitor_event_data("call.state", R"({"callId":"call_1","state":"ringing","from":"+1202","to":"+1415"})"),
              (json{{"callId", "call_1"}, {"state", "ringing"}}));
    EXPECT_FALSE(visitor_event_data("typing", R"({"channel":"sms"})"));
    EXPECT_FALSE(visitor_event_data("message.status", R"({"messageId":"msg_01","status":"sent"})"));
    EXPECT_FALSE(visitor_event_data("message", "not json"));
    EXPECT_FALSE(visitor_event_data("message", R"({"type":"text"})"));  // no id
}

TEST(WidgetEventStream, FramesCarryTheEventIdAndNothingForOtherEvents) {
    services::LiveEventView view;
    view.seq = 42;
    view.type = "conversation.owner";
    view.data_json = R"({"owner":"agent"})";
    EXPECT_EQ(
        WidgetEventStream::frame(view),
        "id: 42\nevent: conversation.owner\ndata: {\"data\":{\"owner\":\"agent\"},\"id\":42,\"type\":\"conversation."
        "owner\"}\n\n");
    view.type = "typing";
    EXPECT_EQ(WidgetEventStream::frame(view), "");
}

http::Request with_headers(http::Headers headers) {
    http::Request request;
    request.method = http::Method::kPost;
    request.headers = std::move(headers);
    return request;
}

TEST(WidgetOrigins, SameOriginAndNoOriginNeedNoCorsListedOnesGetItOthersAreRefused) {
    const WidgetOrigins origins({"https://shop.example"});
    auto none = origins.check(with_headers({{"host", "cv.example:8080"}}));
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(*none);
    auto same = origins.check(with_headers({{"host", "cv.example:8080"}, {"origin", "https://CV.example:8080"}}));
    ASSERT_TRUE(same.ok());
    EXPECT_FALSE(*same);
    auto listed = origins.check(with_headers({{"host", "cv.example"}, {"origin", "https://shop.example"}}));
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(*listed, "https://shop.example");
    for (const char* origin : {"https://evil.example", "null", "https://shop.example.evil", "http://shop.example",
                               "https://cv.example:8080/path"}) {
        auto refused = origins.check(with_headers({{"host", "cv.example:8080"}, {"origin", origin}}));
        ASSERT_FALSE(refused.ok()) << origin;
        EXPECT_EQ(refused.error().code, core::ErrorCode::kForbidden);
        EXPECT_EQ(detail(refused.error(), "origin"), origin);
    }
    const WidgetOrigins anyone({"*"});
    EXPECT_EQ(*anyone.check(with_headers({{"origin", "https://any.example"}})).value(), "https://any.example");

    auto preflight = WidgetOrigins::preflight(std::string("https://shop.example"));
    EXPECT_EQ(preflight.status, 204);
    bool methods = false;
    for (const auto& [name, value] : preflight.headers) methods = methods || name == "Access-Control-Allow-Methods";
    EXPECT_TRUE(methods);
}

http::Request json_body(std::string body) {
    http::Request request;
    request.method = http::Method::kPost;
    request.headers = {{"content-type", "application/json"}};
    request.body = std::move(body);
    request.remote = "203.0.113.9";
    return request;
}

TEST(WidgetRequest, ReadsTheStartBodyAndRefusesUnknownFields) {
    auto empty = read_widget_start(json_body(""));
    ASSERT_TRUE(empty.ok());
    EXPECT_FALSE(empty->name || empty->language || empty->handoff_token);
    EXPECT_EQ(empty->client, "203.0.113.9");
    auto full = read_widget_start(json_body(R"({"name":"Ana","language":"es","handoffToken":"cvh1.x"})"));
    ASSERT_TRUE(full.ok());
    EXPECT_EQ(full->name, "Ana");
    EXPECT_EQ(full->language, "es");
    EXPECT_EQ(full->handoff_token, "cvh1.x");
    EXPECT_EQ(detail(read_widget_start(json_body(R"({"nmae":"Ana"})")).error(), "field"), "nmae");
    EXPECT_EQ(detail(read_widget_start(json_body(R"({")" + std::string(100, 'k') + R"(":1})")).error(), "field"),
              "body");
    EXPECT_EQ(detail(read_widget_start(json_body(R"({"name":1})")).error(), "field"), "name");
    EXPECT_FALSE(read_widget_start(json_body("[]")).ok());
    EXPECT_EQ(detail(read_widget_text(json_body("{}")).error(), "field"), "text");
    EXPECT_EQ(detail(read_widget_text(json_body(R"({"text":"hi","extra":1})")).error(), "field"), "extra");
    EXPECT_EQ(*read_widget_phone(json_body(R"({"phone":"+14155550123"})")), "+14155550123");
}

TEST(WidgetRequest, TheCredentialIsAVisitorToken) {
    EXPECT_EQ(*visitor_token(with_headers({{"authorization", "Visitor cvv1.abc"}})), "cvv1.abc");
    for (const char* header : {"Bearer cv_tetrix_key", "Visitor ", "visitor cvv1.abc", "cvv1.abc"}) {
        auto refused = visitor_token(with_headers({{"authorization", header}}));
        ASSERT_FALSE(refused.ok()) << header;
        EXPECT_EQ(refused.error().code, core::ErrorCode::kUnauthorized);
    }
    EXPECT_FALSE(visitor_token(with_headers({})).ok());
}

}  // namespace
}  // namespace crossvoice::api
