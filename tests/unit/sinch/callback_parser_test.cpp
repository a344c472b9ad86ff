#include "sinch/callback_parser.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/time_format.hpp"
#include "support/error_detail.hpp"
#include "support/fake_sinch_server.hpp"

namespace crossvoice::sinch {
namespace {

using core::Channel;
using core::ChannelEventKind;
using core::MessageStatus;
using nlohmann::json;
using testing::detail;

// Shaped like Sinch's documented callbacks (vendor-apis.md G), fields in Sinch's order.
json envelope(json trigger) {
    json out{{"app_id", "01APP"},
             {"accepted_time", "2026-09-21T10:00:02.981643Z"},
             {"event_time", "2026-09-21T10:00:01.5Z"},
             {"project_id", "proj-1"},
             {"message_metadata", ""}};
    out.update(trigger);
    return out;
}

json identity(std::string channel = "WHATSAPP") {
    return {{"channel", std::move(channel)}, {"identity", "+46701234567"}, {"app_id", "01APP"}};
}

json inbound(json said = {{"text_message", {{"text", "Hi there"}}}}, std::string channel = "WHATSAPP") {
    return envelope({{"message",
                      {{"id", "01INBOUND"},
                       {"direction", "TO_APP"},
                       {"contact_message", std::move(said)},
                       {"channel_identity", identity(std::move(channel))},
                       {"conversation_id", "01CONV"},
                       {"contact_id", "01CONTACT"},
                       {"metadata", ""},
                       {"accept_time", "2026-09-21T10:00:01.5Z"}}}});
}

json report(std::string status) {
    return envelope({{"message_delivery_report",
                      {{"message_id", "01OUT"},
                       {"conversation_id", "01CONV"},
                       {"status", std::move(status)},
                       {"channel_identity", identity()},
                       {"contact_id", "01CONTACT"},
                       {"metadata", ""}}},
                     {"correlation_id", "msg_ours"}});
}

json typing() {
    return envelope({{"event",
                      {{"direction", "TO_APP"},
                       {"contact_event", {{"composing_event", json::object()}}},
                       {"channel_identity", identity()},
                       {"contact_id", "01CONTACT"},
                       {"conversation_id", "01CONV"},
                       {"accept_time", "2026-09-21T10:00:01.5Z"}}}});
}

core::Result<core::ChannelEvent> parse(const json& body) { return parse_callback(body.dump()); }

// "parsed", or the field the error names (or its message when it names none).
std::string field_of(const json& body) {
    auto parsed = parse(body);
    if (parsed) return "parsed";
    if (parsed.error().code != core::ErrorCode::kValidation) return "not kValidation: " + parsed.error().message;
    return detail(parsed.error(), "field").value_or("no field: " + parsed.error().message);
}

std::int64_t ms(std::string_view rfc3339) { return core::to_unix_ms(*core::parse_rfc3339(rfc3339)); }

TEST(SinchCallbackParserTest, AnInboundTextIsACustomersMessage) {
    auto event = parse(inbound());
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->kind, ChannelEventKind::kMessage);
    EXPECT_EQ(event->vendor, "sinch");
    EXPECT_EQ(event->event_id, "sinch:msg:01INBOUND");
    EXPECT_EQ(event->channel, Channel::kWhatsapp);
    EXPECT_EQ(event->vendor_channel, "WHATSAPP");
    EXPECT_EQ(event->contact, "+46701234567");
    EXPECT_EQ(event->contact_id, "01CONTACT");
    EXPECT_EQ(event->conversation_id, "01CONV");
    EXPECT_EQ(event->our_identity, "01APP");
    EXPECT_EQ(event->text, "Hi there");
    EXPECT_TRUE(event->media_urls.empty());
    EXPECT_EQ(event->vendor_message_id, "01INBOUND");
    EXPECT_FALSE(event->status.has_value());
    EXPECT_FALSE(event->correlation_id.has_value());
    EXPECT_EQ(core::to_unix_ms(event->occurred_at), ms("2026-09-21T10:00:01.500Z"));
}

TEST(SinchCallbackParserTest, AnInboundPictureKeepsItsUrl) {
    auto event = parse(inbound({{"media_message", {{"url", "https://media.sinch.test/a.jpg"}}}}));
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->text, "");
    EXPECT_EQ(event->media_urls, std::vector<std::string>{"https://media.sinch.test/a.jpg"});
}

