#include "telnyx/message_event_parser.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time_format.hpp"
#include "support/error_detail.hpp"

namespace crossvoice::telnyx {
namespace {

using core::ChannelEventKind;
using core::ErrorCode;
using core::MessageStatus;
using crossvoice::testing::detail;
using nlohmann::json;

// Shaped like vendor-apis.md D and Telnyx's documented examples.
constexpr std::string_view kReceived = R"({"data":{"record_type":"event","event_type":"message.received",
  "id":"b301ed3f-1490-491f-995f-6e64e69674d4","occurred_at":"2026-11-24T09:40:01.500+00:00",
  "payload":{"id":"84cca175-9755-4859-b67f-4730d7f58aa3","record_type":"message","direction":"inbound","type":"MMS",
  "from":{"phone_number":"+15557654321","carrier":"T-Mobile USA","line_type":"Wireless"},
  "to":[{"phone_number":"+15550001111","status":"webhook_delivered"}],"text":"Hello from the bus",
  "media":[{"url":"https://media.telnyx.test/a.jpg","content_type":"image/jpeg"},
           {"url":"https://media.telnyx.test/b.png","content_type":"image/png"}],
  "received_at":"2026-11-24T10:40:00.250+01:00"}},"meta":{"attempt":1,"delivered_to":"https://cv.example.com/hook"}})";

constexpr std::string_view kFinalized = R"({"data":{"record_type":"event","event_type":"message.finalized",
  "id":"4ee8c3a6-4995-4309-a3c6-38e3db9ea4be","occurred_at":"2026-11-24T09:41:07.123456Z",
  "payload":{"id":"40317159-3b0b-4a4c-9a3e-8f0b6c1a2b3c","record_type":"message","direction":"outbound","type":"SMS",
  "from":{"phone_number":"+15550001111"},"to":[{"phone_number":"+15557654321","status":"delivered"}],
  "text":"Your code is 1234","errors":[]}},"meta":{"attempt":1}})";

json document(std::string_view text) { return json::parse(text); }

// `base` with the value at `pointer` replaced (or added).
std::string with(std::string_view base, std::string_view pointer, json value) {
    json doc = document(base);
    doc[json::json_pointer(std::string(pointer))] = std::move(value);
    return doc.dump();
}

// `base` without the member at `pointer`.
std::string without(std::string_view base, std::string_view pointer) {
    json doc = document(base);
    const json::json_pointer target{std::string(pointer)};
    doc[target.parent_pointer()].erase(target.back());
    return doc.dump();
}

std::string delivery(std::string_view status, json errors = json::array(),
                     std::string_view type = "message.finalized") {
    json doc = document(kFinalized);
    doc["data"]["event_type"] = type;
    doc["data"]["payload"]["to"][0]["status"] = status;
    doc["data"]["payload"]["errors"] = std::move(errors);
    return doc.dump();
}

void expect_invalid(const std::string& body, std::string_view pointer) {
    const auto parsed = parse_message_event(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::kValidation) << parsed.error().message;
    EXPECT_EQ(detail(parsed.error(), "field"), pointer) << parsed.error().message << "\n" << body;
    EXPECT_NE(parsed.error().message.find(pointer), std::string::npos) << parsed.error().message;
}

TEST(MessageEventParser, ReadsAnInboundMessage) {
    const auto parsed = parse_message_event(kReceived);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const auto& event = parsed.value();
    EXPECT_EQ(event.kind, ChannelEventKind::kMessage);
    EXPECT_EQ(event.vendor, "telnyx");
    EXPECT_EQ(event.event_id, "telnyx:b301ed3f-1490-491f-995f-6e64e69674d4");
    EXPECT_EQ(event.channel, core::Channel::kSms);
    EXPECT_EQ(event.vendor_channel, "sms");
    EXPECT_EQ(event.contact, "+15557654321");
    EXPECT_EQ(event.our_identity, "+15550001111");
    EXPECT_EQ(event.text, "Hello from the bus");
    EXPECT_EQ(event.media_urls,
              (std::vector<std::string>{"https://media.telnyx.test/a.jpg", "https://media.telnyx.test/b.png"}));
    EXPECT_EQ(event.vendor_message_id, "84cca175-9755-4859-b67f-4730d7f58aa3");
    EXPECT_FALSE(event.contact_id.has_value());
    EXPECT_FALSE(event.conversation_id.has_value());
    EXPECT_FALSE(event.correlation_id.has_value());
    EXPECT_FALSE(event.status.has_value());
    EXPECT_FALSE(event.failure_reason.has_value());
    // received_at wins over data.occurred_at; its +01:00 offset is applied.
    EXPECT_EQ(core::format_rfc3339(event.occurred_at), "2026-11-24T09:40:00.250Z");
}

