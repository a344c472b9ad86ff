#include "telnyx/call_event_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "core/time_format.hpp"

namespace crossvoice::telnyx {
namespace {

using core::CallEventType;
using core::ErrorCode;

// Shaped like Telnyx's documented examples (vendor-apis.md A.4, D).
constexpr std::string_view kInitiated = R"({
  "data": {
    "record_type": "event",
    "event_type": "call.initiated",
    "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
    "occurred_at": "2026-11-24T09:30:00.123456Z",
    "payload": {
      "call_control_id": "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg",
      "call_leg_id": "2dc6fc34-f9e0-11ea-b68e-02420a0f7768",
      "call_session_id": "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768",
      "client_state": "eyJzZXNzaW9uSWQiOiJzZXNfMSIsImNhbGxJZCI6ImNhbF8xIn0=",
      "connection_id": "1684641123236054244",
      "direction": "outgoing",
      "from": "+15557654321",
      "to": "+15551234567",
      "state": "bridging",
      "caller_id_name": "+15557654321",
      "start_time": "2026-11-24T09:30:00.123456Z"
    }
  },
  "meta": {"attempt": 1, "delivered_to": "https://example.com/api/voice/webhook"}
})";

constexpr std::string_view kAnswered = R"({"data":{"record_type":"event","event_type":"call.answered",
  "id":"6a2f9d0e-0d2c-4c5a-a7c1-2b7f0b7f0c11","occurred_at":"2026-11-24T09:30:07.5+00:00",
  "payload":{"call_control_id":"v3:abc","call_leg_id":"leg-1","call_session_id":"ses-1","connection_id":"conn-1",
  "client_state":"aGk=","from":"+15557654321","to":"+15551234567","direction":"outgoing","state":"answered",
  "start_time":"2026-11-24T09:30:00Z"}},"meta":{"attempt":2}})";

constexpr std::string_view kHangup = R"({"data":{"record_type":"event","event_type":"call.hangup",
  "id":"b1c3d5e7-0000-4000-8000-000000000003","occurred_at":"2026-11-24T11:31:05.000-02:00",
  "payload":{"call_control_id":"v3:abc","call_leg_id":"leg-1","call_session_id":"ses-1","connection_id":"conn-1",
  "hangup_cause":"user_busy","hangup_source":"callee","sip_hangup_cause":"486","from":"+15557654321",
  "to":"+15551234567","direction":"outgoing","start_time":"2026-11-24T09:30:00Z","end_time":"2026-11-24T09:31:05Z"}}})";

constexpr std::string_view kRecordingSaved = R"({"data":{"record_type":"event","event_type":"call.recording.saved",
  "id":"c0ffee00-0000-4000-8000-000000000004","occurred_at":"2026-11-24T09:35:00Z",
  "payload":{"call_control_id":"v3:abc","call_leg_id":"leg-1","call_session_id":"ses-1","connection_id":"conn-1",
  "channels":"dual","recording_started_at":"2026-11-24T09:30:07.500Z","recording_ended_at":"2026-11-24T09:34:59Z",
  "recording_urls":{"mp3":"https://s3.example.com/rec.mp3?sig=1","wav":"https://s3.example.com/rec.wav?sig=1"},
  "public_recording_urls":{"mp3":"https://public.example.com/rec.mp3","wav":null}}},"meta":{"attempt":1}})";

constexpr std::string_view kMessageReceived = R"({"data":{"record_type":"event","event_type":"message.received",
  "id":"d0d0d0d0-0000-4000-8000-000000000005","occurred_at":"2026-11-24T09:40:00.000+00:00",
  "payload":{"id":"msg-1","record_type":"message","direction":"inbound","text":"Hello",
  "from":{"phone_number":"+15557654321","carrier":"T-Mobile"},"to":[{"phone_number":"+15551234567","status":"webhook_delivered"}],
  "media":[],"received_at":"2026-11-24T09:40:00.000+00:00"}},"meta":{"attempt":1}})";