TEST(SinchCallbackParserTest, ChannelsMapToOursAndKeepTheirNames) {
    const std::vector<std::pair<std::string, Channel>> cases{
        {"WHATSAPP", Channel::kWhatsapp}, {"SMS", Channel::kSms},        {"MMS", Channel::kSms},
        {"MESSENGER", Channel::kChat},    {"INSTAGRAM", Channel::kChat}, {"TELEGRAM", Channel::kChat},
        {"VIBERBM", Channel::kChat},      {"RCS", Channel::kChat},       {"KAKAOTALK", Channel::kChat},
    };
    for (const auto& [name, channel] : cases) {
        auto event = parse(inbound({{"text_message", {{"text", "x"}}}}, name));
        ASSERT_TRUE(event.ok()) << name << ": " << event.error().message;
        EXPECT_EQ(event->channel, channel) << name;
        EXPECT_EQ(event->vendor_channel, name);
    }
}

TEST(SinchCallbackParserTest, EveryDeliveryStatusMaps) {
    const std::vector<std::pair<std::string, MessageStatus>> statuses{
        {"QUEUED_ON_CHANNEL", MessageStatus::kSent},
        {"DELIVERED", MessageStatus::kDelivered},
        {"READ", MessageStatus::kRead},
        {"FAILED", MessageStatus::kFailed},
        {"SWITCHING_CHANNEL", MessageStatus::kPending},
    };
    for (const auto& [name, status] : statuses) {
        auto event = parse(report(name));
        ASSERT_TRUE(event.ok()) << name << ": " << event.error().message;
        EXPECT_EQ(event->kind, ChannelEventKind::kDelivery);
        EXPECT_EQ(event->status, status) << name;
        EXPECT_EQ(event->event_id, "sinch:dlr:01OUT:" + name);
        EXPECT_EQ(event->vendor_message_id, "01OUT");
        EXPECT_EQ(event->correlation_id, "msg_ours");
        EXPECT_EQ(event->contact, "+46701234567");
        EXPECT_EQ(event->channel, Channel::kWhatsapp);
        EXPECT_EQ(event->failure_reason.has_value(), status == MessageStatus::kFailed) << name;
    }
}

TEST(SinchCallbackParserTest, AFailureSaysWhy) {
    auto body = report("FAILED");
    body["message_delivery_report"]["reason"] = {
        {"code", "RECIPIENT_NOT_REACHABLE"}, {"description", "The number is\nblocked"}, {"sub_code", "UNSPECIFIED"}};
    auto event = parse(body);
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->failure_reason, "RECIPIENT_NOT_REACHABLE: The number is blocked");

    body["message_delivery_report"]["reason"] = {{"code", "OUTSIDE_ALLOWED_SENDING_WINDOW"}};
    EXPECT_EQ(parse(body)->failure_reason, "OUTSIDE_ALLOWED_SENDING_WINDOW");
    body["message_delivery_report"].erase("reason");
    EXPECT_EQ(parse(body)->failure_reason, "FAILED");
}

TEST(SinchCallbackParserTest, TheCorrelationIdComesFromTheCallbackOrItsMetadata) {
    auto body = report("DELIVERED");
    body.erase("correlation_id");
    EXPECT_FALSE(parse(body)->correlation_id.has_value()) << "an empty message_metadata is no id";
    body["message_metadata"] = "msg_from_metadata";
    EXPECT_EQ(parse(body)->correlation_id, "msg_from_metadata");
    body["correlation_id"] = "msg_ours";
    EXPECT_EQ(parse(body)->correlation_id, "msg_ours") << "correlation_id wins";
    body["correlation_id"] = "";
    body["message_metadata"] = json{{"any", "json"}};
    EXPECT_FALSE(parse(body)->correlation_id.has_value());
}