TEST(MessageEventParser, InboundFallsBackToOccurredAt) {
    const auto parsed = parse_message_event(without(kReceived, "/data/payload/received_at"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(core::format_rfc3339(parsed->occurred_at), "2026-11-24T09:40:01.500Z");

    const auto null_received = parse_message_event(with(kReceived, "/data/payload/received_at", nullptr));
    ASSERT_TRUE(null_received.ok());
    EXPECT_EQ(core::format_rfc3339(null_received->occurred_at), "2026-11-24T09:40:01.500Z");
}

TEST(MessageEventParser, InboundWithoutTextOrMediaIsEmpty) {
    const auto media_only = parse_message_event(without(kReceived, "/data/payload/text"));
    ASSERT_TRUE(media_only.ok());
    EXPECT_EQ(media_only->text, "");
    EXPECT_EQ(media_only->media_urls.size(), 2u);

    const auto null_text = parse_message_event(with(kReceived, "/data/payload/text", nullptr));
    ASSERT_TRUE(null_text.ok());
    EXPECT_EQ(null_text->text, "");

    const auto no_media = parse_message_event(without(kReceived, "/data/payload/media"));
    ASSERT_TRUE(no_media.ok());
    EXPECT_TRUE(no_media->media_urls.empty());
    const auto empty_media = parse_message_event(with(kReceived, "/data/payload/media", json::array()));
    ASSERT_TRUE(empty_media.ok());
    EXPECT_TRUE(empty_media->media_urls.empty());
}

TEST(MessageEventParser, ReadsADeliveryReport) {
    const auto parsed = parse_message_event(kFinalized);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const auto& event = parsed.value();
    EXPECT_EQ(event.kind, ChannelEventKind::kDelivery);
    EXPECT_EQ(event.vendor, "telnyx");
    EXPECT_EQ(event.event_id, "telnyx:4ee8c3a6-4995-4309-a3c6-38e3db9ea4be");
    EXPECT_EQ(event.channel, core::Channel::kSms);
    EXPECT_EQ(event.vendor_channel, "sms");
    EXPECT_EQ(event.vendor_message_id, "40317159-3b0b-4a4c-9a3e-8f0b6c1a2b3c");
    EXPECT_EQ(event.contact, "+15557654321");
    EXPECT_EQ(event.our_identity, "+15550001111");
    EXPECT_EQ(event.status, MessageStatus::kDelivered);
    EXPECT_FALSE(event.failure_reason.has_value());
    EXPECT_FALSE(event.correlation_id.has_value());
    EXPECT_TRUE(event.text.empty());
    EXPECT_EQ(core::format_rfc3339(event.occurred_at), "2026-11-24T09:41:07.123Z");
}

TEST(MessageEventParser, MessageSentIsADeliveryReportToo) {
    const auto parsed = parse_message_event(delivery("sent", json::array(), "message.sent"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->kind, ChannelEventKind::kDelivery);
    EXPECT_EQ(parsed->status, MessageStatus::kSent);
}

TEST(MessageEventParser, MapsEveryTelnyxStatus) {
    const std::vector<std::pair<std::string_view, MessageStatus>> cases{
        {"queued", MessageStatus::kPending},
        {"sending", MessageStatus::kPending},
        {"sent", MessageStatus::kSent},
        {"delivered", MessageStatus::kDelivered},
        {"sending_failed", MessageStatus::kFailed},
        {"delivery_failed", MessageStatus::kFailed},
        {"delivery_unconfirmed", MessageStatus::kFailed},
    };
    for (const auto& [name, status] : cases) {
        for (const std::string_view type : {"message.sent", "message.finalized"}) {
            const auto parsed = parse_message_event(delivery(name, json::array(), type));
            ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.error().message;
            EXPECT_EQ(parsed->status, status) << name;
            if (status == MessageStatus::kFailed) {
                EXPECT_EQ(parsed->failure_reason, std::string(name)) << name;
            } else {
                EXPECT_FALSE(parsed->failure_reason.has_value()) << name;
            }
        }
    }
}

TEST(MessageEventParser, AFailureNamesTheVendorsError) {
    const auto parsed = parse_message_event(delivery(
        "delivery_failed",
        json::parse(R"([{"code":"40008","title":"Undeliverable","detail":"The destination handset is unreachable."},
                        {"code":"40001","title":"Second error, ignored"}])")));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->status, MessageStatus::kFailed);
    EXPECT_EQ(parsed->failure_reason, "delivery_failed: 40008: Undeliverable: The destination handset is unreachable.");

    const auto numeric_code = parse_message_event(delivery("sending_failed", json::parse(R"([{"code":40300}])")));
    ASSERT_TRUE(numeric_code.ok()) << numeric_code.error().message;
    EXPECT_EQ(numeric_code->failure_reason, "sending_failed: 40300");

    // Vendor text is made printable before it travels on.
    const auto control = parse_message_event(
        delivery("delivery_unconfirmed", json::parse(R"([{"title":"Line\nbreak","detail":"\u0007bell"}])")));
    ASSERT_TRUE(control.ok());
    EXPECT_EQ(control->failure_reason, "delivery_unconfirmed: Line break: bell");
}

TEST(MessageEventParser, ErrorsOfASuccessfulDeliveryAreNotRead) {
    const auto parsed = parse_message_event(delivery("delivered", json("not an array")));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_FALSE(parsed->failure_reason.has_value());
}

TEST(MessageEventParser, ADeliveryWithoutOurNumberIsStillRead) {
    const auto parsed = parse_message_event(without(kFinalized, "/data/payload/from"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->our_identity, "");
}

TEST(MessageEventParser, OtherEventTypesAreRefusedNamingTheType) {
    for (const std::string_view type : {"call.initiated", "message.unknown", "message.received.extra"}) {
        const auto parsed = parse_message_event(with(kReceived, "/data/event_type", type));
        ASSERT_FALSE(parsed.ok()) << type;
        EXPECT_EQ(parsed.error().code, ErrorCode::kValidation);
        EXPECT_EQ(detail(parsed.error(), "field"), "/data/event_type");
        EXPECT_EQ(detail(parsed.error(), "event_type"), std::string(type));
    }
    const auto long_type = parse_message_event(with(kReceived, "/data/event_type", std::string(5'000, 'x')));
    ASSERT_FALSE(long_type.ok());
    EXPECT_LT(detail(long_type.error(), "event_type")->size(), 200u);
}

TEST(MessageEventParser, BodiesThatAreNotJsonObjectsAreBadRequests) {
    for (const std::string_view body :
         {"", "not json", "{\"data\":", "[]", "\"text\"", "42", "null", "{\"a\":1e400}", "{\"a\":\"\xff\"}"}) {
        const auto parsed = parse_message_event(body);
        ASSERT_FALSE(parsed.ok()) << body;
        EXPECT_EQ(parsed.error().code, ErrorCode::kBadRequest) << body;
    }
}

TEST(MessageEventParser, NamesEachBadEnvelopeField) {
    expect_invalid("{}", "/data");
    expect_invalid(with(kReceived, "/data", "x"), "/data");
    expect_invalid(without(kReceived, "/data/id"), "/data/id");
    expect_invalid(with(kReceived, "/data/id", ""), "/data/id");
    expect_invalid(with(kReceived, "/data/id", 7), "/data/id");
    expect_invalid(without(kReceived, "/data/event_type"), "/data/event_type");
    expect_invalid(with(kReceived, "/data/event_type", json::array()), "/data/event_type");
    expect_invalid(with(kReceived, "/data/occurred_at", "yesterday"), "/data/occurred_at");
    expect_invalid(with(kReceived, "/data/occurred_at", "2026-02-30T00:00:00Z"), "/data/occurred_at");
    expect_invalid(with(kReceived, "/data/occurred_at", 1764000000), "/data/occurred_at");
    expect_invalid(without(kFinalized, "/data/occurred_at"), "/data/occurred_at");
    expect_invalid(without(without(kReceived, "/data/occurred_at"), "/data/payload/received_at"), "/data/occurred_at");
    expect_invalid(without(kReceived, "/data/payload"), "/data/payload");
    expect_invalid(with(kReceived, "/data/payload", json::array()), "/data/payload");
    expect_invalid(without(kReceived, "/data/payload/id"), "/data/payload/id");
    expect_invalid(with(kFinalized, "/data/payload/id", ""), "/data/payload/id");
}

TEST(MessageEventParser, NamesEachBadInboundField) {
    expect_invalid(without(kReceived, "/data/payload/from"), "/data/payload/from");
    expect_invalid(with(kReceived, "/data/payload/from", "+15557654321"), "/data/payload/from");
    expect_invalid(without(kReceived, "/data/payload/from/phone_number"), "/data/payload/from/phone_number");
    expect_invalid(with(kReceived, "/data/payload/from/phone_number", 15557654321), "/data/payload/from/phone_number");
    expect_invalid(without(kReceived, "/data/payload/to"), "/data/payload/to/0");
    expect_invalid(with(kReceived, "/data/payload/to", json::array()), "/data/payload/to/0");
    expect_invalid(with(kReceived, "/data/payload/to", json::object()), "/data/payload/to");
    expect_invalid(with(kReceived, "/data/payload/to/0", "+15550001111"), "/data/payload/to/0");
    expect_invalid(with(kReceived, "/data/payload/to/0/phone_number", ""), "/data/payload/to/0/phone_number");
    expect_invalid(with(kReceived, "/data/payload/text", 12), "/data/payload/text");
    expect_invalid(with(kReceived, "/data/payload/media", "https://x"), "/data/payload/media");
    expect_invalid(with(kReceived, "/data/payload/media/1", "https://x"), "/data/payload/media/1");
    expect_invalid(without(kReceived, "/data/payload/media/1/url"), "/data/payload/media/1/url");
    expect_invalid(with(kReceived, "/data/payload/media/0/url", false), "/data/payload/media/0/url");
    expect_invalid(with(kReceived, "/data/payload/received_at", "2026-11-24 09:40"), "/data/payload/received_at");
}

TEST(MessageEventParser, NamesEachBadDeliveryField) {
    expect_invalid(without(kFinalized, "/data/payload/to"), "/data/payload/to/0");
    expect_invalid(with(kFinalized, "/data/payload/to", "+15557654321"), "/data/payload/to");
    expect_invalid(with(kFinalized, "/data/payload/to/0", json::array()), "/data/payload/to/0");
    expect_invalid(without(kFinalized, "/data/payload/to/0/phone_number"), "/data/payload/to/0/phone_number");
    expect_invalid(without(kFinalized, "/data/payload/to/0/status"), "/data/payload/to/0/status");
    expect_invalid(with(kFinalized, "/data/payload/to/0/status", 3), "/data/payload/to/0/status");
    expect_invalid(with(kFinalized, "/data/payload/to/0/status", "webhook_delivered"), "/data/payload/to/0/status");
    expect_invalid(with(kFinalized, "/data/payload/from", "+15550001111"), "/data/payload/from");
    expect_invalid(with(kFinalized, "/data/payload/from/phone_number", 1), "/data/payload/from/phone_number");
    expect_invalid(delivery("delivery_failed", json::object()), "/data/payload/errors");
    expect_invalid(delivery("delivery_failed", json::array({"40008"})), "/data/payload/errors/0");
    expect_invalid(delivery("delivery_failed", json::parse(R"([{"code":true}])")), "/data/payload/errors/0/code");
    expect_invalid(delivery("delivery_failed", json::parse(R"([{"title":1}])")), "/data/payload/errors/0/title");
    expect_invalid(delivery("delivery_failed", json::parse(R"([{"detail":[]}])")), "/data/payload/errors/0/detail");
}

TEST(MessageEventParser, AnUnknownStatusIsEchoedPrintably) {
    const auto parsed = parse_message_event(with(kFinalized, "/data/payload/to/0/status", "bogus\nstatus"));
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(detail(parsed.error(), "status"), "bogus status");
}

}  // namespace
}  // namespace crossvoice::telnyx