std::string_view field_of(const core::Error& error) {
    for (const auto& [key, value] : error.details) {
        if (key == "field") return value;
    }
    return "";
}

// Parses `body` expecting a validation error naming `field`.
void expect_invalid(std::string_view body, std::string_view field) {
    const auto parsed = parse_call_event(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.error().code, ErrorCode::kValidation) << parsed.error().message;
    EXPECT_EQ(field_of(parsed.error()), field) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(field), std::string::npos) << parsed.error().message;
}

std::string replaced(std::string_view body, std::string_view from, std::string_view to) {
    std::string out(body);
    const auto at = out.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) out.replace(at, from.size(), to);
    return out;
}

TEST(CallEventParser, CallInitiated) {
    const auto parsed = parse_call_event(kInitiated);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const auto& event = parsed.value();
    EXPECT_EQ(event.id, "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0");
    EXPECT_EQ(event.type, CallEventType::kInitiated);
    EXPECT_EQ(event.event_type, "call.initiated");
    EXPECT_EQ(core::format_rfc3339(event.occurred_at), "2026-11-24T09:30:00.123Z");
    EXPECT_EQ(event.call_control_id, "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg");
    EXPECT_EQ(event.call_leg_id, "2dc6fc34-f9e0-11ea-b68e-02420a0f7768");
    EXPECT_EQ(event.call_session_id, "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768");
    EXPECT_EQ(event.connection_id, "1684641123236054244");
    EXPECT_EQ(event.client_state, R"({"sessionId":"ses_1","callId":"cal_1"})");
    EXPECT_EQ(event.direction, "outgoing");
    EXPECT_EQ(event.from, "+15557654321");
    EXPECT_EQ(event.to, "+15551234567");
    EXPECT_EQ(event.hangup_cause, std::nullopt);
    EXPECT_EQ(event.digits, std::nullopt);
    EXPECT_FALSE(event.recording.has_value());
    EXPECT_EQ(event.attempt, 1);
}

TEST(CallEventParser, CallAnswered) {
    const auto parsed = parse_call_event(kAnswered);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->type, CallEventType::kAnswered);
    EXPECT_EQ(core::format_rfc3339(parsed->occurred_at), "2026-11-24T09:30:07.500Z");
    EXPECT_EQ(parsed->call_control_id, "v3:abc");
    EXPECT_EQ(parsed->client_state, "hi");
    EXPECT_EQ(parsed->attempt, 2);
}

TEST(CallEventParser, CallHangup) {
    const auto parsed = parse_call_event(kHangup);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->type, CallEventType::kHangup);
    EXPECT_EQ(parsed->hangup_cause, "user_busy");
    EXPECT_EQ(parsed->hangup_source, "callee");
    EXPECT_EQ(core::format_rfc3339(parsed->occurred_at), "2026-11-24T13:31:05.000Z");
    EXPECT_EQ(parsed->client_state, std::nullopt);
    EXPECT_EQ(parsed->attempt, std::nullopt);
}

TEST(CallEventParser, RecordingSaved) {
    const auto parsed = parse_call_event(kRecordingSaved);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->type, CallEventType::kRecordingSaved);
    ASSERT_TRUE(parsed->recording.has_value());
    const auto& recording = *parsed->recording;
    // recording_urls come first; public_recording_urls only fill gaps.
    EXPECT_EQ(recording.mp3_url, "https://s3.example.com/rec.mp3?sig=1");
    EXPECT_EQ(recording.wav_url, "https://s3.example.com/rec.wav?sig=1");
    EXPECT_EQ(recording.channels, "dual");
    ASSERT_TRUE(recording.started_at.has_value());
    ASSERT_TRUE(recording.ended_at.has_value());
    EXPECT_EQ(core::format_rfc3339(*recording.started_at), "2026-11-24T09:30:07.500Z");
    EXPECT_EQ(core::format_rfc3339(*recording.ended_at), "2026-11-24T09:34:59.000Z");
}