TEST(SinchCallbackParserTest, ADeliveryReportNeedsNoChannelIdentity) {
    auto body = report("DELIVERED");
    body["message_delivery_report"].erase("channel_identity");
    body["message_delivery_report"].erase("contact_id");
    auto event = parse(body);
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->contact, "");
    EXPECT_FALSE(event->contact_id.has_value());
}

TEST(SinchCallbackParserTest, ComposingIsTyping) {
    auto event = parse(typing());
    ASSERT_TRUE(event.ok()) << event.error().message;
    EXPECT_EQ(event->kind, ChannelEventKind::kTyping);
    EXPECT_EQ(event->channel, Channel::kWhatsapp);
    EXPECT_EQ(event->contact, "+46701234567");
    EXPECT_EQ(event->contact_id, "01CONTACT");
    EXPECT_EQ(event->our_identity, "01APP");
    // No id from Sinch: who and when, exactly as sent, so that a redelivery repeats it.
    EXPECT_EQ(event->event_id, "sinch:evt:01CONTACT:2026-09-21T10:00:01.5Z");

    auto body = typing();
    body["event"].erase("contact_id");
    EXPECT_EQ(parse(body)->event_id, "sinch:evt:+46701234567:2026-09-21T10:00:01.5Z");
    body.erase("event_time");
    EXPECT_EQ(parse(body)->event_id, "sinch:evt:+46701234567:2026-09-21T10:00:02.981643Z");
    body["event"]["id"] = "01EVENT";
    EXPECT_EQ(parse(body)->event_id, "sinch:evt:01EVENT");
}

