#include "telnyx/call_control_client.hpp"
#include "support/error_detail.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The requests below are written with designated initializers that name only the fields a test is about; the
// rest keep their defaults (nullopt, mostly) on purpose. GCC 12 warns about every field left out.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace crossvoice::telnyx {
namespace {

using core::ErrorCode;
using core::ports::HttpHeaders;
using core::ports::HttpRequest;
using core::ports::HttpResponse;
using nlohmann::json;

constexpr std::string_view kBase = "https://telnyx.test/v2";
constexpr std::string_view kLeg = "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg";
constexpr std::string_view kDialReply =
    R"({"data":{"call_control_id":"v3:new-leg","call_leg_id":"2dc6fc34-f9e0-11ea-b68e-02420a0f7768",
        "call_session_id":"2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768","is_alive":false,"record_type":"call"}})";
constexpr std::string_view kOk = R"({"data":{"result":"ok"}})";
// The client_state of the call_event_parser tests: raw JSON text and its base64.
constexpr std::string_view kState = R"({"sessionId":"ses_1","callId":"cal_1"})";
constexpr std::string_view kStateBase64 = "eyJzZXNzaW9uSWQiOiJzZXNfMSIsImNhbGxJZCI6ImNhbF8xIn0=";

// Records every request and answers from a script; 200 {"data":{"result":"ok"}} once the script runs out.
class FakeHttpClient final : public core::ports::HttpClient {
  public:
    core::Result<HttpResponse> send(const HttpRequest& request) override {
        requests.push_back(request);
        if (replies.empty()) return HttpResponse{200, {{"content-type", "application/json"}}, std::string(kOk), 1};
        auto reply = std::move(replies.front());
        replies.pop_front();
        return reply;
    }

    void reply(int status, std::string_view body, HttpHeaders headers = {}) {
        replies.emplace_back(HttpResponse{status, std::move(headers), std::string(body), 1});
    }

    void fail(core::Error error) { replies.emplace_back(std::move(error)); }

    std::vector<HttpRequest> requests;
    std::deque<core::Result<HttpResponse>> replies;
};

using crossvoice::testing::detail;

// The value of every header named `name` (exact spelling), in order.
std::vector<std::string> header_values(const HttpRequest& request, std::string_view name) {
    std::vector<std::string> values;
    for (const auto& [key, value] : request.headers) {
        if (key == name) values.push_back(value);
    }
    return values;
}

bool is_uuid_v4(const std::string& text) {
    static const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    return std::regex_match(text, kUuid);
}