TEST(CallEventParser, RecordingSavedWithOnlyPublicUrls) {
    const auto body = replaced(
        kRecordingSaved,
        R"("recording_urls":{"mp3":"https://s3.example.com/rec.mp3?sig=1","wav":"https://s3.example.com/rec.wav?sig=1"},)",
        "");
    const auto parsed = parse_call_event(body);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    ASSERT_TRUE(parsed->recording.has_value());
    EXPECT_EQ(parsed->recording->mp3_url, "https://public.example.com/rec.mp3");
    EXPECT_EQ(parsed->recording->wav_url, std::nullopt);
}

TEST(CallEventParser, MessageReceived) {
    const auto parsed = parse_call_event(kMessageReceived);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->type, CallEventType::kMessage);
    EXPECT_EQ(parsed->event_type, "message.received");
    EXPECT_EQ(parsed->call_control_id, "");
    EXPECT_EQ(parsed->from, "+15557654321");
    EXPECT_EQ(parsed->to, "+15551234567");
    EXPECT_EQ(parsed->direction, "inbound");
    EXPECT_EQ(parse_call_event(replaced(kMessageReceived, "message.received", "message.finalized"))->type,
              CallEventType::kMessage);
}

TEST(CallEventParser, GatherDtmfAndMachineDetection) {
    const auto gather = parse_call_event(
        R"({"data":{"event_type":"call.gather.ended","id":"e1","occurred_at":"2026-11-24T09:30:00Z",
            "payload":{"call_control_id":"v3:abc","digits":"1234","status":"valid"}}})");
    ASSERT_TRUE(gather.ok()) << gather.error().message;
    EXPECT_EQ(gather->type, CallEventType::kGatherEnded);
    EXPECT_EQ(gather->digits, "1234");
    EXPECT_EQ(gather->status, "valid");

    const auto dtmf = parse_call_event(
        R"({"data":{"event_type":"call.dtmf.received","id":"e2","occurred_at":"2026-11-24T09:30:00Z",
            "payload":{"call_control_id":"v3:abc","digit":"#"}}})");
    ASSERT_TRUE(dtmf.ok()) << dtmf.error().message;
    EXPECT_EQ(dtmf->type, CallEventType::kDtmfReceived);
    EXPECT_EQ(dtmf->digits, "#");

    const auto amd = parse_call_event(
        R"({"data":{"event_type":"call.machine.detection.ended","id":"e3","occurred_at":"2026-11-24T09:30:00Z",
            "payload":{"call_control_id":"v3:abc","result":"machine"}}})");
    ASSERT_TRUE(amd.ok()) << amd.error().message;
    EXPECT_EQ(amd->type, CallEventType::kMachineDetectionEnded);
    EXPECT_EQ(amd->status, "machine");
}

TEST(CallEventParser, EveryKnownEventTypeMaps) {
    const std::pair<std::string_view, CallEventType> cases[] = {
        {"call.initiated", CallEventType::kInitiated},
        {"call.answered", CallEventType::kAnswered},
        {"call.hangup", CallEventType::kHangup},
        {"call.bridged", CallEventType::kBridged},
        {"call.gather.ended", CallEventType::kGatherEnded},
        {"call.dtmf.received", CallEventType::kDtmfReceived},
        {"call.speak.started", CallEventType::kSpeakStarted},
        {"call.speak.ended", CallEventType::kSpeakEnded},
        {"call.playback.started", CallEventType::kPlaybackStarted},
        {"call.playback.ended", CallEventType::kPlaybackEnded},
        {"call.recording.saved", CallEventType::kRecordingSaved},
        {"call.machine.detection.ended", CallEventType::kMachineDetectionEnded},
        {"call.machine.premium.detection.ended", CallEventType::kMachineDetectionEnded},
        {"streaming.started", CallEventType::kStreamingStarted},
        {"streaming.stopped", CallEventType::kStreamingStopped},
        {"streaming.failed", CallEventType::kStreamingFailed},
        {"call.transcription", CallEventType::kTranscription},
        {"message.sent", CallEventType::kMessage},
        {"call.conversation.ended", CallEventType::kUnknown},
        {"CALL.HANGUP", CallEventType::kUnknown},
    };
    for (const auto& [name, type] : cases) {
        const auto body = std::string(R"({"data":{"event_type":")") + std::string(name) +
                          R"(","id":"e","occurred_at":"2026-11-24T09:30:00Z","payload":{"call_control_id":"v3:x"}}})";
        const auto parsed = parse_call_event(body);
        ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.error().message;
        EXPECT_EQ(parsed->type, type) << name;
        EXPECT_EQ(parsed->event_type, name);
    }
}