TEST(SinchCallbackParserTest, OtherContactEventsAreATriggerWeDoNotRead) {
    auto body = typing();
    body["event"]["contact_event"] = {{"composing_end_event", json::object()}};
    auto event = parse(body);
    ASSERT_FALSE(event.ok());
    EXPECT_EQ(event.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(detail(event.error(), "trigger"), "EVENT_INBOUND");
}

TEST(SinchCallbackParserTest, CallbacksOfOtherTriggersNameWhatTheyHave) {
    auto event = parse(envelope({{"contact_create_notification", {{"contact", json::object()}}}}));
    ASSERT_FALSE(event.ok());
    EXPECT_EQ(event.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(detail(event.error(), "trigger"), "contact_create_notification");
    EXPECT_NE(event.error().message.find("contact_create_notification"), std::string::npos);

    EXPECT_EQ(detail(parse(envelope(json::object())).error(), "trigger"), "none");

    // Bounded: at most five keys, each cut short and printable.
    json many = envelope(json::object());
    for (int i = 0; i < 8; ++i) many["unknown_" + std::to_string(i)] = 1;
    many[std::string(100, 'k') + "\x01"] = 1;
    const auto named = detail(parse(many).error(), "trigger").value_or("");
    EXPECT_LE(named.size(), 5 * 45 + 10);
    EXPECT_NE(named.find(", ..."), std::string::npos);
    for (const char ch : named) {
        EXPECT_TRUE(ch >= 0x20 && ch < 0x7f) << static_cast<int>(ch);
    }
}

TEST(SinchCallbackParserTest, WithSeveralTriggerKeysTheMessageWins) {
    auto body = inbound();
    body["message_delivery_report"] = report("READ")["message_delivery_report"];
    EXPECT_EQ(parse(body)->kind, ChannelEventKind::kMessage);
}

TEST(SinchCallbackParserTest, TheTimeFallsBackToAcceptedTime) {
    auto body = inbound();
    body.erase("event_time");
    EXPECT_EQ(core::to_unix_ms(parse(body)->occurred_at), ms("2026-09-21T10:00:02.981Z"));
    body["event_time"] = "";
    EXPECT_EQ(core::to_unix_ms(parse(body)->occurred_at), ms("2026-09-21T10:00:02.981Z"));
    body["event_time"] = "2026-09-21T12:00:00+02:00";
    EXPECT_EQ(core::to_unix_ms(parse(body)->occurred_at), ms("2026-09-21T10:00:00Z"));
}

TEST(SinchCallbackParserTest, ABodyThatIsNotAJsonObjectIsABadRequest) {
    for (const std::string_view body : {"", "not json", "[1,2]", "\"message\"", "{\"message\":", "null"}) {
        auto event = parse_callback(body);
        ASSERT_FALSE(event.ok()) << body;
        EXPECT_EQ(event.error().code, core::ErrorCode::kBadRequest) << body;
    }
}

TEST(SinchCallbackParserTest, EveryMalformedFieldIsNamedByItsPointer) {
    struct Case {
        const char* expected;
        std::function<json()> body;
    };
    const auto with = [](json body, const std::function<void(json&)>& change) {
        change(body);
        return body;
    };
    const std::vector<Case> cases{
        {"/message", [&] { return with(inbound(), [](json& b) { b["message"] = "text"; }); }},
        {"/message/id", [&] { return with(inbound(), [](json& b) { b["message"].erase("id"); }); }},
        {"/message/id", [&] { return with(inbound(), [](json& b) { b["message"]["id"] = ""; }); }},
        {"/message/id", [&] { return with(inbound(), [](json& b) { b["message"]["id"] = 7; }); }},
        {"/message/direction",
         [&] { return with(inbound(), [](json& b) { b["message"]["direction"] = "TO_CONTACT"; }); }},
        {"/message/direction", [&] { return with(inbound(), [](json& b) { b["message"]["direction"] = true; }); }},
        {"/message/channel_identity",
         [&] { return with(inbound(), [](json& b) { b["message"].erase("channel_identity"); }); }},
        {"/message/channel_identity",
         [&] { return with(inbound(), [](json& b) { b["message"]["channel_identity"] = "SMS"; }); }},
        {"/message/channel_identity/channel",
         [&] { return with(inbound(), [](json& b) { b["message"]["channel_identity"].erase("channel"); }); }},
        {"/message/channel_identity/identity",
         [&] { return with(inbound(), [](json& b) { b["message"]["channel_identity"]["identity"] = ""; }); }},
        {"/message/channel_identity/identity",
         [&] { return with(inbound(), [](json& b) { b["message"]["channel_identity"]["identity"] = 4670; }); }},
        {"/message/contact_id", [&] { return with(inbound(), [](json& b) { b["message"]["contact_id"] = 1; }); }},
        {"/message/conversation_id",
         [&] { return with(inbound(), [](json& b) { b["message"]["conversation_id"] = json::array(); }); }},
        {"/message/contact_message",
         [&] { return with(inbound(), [](json& b) { b["message"].erase("contact_message"); }); }},
        {"/message/contact_message",
         [&] {
             return inbound({{"location_message", json::object()}});
         }},
        {"/message/contact_message/text_message",
         [&] {
             return inbound({{"text_message", "hi"}});
         }},
        {"/message/contact_message/text_message/text",
         [&] {
             return inbound({{"text_message", json::object()}});
         }},
        {"/message/contact_message/text_message/text",
         [&] {
             return inbound({{"text_message", {{"text", 5}}}});
         }},
        {"/message/contact_message/text_message/text",
         [&] {
             return inbound({{"text_message", {{"text", ""}}}});
         }},
        {"/message/contact_message/media_message",
         [&] {
             return inbound({{"media_message", 1}});
         }},
        {"/message/contact_message/media_message/url",
         [&] {
             return inbound({{"media_message", {{"url", ""}}}});
         }},
        {"/message_delivery_report",
         [&] { return with(report("READ"), [](json& b) { b["message_delivery_report"] = 1; }); }},
        {"/message_delivery_report/message_id",
         [&] { return with(report("READ"), [](json& b) { b["message_delivery_report"].erase("message_id"); }); }},
        {"/message_delivery_report/status",
         [&] { return with(report("READ"), [](json& b) { b["message_delivery_report"].erase("status"); }); }},
        {"/message_delivery_report/status", [&] { return report("LOST_IN_SPACE"); }},
        {"/message_delivery_report/status", [&] { return report("delivered"); }},
        {"/message_delivery_report/channel_identity",
         [&] { return with(report("READ"), [](json& b) { b["message_delivery_report"]["channel_identity"] = 1; }); }},
        {"/message_delivery_report/channel_identity/identity",
         [&] {
             return with(report("READ"),
                         [](json& b) { b["message_delivery_report"]["channel_identity"].erase("identity"); });
         }},
        {"/message_delivery_report/reason",
         [&] { return with(report("FAILED"), [](json& b) { b["message_delivery_report"]["reason"] = "blocked"; }); }},
        {"/message_delivery_report/reason/code",
         [&] {
             return with(report("FAILED"), [](json& b) { b["message_delivery_report"]["reason"] = {{"code", 1}}; });
         }},
        {"/message_delivery_report/reason/description",
         [&] {
             return with(report("FAILED"), [](json& b) {
                 b["message_delivery_report"]["reason"] = {{"description", false}};
             });
         }},
        {"/correlation_id", [&] { return with(report("READ"), [](json& b) { b["correlation_id"] = 12; }); }},
        {"/event", [&] { return with(typing(), [](json& b) { b["event"] = json::array(); }); }},
        {"/event/contact_event", [&] { return with(typing(), [](json& b) { b["event"].erase("contact_event"); }); }},
        {"/event/contact_event/composing_event",
         [&] { return with(typing(), [](json& b) { b["event"]["contact_event"]["composing_event"] = true; }); }},
        {"/event/channel_identity",
         [&] { return with(typing(), [](json& b) { b["event"].erase("channel_identity"); }); }},
        {"/event/id", [&] { return with(typing(), [](json& b) { b["event"]["id"] = 3; }); }},
        {"/app_id", [&] { return with(inbound(), [](json& b) { b["app_id"] = 3; }); }},
        {"/event_time", [&] { return with(inbound(), [](json& b) { b["event_time"] = "yesterday"; }); }},
        {"/event_time", [&] { return with(inbound(), [](json& b) { b["event_time"] = 1790000000; }); }},
        {"/event_time",
         [&] {
             return with(inbound(), [](json& b) {
                 b.erase("event_time");
                 b.erase("accepted_time");
             });
         }},
        {"/accepted_time",
         [&] {
             return with(inbound(), [](json& b) {
                 b.erase("event_time");
                 b["accepted_time"] = "2026-13-01T00:00:00Z";
             });
         }},
    };
    for (const auto& test_case : cases) {
        const json body = test_case.body();
        const auto field = field_of(body);
        EXPECT_EQ(field, test_case.expected) << body.dump();
        // The message names the field too, for logs that only keep the message.
        const auto parsed = parse(body);
        if (!parsed) {
            EXPECT_NE(parsed.error().message.find(test_case.expected), std::string::npos) << field;
        }
    }
}

TEST(SinchCallbackParserTest, TheTestFakesCallbacksAreReadAsTheyMeanThem) {
    testing::SinchCallbackSpec spec;
    spec.trigger = testing::SinchTrigger::kMessageDelivery;
    spec.status = "FAILED";
    spec.reason_code = "RECIPIENT_NOT_OPTED_IN";
    spec.reason_description = "no opt-in";
    spec.correlation_id = "msg_1";
    auto report_event = parse_callback(testing::sinch_callback_body(spec));
    ASSERT_TRUE(report_event.ok()) << report_event.error().message;
    EXPECT_EQ(report_event->status, MessageStatus::kFailed);
    EXPECT_EQ(report_event->failure_reason, "RECIPIENT_NOT_OPTED_IN: no opt-in");
    EXPECT_EQ(report_event->correlation_id, "msg_1");

    spec.trigger = testing::SinchTrigger::kEventInbound;
    EXPECT_EQ(parse_callback(testing::sinch_callback_body(spec))->kind, ChannelEventKind::kTyping);
    spec.trigger = testing::SinchTrigger::kMessageInbound;
    spec.media_url = "https://media.test/x.png";
    EXPECT_EQ(parse_callback(testing::sinch_callback_body(spec))->media_urls.front(), "https://media.test/x.png");
}

}  // namespace
}  // namespace crossvoice::sinch