CallControlOptions test_options() {
    CallControlOptions options;
    options.base_url = std::string(kBase);
    options.api_key = "KEY0123456789";
    options.connect_timeout = std::chrono::milliseconds(1'500);
    options.attempt_timeout = std::chrono::milliseconds(4'000);
    options.deadline = std::chrono::milliseconds(9'000);
    options.retry = core::ports::RetryPolicy{4, true, std::chrono::milliseconds(100), std::chrono::milliseconds(2'000)};
    return options;
}

core::ports::CommandOptions with_id(std::string command_id) {
    core::ports::CommandOptions options;
    options.command_id = std::move(command_id);
    return options;
}

class CallControlClientTest : public ::testing::Test {
  protected:
    // The one request sent so far, checked for what every request carries.
    const HttpRequest& sent(std::string_view url) {
        EXPECT_EQ(http_.requests.size(), 1u);
        if (http_.requests.empty()) {
            static const HttpRequest kNone;
            return kNone;
        }
        const auto& request = http_.requests.back();
        EXPECT_EQ(request.method, "POST");
        EXPECT_EQ(request.url, url);
        EXPECT_EQ(header_values(request, "Authorization"), std::vector<std::string>{"Bearer KEY0123456789"});
        EXPECT_EQ(header_values(request, "Content-Type"), std::vector<std::string>{"application/json"});
        EXPECT_EQ(header_values(request, "Accept"), std::vector<std::string>{"application/json"});
        EXPECT_EQ(request.connect_timeout, std::chrono::milliseconds(1'500));
        EXPECT_EQ(request.attempt_timeout, std::chrono::milliseconds(4'000));
        EXPECT_EQ(request.deadline, std::chrono::milliseconds(9'000));
        EXPECT_EQ(request.retry.max_attempts, 4);
        EXPECT_EQ(request.retry.base_delay, std::chrono::milliseconds(100));
        EXPECT_EQ(request.retry.max_delay, std::chrono::milliseconds(2'000));
        // A dial that may have reached Telnyx is never repeated (it could ring the callee twice); commands
        // carry a command_id Telnyx deduplicates on, so they may be.
        const bool is_dial = request.url == std::string(kBase) + "/calls";
        EXPECT_EQ(request.retry.retry_if_maybe_processed, !is_dial) << request.url;
        return request;
    }

    // The body of the one command sent to `action` on kLeg.
    json command_body(std::string_view action) {
        const auto& request =
            sent(std::string(kBase) + "/calls/" + std::string(kLeg) + "/actions/" + std::string(action));
        return json::parse(request.body, nullptr, false);
    }

    void expect_validation(const core::Status& status, std::string_view field) {
        ASSERT_FALSE(status.ok()) << field;
        EXPECT_EQ(status.error().code, ErrorCode::kValidation) << status.error().message;
        EXPECT_EQ(detail(status.error(), "field"), field) << status.error().message;
        EXPECT_TRUE(http_.requests.empty()) << "sent although invalid: " << field;
        http_.requests.clear();
    }

    core::ports::DialRequest dial_request() {
        core::ports::DialRequest request;
        request.to = "+15551234567";
        request.from = "+15557654321";
        request.connection_id = "1684641123236054244";
        request.command_id = "cmd-dial-1";
        return request;
    }

    FakeHttpClient http_;
    CallControlClient client_{test_options(), http_};
};

// --- dial ---

TEST_F(CallControlClientTest, DialSendsOnlyTheRequiredFieldsAndParsesTheReply) {
    http_.reply(200, kDialReply);
    const auto call = client_.dial(dial_request());
    ASSERT_TRUE(call.ok()) << call.error().message;
    EXPECT_EQ(call->call_control_id, "v3:new-leg");
    EXPECT_EQ(call->call_leg_id, "2dc6fc34-f9e0-11ea-b68e-02420a0f7768");
    EXPECT_EQ(call->call_session_id, "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768");

    const auto& request = sent(std::string(kBase) + "/calls");
    EXPECT_EQ(json::parse(request.body), json::parse(R"({"connection_id":"1684641123236054244","to":"+15551234567",
        "from":"+15557654321","command_id":"cmd-dial-1"})"));
}

TEST_F(CallControlClientTest, DialSendsEveryFieldThatIsSet) {
    http_.reply(200, kDialReply);
    auto request = dial_request();
    request.to = "sip:alice@example.com";
    request.webhook_url = "https://crossvoice.example/api/voice/webhook";
    request.client_state = std::string(kState);
    request.timeout_secs = 30;
    request.time_limit_secs = 14'400;
    request.record = true;
    request.record_channels = "single";
    request.record_format = "mp3";
    request.answering_machine_detection = "detect_beep";
    request.stream_url = "wss://media.example/stream";
    request.stream_track = "both_tracks";
    ASSERT_TRUE(client_.dial(request).ok());

    const auto body = json::parse(sent(std::string(kBase) + "/calls").body);
    EXPECT_EQ(body, json::parse(R"({"connection_id":"1684641123236054244","to":"sip:alice@example.com",
        "from":"+15557654321","command_id":"cmd-dial-1","webhook_url":"https://crossvoice.example/api/voice/webhook",
        "client_state":"eyJzZXNzaW9uSWQiOiJzZXNfMSIsImNhbGxJZCI6ImNhbF8xIn0=","timeout_secs":30,
        "time_limit_secs":14400,"record":"record-from-answer","record_channels":"single","record_format":"mp3",
        "answering_machine_detection":"detect_beep","stream_url":"wss://media.example/stream",
        "stream_track":"both_tracks"})"));
    // Telnyx wants the string, not a boolean.
    EXPECT_TRUE(body["record"].is_string());
}

TEST_F(CallControlClientTest, DialWithoutRecordingLeavesTheRecordingFieldsOut) {
    http_.reply(200, kDialReply);
    auto request = dial_request();
    request.record_channels = "single";
    request.record_format = "mp3";
    ASSERT_TRUE(client_.dial(request).ok());
    const auto body = json::parse(sent(std::string(kBase) + "/calls").body);
    EXPECT_FALSE(body.contains("record"));
    EXPECT_FALSE(body.contains("record_channels"));
    EXPECT_FALSE(body.contains("record_format"));
    EXPECT_FALSE(body.contains("client_state"));
    EXPECT_FALSE(body.contains("webhook_url"));
}

TEST_F(CallControlClientTest, DialGeneratesAFreshUuidCommandIdWhenNoneIsGiven) {
    auto request = dial_request();
    request.command_id.clear();
    http_.reply(200, kDialReply);
    http_.reply(200, kDialReply);
    ASSERT_TRUE(client_.dial(request).ok());
    ASSERT_TRUE(client_.dial(request).ok());
    ASSERT_EQ(http_.requests.size(), 2u);
    const auto first = json::parse(http_.requests[0].body)["command_id"].get<std::string>();
    const auto second = json::parse(http_.requests[1].body)["command_id"].get<std::string>();
    EXPECT_TRUE(is_uuid_v4(first)) << first;
    EXPECT_TRUE(is_uuid_v4(second)) << second;
    EXPECT_NE(first, second);
}

TEST_F(CallControlClientTest, DialReplyWithoutACallControlIdIsAVendorError) {
    http_.reply(200, R"({"data":{"call_leg_id":"leg"}})");
    const auto call = client_.dial(dial_request());
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(call.error(), "field"), "data.call_control_id");
    EXPECT_EQ(detail(call.error(), "vendor_status"), "200");
    EXPECT_EQ(detail(call.error(), "action"), "dial");
}

TEST_F(CallControlClientTest, DialReplyThatIsNotJsonIsAVendorError) {
    http_.reply(201, "<html>ok</html>");
    const auto call = client_.dial(dial_request());
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.error().code, ErrorCode::kVendor);
    EXPECT_EQ(detail(call.error(), "vendor_detail"), "<html>ok</html>");
}

TEST_F(CallControlClientTest, DialRefusedByTelnyxIsAVendorError) {
    http_.reply(422, R"({"errors":[{"code":"10015","title":"Invalid value","detail":"to is not a valid number",
        "source":{"pointer":"/to"}}]})");
    const auto call = client_.dial(dial_request());
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.error().code, ErrorCode::kVendor);
    EXPECT_EQ(call.error().message, "Telnyx 422: Invalid value: to is not a valid number");
    EXPECT_EQ(detail(call.error(), "vendor_code"), "10015");
    EXPECT_EQ(detail(call.error(), "vendor_pointer"), "/to");
    EXPECT_EQ(detail(call.error(), "action"), "dial");
}

TEST_F(CallControlClientTest, DialRefusesBadInputWithoutSending) {
    const std::vector<std::pair<std::string_view, std::function<void(core::ports::DialRequest&)>>> cases = {
        {"to", [](auto& r) { r.to.clear(); }},
        {"to", [](auto& r) { r.to = "5551234567"; }},
        {"from", [](auto& r) { r.from.clear(); }},
        {"from", [](auto& r) { r.from = "alice"; }},
        {"connection_id", [](auto& r) { r.connection_id.clear(); }},
        {"timeout_secs", [](auto& r) { r.timeout_secs = 4; }},
        {"timeout_secs", [](auto& r) { r.timeout_secs = 601; }},
        {"time_limit_secs", [](auto& r) { r.time_limit_secs = 14'401; }},
        {"answering_machine_detection", [](auto& r) { r.answering_machine_detection = "maybe"; }},
        {"stream_track", [](auto& r) { r.stream_track = "left"; }},
        {"record_channels",
         [](auto& r) {
             r.record = true;
             r.record_channels = "stereo";
         }},
        {"record_format",
         [](auto& r) {
             r.record = true;
             r.record_format = "ogg";
         }},
        {"webhook_url", [](auto& r) { r.webhook_url = "https://example.com/\xff"; }},
        {"command_id", [](auto& r) { r.command_id = "\xc3"; }},
    };
    for (const auto& [field, mutate] : cases) {
        auto request = dial_request();
        mutate(request);
        const auto call = client_.dial(request);
        ASSERT_FALSE(call.ok()) << field;
        EXPECT_EQ(call.error().code, ErrorCode::kValidation) << field;
        EXPECT_EQ(detail(call.error(), "field"), field) << call.error().message;
        EXPECT_TRUE(http_.requests.empty()) << field;
        http_.requests.clear();
    }
}

TEST_F(CallControlClientTest, DialTransportFailureKeepsItsKindAndDetails) {
    http_.fail(core::Error{ErrorCode::kUnavailable, "connect failed", {{"reason", "refused"}, {"attempts", "4"}}});
    const auto call = client_.dial(dial_request());
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(call.error().message, "connect failed");
    EXPECT_EQ(detail(call.error(), "reason"), "refused");
    EXPECT_EQ(detail(call.error(), "attempts"), "4");
    EXPECT_EQ(detail(call.error(), "vendor"), "telnyx");
    EXPECT_EQ(detail(call.error(), "action"), "dial");
}

// --- commands: URL and body ---

TEST_F(CallControlClientTest, AnswerMinimal) {
    ASSERT_TRUE(client_.answer(std::string(kLeg), {.options = with_id("cmd-1")}).ok());
    EXPECT_EQ(command_body("answer"), json::parse(R"({"command_id":"cmd-1"})"));
}

TEST_F(CallControlClientTest, AnswerWithEverything) {
    core::ports::AnswerRequest request;
    request.webhook_url = "https://crossvoice.example/hook";
    request.record = true;
    request.stream_url = "wss://media.example/s";
    request.stream_track = "inbound_track";
    request.options = {std::string(kState), "cmd-2"};
    // answer may carry a recording id; any 2xx is success.
    http_.reply(200, R"({"data":{"result":"ok","recording_id":"rec-1"}})");
    ASSERT_TRUE(client_.answer(std::string(kLeg), request).ok());
    EXPECT_EQ(command_body("answer"), json::parse(R"({"webhook_url":"https://crossvoice.example/hook",
        "record":"record-from-answer","record_channels":"dual","record_format":"wav",
        "stream_url":"wss://media.example/s","stream_track":"inbound_track",
        "client_state":"eyJzZXNzaW9uSWQiOiJzZXNfMSIsImNhbGxJZCI6ImNhbF8xIn0=","command_id":"cmd-2"})"));
}

TEST_F(CallControlClientTest, HangupCarriesOnlyTheCommonFields) {
    ASSERT_TRUE(client_.hangup(std::string(kLeg), with_id("cmd-h")).ok());
    EXPECT_EQ(command_body("hangup"), json::parse(R"({"command_id":"cmd-h"})"));
}

TEST_F(CallControlClientTest, AnEmptyClientStateIsSentEmptyToClearIt) {
    ASSERT_TRUE(client_.hangup(std::string(kLeg), {std::string(), "cmd-h"}).ok());
    EXPECT_EQ(command_body("hangup"), json::parse(R"({"client_state":"","command_id":"cmd-h"})"));
}

TEST_F(CallControlClientTest, ClientStateMayBeAnyBytes) {
    ASSERT_TRUE(client_.hangup(std::string(kLeg), {std::string("\xff\x00\xfb", 3), "cmd-h"}).ok());
    EXPECT_EQ(command_body("hangup")["client_state"], "/wD7");
}

TEST_F(CallControlClientTest, Reject) {
    ASSERT_TRUE(client_.reject(std::string(kLeg), {.options = with_id("c")}).ok());
    EXPECT_EQ(command_body("reject"), json::parse(R"({"cause":"CALL_REJECTED","command_id":"c"})"));
    http_.requests.clear();
    ASSERT_TRUE(client_.reject(std::string(kLeg), {"USER_BUSY", with_id("c")}).ok());
    EXPECT_EQ(command_body("reject"), json::parse(R"({"cause":"USER_BUSY","command_id":"c"})"));
    http_.requests.clear();
    expect_validation(client_.reject(std::string(kLeg), {"NORMAL_CLEARING", with_id("c")}), "cause");
    expect_validation(client_.reject(std::string(kLeg), {"call_rejected", with_id("c")}), "cause");
}

TEST_F(CallControlClientTest, SpeakMinimal) {
    ASSERT_TRUE(client_.speak(std::string(kLeg), {.payload = "Hello", .options = with_id("c")}).ok());
    EXPECT_EQ(command_body("speak"),
              json::parse(R"({"payload":"Hello","voice":"female","payload_type":"text","command_id":"c"})"));
}

TEST_F(CallControlClientTest, SpeakWithEverything) {
    core::ports::SpeakRequest request;
    request.payload = "<speak>Hi</speak>";
    request.voice = "Polly.Joanna";
    request.payload_type = "ssml";
    request.language = "en-US";
    request.stop = "current";
    request.options = {std::string("s"), "c"};
    ASSERT_TRUE(client_.speak(std::string(kLeg), request).ok());
    EXPECT_EQ(command_body("speak"), json::parse(R"({"payload":"<speak>Hi</speak>","voice":"Polly.Joanna",
        "payload_type":"ssml","language":"en-US","stop":"current","client_state":"cw==","command_id":"c"})"));
}

TEST_F(CallControlClientTest, SpeakPayloadIsCountedInCharactersUpTo3000) {
    std::string payload;
    for (int i = 0; i < 3000; ++i) payload += "\xc3\xa9";  // é: two bytes, one character
    ASSERT_TRUE(client_.speak(std::string(kLeg), {.payload = payload, .options = with_id("c")}).ok());
    EXPECT_EQ(command_body("speak")["payload"], payload);
    http_.requests.clear();

    expect_validation(client_.speak(std::string(kLeg), {.payload = payload + "e", .options = with_id("c")}), "payload");
    expect_validation(client_.speak(std::string(kLeg), {.payload = std::string(3001, 'a')}), "payload");
    expect_validation(client_.speak(std::string(kLeg), {.payload = ""}), "payload");
    expect_validation(client_.speak(std::string(kLeg), {.payload = "caf\xe9"}), "payload");       // Latin-1, not UTF-8
    expect_validation(client_.speak(std::string(kLeg), {.payload = "\xed\xa0\x80"}), "payload");  // a surrogate
    expect_validation(client_.speak(std::string(kLeg), {.payload = "\xc0\xaf"}), "payload");      // overlong '/'
    expect_validation(client_.speak(std::string(kLeg), {.payload = "hi", .voice = ""}), "voice");
    expect_validation(client_.speak(std::string(kLeg), {.payload = "hi", .payload_type = "html"}), "payload_type");
    expect_validation(client_.speak(std::string(kLeg), {.payload = "hi", .stop = "some"}), "stop");
    expect_validation(client_.speak(std::string(kLeg), {.payload = "hi", .language = "\xff"}), "language");
}

TEST_F(CallControlClientTest, PlaybackStart) {
    ASSERT_TRUE(
        client_.playback_start(std::string(kLeg), {.audio_url = "https://media.example/a.mp3", .options = with_id("c")})
            .ok());
    EXPECT_EQ(command_body("playback_start"),
              json::parse(R"({"audio_url":"https://media.example/a.mp3","command_id":"c"})"));
    http_.requests.clear();

    ASSERT_TRUE(client_
                    .playback_start(std::string(kLeg), {.media_name = "hold_music",
                                                        .loop = "infinity",
                                                        .overlay = true,
                                                        .stop = "all",
                                                        .options = with_id("c")})
                    .ok());
    EXPECT_EQ(command_body("playback_start"), json::parse(R"({"media_name":"hold_music","loop":"infinity",
        "overlay":true,"stop":"all","command_id":"c"})"));
    http_.requests.clear();

    expect_validation(client_.playback_start(std::string(kLeg), {}), "audio_url");
    expect_validation(client_.playback_start(std::string(kLeg), {.audio_url = "https://a", .media_name = "b"}),
                      "audio_url");
    expect_validation(client_.playback_start(std::string(kLeg), {.media_name = ""}), "media_name");
    expect_validation(client_.playback_start(std::string(kLeg), {.audio_url = "https://a", .loop = "forever"}), "loop");
}

TEST_F(CallControlClientTest, PlaybackStop) {
    ASSERT_TRUE(client_.playback_stop(std::string(kLeg), {.options = with_id("c")}).ok());
    EXPECT_EQ(command_body("playback_stop"), json::parse(R"({"stop":"all","command_id":"c"})"));
    http_.requests.clear();
    expect_validation(client_.playback_stop(std::string(kLeg), {.stop = "everything"}), "stop");
}

TEST_F(CallControlClientTest, GatherMinimalAndFull) {
    ASSERT_TRUE(client_.gather(std::string(kLeg), {.options = with_id("c")}).ok());
    EXPECT_EQ(command_body("gather"), json::parse(R"({"command_id":"c"})"));
    http_.requests.clear();

    core::ports::GatherRequest request;
    request.gather = {1, 4, 60'000, 5'000, "#", "0123456789*"};
    request.options = with_id("c");
    ASSERT_TRUE(client_.gather(std::string(kLeg), request).ok());
    EXPECT_EQ(command_body("gather"), json::parse(R"({"minimum_digits":1,"maximum_digits":4,"timeout_millis":60000,
        "inter_digit_timeout_millis":5000,"terminating_digit":"#","valid_digits":"0123456789*","command_id":"c"})"));
}

TEST_F(CallControlClientTest, GatherRefusesImpossibleOptions) {
    const auto gather_with = [&](core::ports::GatherOptions options) {
        return client_.gather(std::string(kLeg), {.gather = std::move(options)});
    };
    expect_validation(gather_with({.minimum_digits = 0}), "minimum_digits");
    expect_validation(gather_with({.maximum_digits = 129}), "maximum_digits");
    expect_validation(gather_with({.minimum_digits = 5, .maximum_digits = 4}), "minimum_digits");
    expect_validation(gather_with({.timeout_millis = 0}), "timeout_millis");
    expect_validation(gather_with({.inter_digit_timeout_millis = -1}), "inter_digit_timeout_millis");
    expect_validation(gather_with({.terminating_digit = "##"}), "terminating_digit");
    expect_validation(gather_with({.terminating_digit = "x"}), "terminating_digit");
    expect_validation(gather_with({.valid_digits = "12x"}), "valid_digits");
    expect_validation(gather_with({.valid_digits = ""}), "valid_digits");
}

TEST_F(CallControlClientTest, GatherUsingSpeak) {
    core::ports::GatherUsingSpeakRequest request;
    request.payload = "Press 1";
    request.language = "en-GB";
    request.invalid_payload = "Sorry";
    request.maximum_tries = 3;
    request.gather.maximum_digits = 1;
    request.options = with_id("c");
    ASSERT_TRUE(client_.gather_using_speak(std::string(kLeg), request).ok());
    EXPECT_EQ(command_body("gather_using_speak"), json::parse(R"({"payload":"Press 1","voice":"female",
        "payload_type":"text","language":"en-GB","invalid_payload":"Sorry","maximum_tries":3,"maximum_digits":1,
        "command_id":"c"})"));
    http_.requests.clear();

    expect_validation(client_.gather_using_speak(std::string(kLeg), {.payload = ""}), "payload");
    expect_validation(client_.gather_using_speak(std::string(kLeg), {.payload = std::string(3001, 'x')}), "payload");
    expect_validation(client_.gather_using_speak(std::string(kLeg), {.payload = "p", .maximum_tries = 0}),
                      "maximum_tries");
    expect_validation(client_.gather_using_speak(std::string(kLeg), {.payload = "p", .invalid_payload = ""}),
                      "invalid_payload");
}

TEST_F(CallControlClientTest, GatherUsingAudio) {
    core::ports::GatherUsingAudioRequest request;
    request.audio_url = "https://media.example/menu.wav";
    request.invalid_audio_url = "https://media.example/invalid.wav";
    request.maximum_tries = 2;
    request.gather.valid_digits = "12";
    request.options = {std::string("s"), "c"};
    ASSERT_TRUE(client_.gather_using_audio(std::string(kLeg), request).ok());
    EXPECT_EQ(command_body("gather_using_audio"), json::parse(R"({"audio_url":"https://media.example/menu.wav",
        "invalid_audio_url":"https://media.example/invalid.wav","maximum_tries":2,"valid_digits":"12",
        "client_state":"cw==","command_id":"c"})"));
    http_.requests.clear();

    expect_validation(client_.gather_using_audio(std::string(kLeg), {}), "audio_url");
    expect_validation(client_.gather_using_audio(std::string(kLeg), {.audio_url = "a", .media_name = "b"}),
                      "audio_url");
}

TEST_F(CallControlClientTest, Transfer) {
    core::ports::TransferRequest request;
    request.to = "+15550001111";
    request.from = "+15557654321";
    request.timeout_secs = 20;
    request.webhook_url = "https://crossvoice.example/hook";
    request.target_leg_client_state = std::string(kState);
    request.options = with_id("c");
    ASSERT_TRUE(client_.transfer(std::string(kLeg), request).ok());
    EXPECT_EQ(command_body("transfer"), json::parse(R"({"to":"+15550001111","from":"+15557654321","timeout_secs":20,
        "webhook_url":"https://crossvoice.example/hook",
        "target_leg_client_state":"eyJzZXNzaW9uSWQiOiJzZXNfMSIsImNhbGxJZCI6ImNhbF8xIn0=","command_id":"c"})"));
    http_.requests.clear();

    ASSERT_TRUE(client_.transfer(std::string(kLeg), {.to = "sip:bob@example.com", .options = with_id("c")}).ok());
    EXPECT_EQ(command_body("transfer"), json::parse(R"({"to":"sip:bob@example.com","command_id":"c"})"));
    http_.requests.clear();

    expect_validation(client_.transfer(std::string(kLeg), {}), "to");
    expect_validation(client_.transfer(std::string(kLeg), {.to = "bob"}), "to");
    expect_validation(client_.transfer(std::string(kLeg), {.to = "+15550001111", .from = ""}), "from");
    expect_validation(client_.transfer(std::string(kLeg), {.to = "+15550001111", .timeout_secs = 1}), "timeout_secs");
}

TEST_F(CallControlClientTest, BridgeNamesTheOtherLegInTheBody) {
    ASSERT_TRUE(client_
                    .bridge(std::string(kLeg), {.other_call_control_id = "v3:other",
                                                .park_after_unbridge = false,
                                                .play_ringtone = "us",
                                                .options = with_id("c")})
                    .ok());
    EXPECT_EQ(command_body("bridge"), json::parse(R"({"call_control_id":"v3:other","park_after_unbridge":false,
        "play_ringtone":"us","command_id":"c"})"));
    http_.requests.clear();

    ASSERT_TRUE(client_.bridge(std::string(kLeg), {.other_call_control_id = "v3:other", .options = with_id("c")}).ok());
    EXPECT_EQ(command_body("bridge"), json::parse(R"({"call_control_id":"v3:other","command_id":"c"})"));
    http_.requests.clear();

    expect_validation(client_.bridge(std::string(kLeg), {}), "other_call_control_id");
}

TEST_F(CallControlClientTest, RecordStartAndStop) {
    ASSERT_TRUE(client_.record_start(std::string(kLeg), {.options = with_id("c")}).ok());
    EXPECT_EQ(command_body("record_start"), json::parse(R"({"channels":"dual","format":"wav","command_id":"c"})"));
    http_.requests.clear();

    ASSERT_TRUE(client_
                    .record_start(std::string(kLeg), {.channels = "single",
                                                      .format = "mp3",
                                                      .play_beep = true,
                                                      .max_length = 600,
                                                      .timeout_secs = 2,
                                                      .trim = "trim-silence",
                                                      .options = with_id("c")})
                    .ok());
    EXPECT_EQ(command_body("record_start"), json::parse(R"({"channels":"single","format":"mp3","play_beep":true,
        "max_length":600,"timeout_secs":2,"trim":"trim-silence","command_id":"c"})"));
    http_.requests.clear();

    expect_validation(client_.record_start(std::string(kLeg), {.channels = "both"}), "channels");
    expect_validation(client_.record_start(std::string(kLeg), {.format = "flac"}), "format");
    expect_validation(client_.record_start(std::string(kLeg), {.max_length = -1}), "max_length");
    expect_validation(client_.record_start(std::string(kLeg), {.timeout_secs = -1}), "timeout_secs");
    expect_validation(client_.record_start(std::string(kLeg), {.trim = "yes"}), "trim");

    ASSERT_TRUE(client_.record_stop(std::string(kLeg), with_id("c")).ok());
    EXPECT_EQ(command_body("record_stop"), json::parse(R"({"command_id":"c"})"));
}

TEST_F(CallControlClientTest, StreamingStartAndStop) {
    ASSERT_TRUE(client_
                    .streaming_start(std::string(kLeg), {.stream_url = "wss://media.example/s",
                                                         .stream_track = "both_tracks",
                                                         .stream_bidirectional_mode = "rtp",
                                                         .stream_bidirectional_codec = "PCMU",
                                                         .options = with_id("c")})
                    .ok());
    EXPECT_EQ(command_body("streaming_start"), json::parse(R"({"stream_url":"wss://media.example/s",
        "stream_track":"both_tracks","stream_bidirectional_mode":"rtp","stream_bidirectional_codec":"PCMU",
        "command_id":"c"})"));
    http_.requests.clear();

    expect_validation(client_.streaming_start(std::string(kLeg), {.stream_track = "mono"}), "stream_track");
    expect_validation(client_.streaming_start(std::string(kLeg), {.stream_bidirectional_mode = "udp"}),
                      "stream_bidirectional_mode");

    ASSERT_TRUE(client_.streaming_stop(std::string(kLeg), with_id("c")).ok());
    EXPECT_EQ(command_body("streaming_stop"), json::parse(R"({"command_id":"c"})"));
}

TEST_F(CallControlClientTest, SendDtmf) {
    ASSERT_TRUE(
        client_.send_dtmf(std::string(kLeg), {.digits = "1w2W#*ABCD", .duration_millis = 250, .options = with_id("c")})
            .ok());
    EXPECT_EQ(command_body("send_dtmf"),
              json::parse(R"({"digits":"1w2W#*ABCD","duration_millis":250,"command_id":"c"})"));
    http_.requests.clear();

    expect_validation(client_.send_dtmf(std::string(kLeg), {}), "digits");
    expect_validation(client_.send_dtmf(std::string(kLeg), {.digits = "12a"}), "digits");
    expect_validation(client_.send_dtmf(std::string(kLeg), {.digits = "1 2"}), "digits");
    expect_validation(client_.send_dtmf(std::string(kLeg), {.digits = "1", .duration_millis = 0}), "duration_millis");
}

// --- what every command shares ---

// Every command with a minimal valid request, by its Telnyx action name.
std::vector<std::pair<std::string, std::function<core::Status(core::ports::Carrier&, const std::string&)>>>
every_command(const core::ports::CommandOptions& options) {
    using core::ports::Carrier;
    return {
        {"answer", [=](Carrier& c, const std::string& id) { return c.answer(id, {.options = options}); }},
        {"hangup", [=](Carrier& c, const std::string& id) { return c.hangup(id, options); }},
        {"reject", [=](Carrier& c, const std::string& id) { return c.reject(id, {.options = options}); }},
        {"speak",
         [=](Carrier& c, const std::string& id) { return c.speak(id, {.payload = "hi", .options = options}); }},
        {"playback_start",
         [=](Carrier& c, const std::string& id) {
             return c.playback_start(id, {.audio_url = "https://a", .options = options});
         }},
        {"playback_stop", [=](Carrier& c, const std::string& id) { return c.playback_stop(id, {.options = options}); }},
        {"gather", [=](Carrier& c, const std::string& id) { return c.gather(id, {.options = options}); }},
        {"gather_using_speak",
         [=](Carrier& c, const std::string& id) {
             return c.gather_using_speak(id, {.payload = "p", .options = options});
         }},
        {"gather_using_audio",
         [=](Carrier& c, const std::string& id) {
             return c.gather_using_audio(id, {.media_name = "m", .options = options});
         }},
        {"transfer",
         [=](Carrier& c, const std::string& id) { return c.transfer(id, {.to = "+15550001111", .options = options}); }},
        {"bridge",
         [=](Carrier& c, const std::string& id) {
             return c.bridge(id, {.other_call_control_id = "v3:b", .options = options});
         }},
        {"record_start", [=](Carrier& c, const std::string& id) { return c.record_start(id, {.options = options}); }},
        {"record_stop", [=](Carrier& c, const std::string& id) { return c.record_stop(id, options); }},
        {"streaming_start",
         [=](Carrier& c, const std::string& id) { return c.streaming_start(id, {.options = options}); }},
        {"streaming_stop", [=](Carrier& c, const std::string& id) { return c.streaming_stop(id, options); }},
        {"send_dtmf",
         [=](Carrier& c, const std::string& id) { return c.send_dtmf(id, {.digits = "1", .options = options}); }},
    };
}

TEST_F(CallControlClientTest, EveryCommandPostsToItsActionWithHeadersAndTheGivenCommandId) {
    const auto commands = every_command(with_id("stable-id"));
    ASSERT_EQ(commands.size(), 16u);
    for (const auto& [action, run] : commands) {
        // Twice: a caller repeating a command with its own id sends the same id again.
        for (int round = 0; round < 2; ++round) {
            ASSERT_TRUE(run(client_, std::string(kLeg)).ok()) << action;
            const auto body = command_body(action);
            EXPECT_EQ(body["command_id"], "stable-id") << action;
            EXPECT_FALSE(body.contains("client_state")) << action;
            http_.requests.clear();
        }
    }
}

TEST_F(CallControlClientTest, EveryCommandGeneratesAUuidCommandIdWhenNoneIsGiven) {
    for (const auto& [action, run] : every_command({})) {
        ASSERT_TRUE(run(client_, std::string(kLeg)).ok()) << action;
        ASSERT_TRUE(run(client_, std::string(kLeg)).ok()) << action;
        ASSERT_EQ(http_.requests.size(), 2u) << action;
        const auto first = json::parse(http_.requests[0].body)["command_id"].get<std::string>();
        const auto second = json::parse(http_.requests[1].body)["command_id"].get<std::string>();
        EXPECT_TRUE(is_uuid_v4(first)) << action << ": " << first;
        EXPECT_NE(first, second) << action;
        http_.requests.clear();
    }
}

TEST_F(CallControlClientTest, EveryCommandRefusesAnEmptyCallControlIdWithoutSending) {
    for (const auto& [action, run] : every_command(with_id("c"))) {
        SCOPED_TRACE(action);
        expect_validation(run(client_, ""), "call_control_id");
    }
}

TEST_F(CallControlClientTest, EveryCommandPassesTransportErrorsThrough) {
    for (const auto& [action, run] : every_command(with_id("c"))) {
        http_.fail(core::Error{ErrorCode::kTimeout, "deadline passed", {{"url", "https://telnyx.test/v2/calls"}}});
        const auto status = run(client_, std::string(kLeg));
        ASSERT_FALSE(status.ok()) << action;
        EXPECT_EQ(status.error().code, ErrorCode::kTimeout) << action;
        EXPECT_EQ(status.error().message, "deadline passed") << action;
        EXPECT_EQ(detail(status.error(), "url"), "https://telnyx.test/v2/calls") << action;
        EXPECT_EQ(detail(status.error(), "vendor"), "telnyx") << action;
        EXPECT_EQ(detail(status.error(), "action"), action);
        EXPECT_EQ(http_.requests.size(), 1u) << action;
        http_.requests.clear();
    }
}

TEST_F(CallControlClientTest, CallEndedIsSuccessForHangupOnly) {
    constexpr std::string_view kEnded =
        R"({"errors":[{"code":"90018","title":"Call has already ended","detail":"This call is no longer active and can't receive commands."}]})";
    for (const auto& [action, run] : every_command(with_id("c"))) {
        http_.reply(422, kEnded);
        const auto status = run(client_, std::string(kLeg));
        if (action == "hangup") {
            EXPECT_TRUE(status.ok()) << status.error().message;
        } else {
            ASSERT_FALSE(status.ok()) << action;
            EXPECT_EQ(status.error().code, ErrorCode::kVendor) << action;
            EXPECT_EQ(detail(status.error(), "vendor_code"), "90018") << action;
            EXPECT_EQ(detail(status.error(), "action"), action);
        }
        http_.requests.clear();
    }
}

TEST_F(CallControlClientTest, HangupFailsOnOtherErrors) {
    // Another 422 code.
    http_.reply(422, R"({"errors":[{"code":"90015","title":"Invalid call control id"}]})");
    const auto other_code = client_.hangup(std::string(kLeg), with_id("c"));
    ASSERT_FALSE(other_code.ok());
    EXPECT_EQ(detail(other_code.error(), "vendor_code"), "90015");
    // 90018 is only "already ended" as a 422.
    http_.reply(404, R"({"errors":[{"code":"90018","title":"x"}]})");
    EXPECT_FALSE(client_.hangup(std::string(kLeg), with_id("c")).ok());
    // A 422 without a body cannot be told apart from a real refusal.
    http_.reply(422, "");
    EXPECT_FALSE(client_.hangup(std::string(kLeg), with_id("c")).ok());
    // 90018 in a later entry still means the call is over.
    http_.reply(422, R"({"errors":[{"code":"10015","title":"a"},{"code":"90018","title":"b"}]})");
    EXPECT_TRUE(client_.hangup(std::string(kLeg), with_id("c")).ok());
}

struct VendorCase {
    int status;
    std::string body;
    std::string message;
    std::vector<std::pair<std::string, std::string>> details;
    HttpHeaders headers = {};
};

class CallControlVendorErrorTest : public CallControlClientTest, public ::testing::WithParamInterface<VendorCase> {};

TEST_P(CallControlVendorErrorTest, MapsTheAnswerToAVendorError) {
    const auto& param = GetParam();
    http_.reply(param.status, param.body, param.headers);
    const auto status = client_.speak(std::string(kLeg), {.payload = "hi", .options = with_id("c")});
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kVendor);
    EXPECT_EQ(status.error().message, param.message);
    EXPECT_EQ(detail(status.error(), "vendor"), "telnyx");
    EXPECT_EQ(detail(status.error(), "vendor_status"), std::to_string(param.status));
    EXPECT_EQ(detail(status.error(), "action"), "speak");
    for (const auto& [key, value] : param.details) {
        EXPECT_EQ(detail(status.error(), key), value) << key;
    }
    if (param.status != 429) {
        EXPECT_EQ(detail(status.error(), "retry_after_seconds"), std::nullopt);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, CallControlVendorErrorTest,
    ::testing::Values(
        VendorCase{422,
                   R"({"errors":[{"code":"10015","title":"Invalid value","detail":"voice is not supported",
                       "source":{"pointer":"/voice"}}]})",
                   "Telnyx 422: Invalid value: voice is not supported",
                   {{"vendor_code", "10015"},
                    {"vendor_title", "Invalid value"},
                    {"vendor_detail", "voice is not supported"},
                    {"vendor_pointer", "/voice"}}},
        VendorCase{
            401,
            R"({"errors":[{"code":"10009","title":"Authentication failed","detail":"Could not understand the provided credentials."}]})",
            "Telnyx 401: Authentication failed: Could not understand the provided credentials.",
            {{"vendor_code", "10009"}, {"vendor_title", "Authentication failed"}}},
        VendorCase{404,
                   R"({"errors":[{"code":"10005","title":"Resource not found"}]})",
                   "Telnyx 404: Resource not found",
                   {{"vendor_code", "10005"}, {"vendor_title", "Resource not found"}}},
        VendorCase{
            429,
            R"({"errors":[{"code":"10011","title":"Too many requests","detail":"You have exceeded the maximum number of allowed requests."}]})",
            "Telnyx 429: Too many requests: You have exceeded the maximum number of allowed requests.",
            {{"vendor_code", "10011"}, {"retry_after_seconds", "7"}},
            {{"retry-after", "7"}, {"x-ratelimit-reset", "30"}}},
        VendorCase{429,
                   R"({"errors":[{"code":"90103","title":"Too many outbound calls"}]})",
                   "Telnyx 429: Too many outbound calls",
                   {{"vendor_code", "90103"}, {"retry_after_seconds", "30"}},
                   {{"x-ratelimit-reset", "30"}}},
        VendorCase{429, "", "Telnyx 429", {{"retry_after_seconds", "1"}}},
        VendorCase{
            500,
            R"({"errors":[{"code":"10007","title":"Unexpected error","detail":"An unexpected error occured."}]})",
            "Telnyx 500: Unexpected error: An unexpected error occured.",
            {{"vendor_code", "10007"}}},
        VendorCase{502,
                   "<html>\r\n<body>Bad\tGateway</body>\r\n</html>\r\n",
                   "Telnyx 502: <html> <body>Bad Gateway</body> </html>",
                   {{"vendor_detail", "<html> <body>Bad Gateway</body> </html>"}}},
        VendorCase{503, "", "Telnyx 503", {}}));

TEST_F(CallControlClientTest, AnyTwoHundredIsSuccessWhateverTheBody) {
    for (const auto& [status, body] : std::vector<std::pair<int, std::string>>{
             {200, std::string(kOk)}, {200, "not json"}, {202, ""}, {204, ""}, {200, R"({"errors":[]})"}}) {
        http_.reply(status, body);
        EXPECT_TRUE(client_.playback_stop(std::string(kLeg), {.options = with_id("c")}).ok()) << status << body;
    }
}

TEST_F(CallControlClientTest, ACallControlIdCannotEscapeItsPathSegment) {
    ASSERT_TRUE(client_.hangup("v3:a/b c?d#e%f+g\xc3\xa9~._-", with_id("c")).ok());
    ASSERT_EQ(http_.requests.size(), 1u);
    EXPECT_EQ(http_.requests[0].url,
              std::string(kBase) + "/calls/v3:a%2Fb%20c%3Fd%23e%25f%2Bg%C3%A9~._-/actions/hangup");
}

TEST(CallControlClient, TrailingSlashesOfTheBaseUrlAreIgnoredAndAZeroDeadlineIsLeftToTheHttpClient) {
    FakeHttpClient http;
    auto options = test_options();
    options.base_url = "http://127.0.0.1:8080/v2//";
    options.deadline = std::chrono::milliseconds(0);
    CallControlClient client(options, http);
    ASSERT_TRUE(client.hangup("v3:x", with_id("c")).ok());
    ASSERT_EQ(http.requests.size(), 1u);
    EXPECT_EQ(http.requests[0].url, "http://127.0.0.1:8080/v2/calls/v3:x/actions/hangup");
    EXPECT_EQ(http.requests[0].deadline, std::nullopt);
}

}  // namespace
}  // namespace crossvoice::telnyx