TEST(CallEventParser, UnknownEventTypesAreAcceptedNotRefused) {
    const auto parsed = parse_call_event(R"({"data":{"event_type":"fax.received","id":"e9",
        "occurred_at":"2026-11-24T09:30:00Z"}})");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->type, CallEventType::kUnknown);
    EXPECT_EQ(parsed->event_type, "fax.received");
    EXPECT_EQ(parsed->call_control_id, "");
}

TEST(CallEventParser, NotJsonIsABadRequest) {
    for (std::string_view body : {std::string_view(""), std::string_view("not json"), std::string_view("{\"data\":"),
                                  std::string_view("[1,2]"), std::string_view("\"text\""), std::string_view("null"),
                                  std::string_view(R"({"data":{"id":1e400}})"), std::string_view("{\"a\":\"\xff\"}")}) {
        const auto parsed = parse_call_event(body);
        ASSERT_FALSE(parsed.ok()) << body;
        EXPECT_EQ(parsed.error().code, ErrorCode::kBadRequest) << body;
    }
}

TEST(CallEventParser, EveryRequiredFieldMissing) {
    expect_invalid("{}", "data");
    expect_invalid(replaced(kInitiated, R"("id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",)", ""), "data.id");
    expect_invalid(replaced(kInitiated, R"("event_type": "call.initiated",)", ""), "data.event_type");
    expect_invalid(replaced(kInitiated, R"("occurred_at": "2026-11-24T09:30:00.123456Z",)", ""), "data.occurred_at");
    expect_invalid(
        replaced(kInitiated, R"("call_control_id": "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg",)", ""),
        "data.payload.call_control_id");
    expect_invalid(R"({"data":{"event_type":"call.hangup","id":"e","occurred_at":"2026-11-24T09:30:00Z"}})",
                   "data.payload.call_control_id");
    expect_invalid(R"({"data":{"event_type":"streaming.started","id":"e","occurred_at":"2026-11-24T09:30:00Z",
                       "payload":{"stream_url":"wss://x"}}})",
                   "data.payload.call_control_id");
}

TEST(CallEventParser, RequiredFieldsMustNotBeEmptyOrNull) {
    expect_invalid(replaced(kInitiated, R"("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")", R"("")"), "data.id");
    expect_invalid(replaced(kInitiated, R"("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")", "null"), "data.id");
    expect_invalid(replaced(kInitiated, R"("call.initiated")", R"("")"), "data.event_type");
    expect_invalid(replaced(kAnswered, R"("call_control_id":"v3:abc")", R"("call_control_id":"")"),
                   "data.payload.call_control_id");
    expect_invalid(replaced(kAnswered, R"("call_control_id":"v3:abc")", R"("call_control_id":null)"),
                   "data.payload.call_control_id");
}

TEST(CallEventParser, WrongTypes) {
    expect_invalid(R"({"data":[]})", "data");
    expect_invalid(R"({"data":"event"})", "data");
    expect_invalid(replaced(kInitiated, R"("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0")", "42"), "data.id");
    expect_invalid(replaced(kInitiated, R"("call.initiated")", R"(["call.initiated"])"), "data.event_type");
    expect_invalid(replaced(kInitiated, R"("2026-11-24T09:30:00.123456Z",)", "1795512600,"), "data.occurred_at");
    expect_invalid(replaced(kAnswered, R"("call_control_id":"v3:abc")", R"("call_control_id":7)"),
                   "data.payload.call_control_id");
    expect_invalid(replaced(kAnswered, R"("call_leg_id":"leg-1")", R"("call_leg_id":{})"), "data.payload.call_leg_id");
    expect_invalid(replaced(kAnswered, R"("from":"+15557654321")", R"("from":15557654321)"), "data.payload.from");
    expect_invalid(replaced(kAnswered, R"("to":"+15551234567")", R"("to":[true])"), "data.payload.to[0]");
    expect_invalid(replaced(kMessageReceived, R"("phone_number":"+15557654321")", R"("phone_number":1)"),
                   "data.payload.from.phone_number");
    expect_invalid(replaced(kHangup, R"("user_busy")", "false"), "data.payload.hangup_cause");
    expect_invalid(replaced(kAnswered, R"("client_state":"aGk=")", R"("client_state":["aGk="])"),
                   "data.payload.client_state");
    expect_invalid(replaced(kRecordingSaved, R"("recording_urls":{)", R"("recording_urls":"x","unused":{)"),
                   "data.payload.recording_urls");
    expect_invalid(replaced(kRecordingSaved, R"("wav":null)", R"("wav":1)"), "data.payload.public_recording_urls.wav");
    expect_invalid(replaced(kRecordingSaved, R"("channels":"dual")", R"("channels":2)"), "data.payload.channels");
    expect_invalid(replaced(kAnswered, R"("payload":{)", R"("payload":"x","unused":{)"), "data.payload");
    expect_invalid(replaced(kAnswered, R"("meta":{"attempt":2})", R"("meta":[])"), "meta");
    expect_invalid(replaced(kAnswered, R"("attempt":2)", R"("attempt":"2")"), "meta.attempt");
    expect_invalid(replaced(kAnswered, R"("attempt":2)", R"("attempt":2.5)"), "meta.attempt");
    expect_invalid(replaced(kAnswered, R"("attempt":2)", R"("attempt":-1)"), "meta.attempt");
    expect_invalid(replaced(kAnswered, R"("attempt":2)", R"("attempt":99999999999)"), "meta.attempt");
}

TEST(CallEventParser, BadClientState) {
    // Not the alphabet, too many "=", a lone character, a JSON-escaped newline, the URL-safe alphabet, bits past the
    // end.
    for (std::string_view bad : {"not base64!", "aGk==", "a", "aGk=\\n", "aG-k", "aGl="}) {
        expect_invalid(replaced(kAnswered, R"("aGk=")", "\"" + std::string(bad) + "\""), "data.payload.client_state");
    }
    // Padding is optional, as in the verifier; an empty client_state decodes to empty bytes.
    EXPECT_EQ(parse_call_event(replaced(kAnswered, R"("aGk=")", R"("aGk")"))->client_state, "hi");
    EXPECT_EQ(parse_call_event(replaced(kAnswered, R"("aGk=")", R"("")"))->client_state, "");
    EXPECT_EQ(parse_call_event(replaced(kAnswered, R"("aGk=")", "null"))->client_state, std::nullopt);
}

TEST(CallEventParser, BadOccurredAt) {
    for (std::string_view bad : {"", "yesterday", "2026-11-24", "2026-11-24T09:30:00", "2026-02-30T09:30:00Z",
                                 "2026-11-24 09:30:00Z", "1795512600"}) {
        expect_invalid(replaced(kInitiated, "2026-11-24T09:30:00.123456Z\",", std::string(bad) + "\","),
                       "data.occurred_at");
    }
    expect_invalid(replaced(kRecordingSaved, "2026-11-24T09:34:59Z", "soon"), "data.payload.recording_ended_at");
}

}  // namespace
}  // namespace crossvoice::telnyx
