#include <gtest/gtest.h>

#include "sandbox_fixture.hpp"

namespace crossvoice::sandbox::testing {
namespace {

using RequestValidationTest = SandboxTest;

TEST_F(RequestValidationTest, AMissingOrEmptyBearerIsRefusedAs10009) {
    for (const auto& bearer : {std::optional<std::string>{}, std::optional<std::string>{""}}) {
        const auto reply = send(http::Method::kPost, "/v2/calls", dial_body("+15550100123").dump(), bearer);
        EXPECT_EQ(reply.status, 401);
        EXPECT_EQ(reply.error_code(), "10009");
        EXPECT_EQ(reply.json["errors"][0]["title"], "Authentication failed");
    }
    const auto command = send(http::Method::kPost, "/v2/calls/v3:abc/actions/hangup", "{}", std::nullopt);
    EXPECT_EQ(command.status, 401);
    EXPECT_EQ(command.error_code(), "10009");
}

TEST_F(RequestValidationTest, AConfiguredKeyMustMatch) {
    const auto reply = send(http::Method::kPost, "/v2/calls", dial_body("+15550100123").dump(), "KEY-other");
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.error_code(), "10009");
}

TEST_F(RequestValidationTest, WithoutAConfiguredKeyAnyBearerIsAccepted) {
    options_.api_key.reset();
    const auto reply = send(http::Method::kPost, "/v2/calls", dial_body("+15550100123").dump(), "anything");
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
}

TEST_F(RequestValidationTest, MalformedJsonIsATelnyxError) {
    for (const auto* body : {"{\"to\":", "[1,2]", "\"text\""}) {
        SCOPED_TRACE(body);
        const auto reply = send(http::Method::kPost, "/v2/calls", body);
        EXPECT_EQ(reply.status, 400);
        EXPECT_EQ(reply.error_code(), "10023");
    }
}

struct BadDial {
    nlohmann::json change;  // merged into a valid dial body; null removes a field
    const char* pointer;
};

TEST_F(RequestValidationTest, DialFieldsAreCheckedWithThePointerOfTheField) {
    const std::vector<BadDial> cases{
        {{{"connection_id", nullptr}}, "/connection_id"},
        {{{"connection_id", ""}}, "/connection_id"},
        {{{"to", nullptr}}, "/to"},
        {{{"from", nullptr}}, "/from"},
        {{{"to", "5550100123"}}, "/to"},
        {{{"from", "+0123"}}, "/from"},
        {{{"from", "sip:alice@example.com"}}, "/from"},
        {{{"timeout_secs", 4}}, "/timeout_secs"},
        {{{"timeout_secs", 601}}, "/timeout_secs"},
        {{{"timeout_secs", "30"}}, "/timeout_secs"},
        {{{"time_limit_secs", 14401}}, "/time_limit_secs"},
        {{{"record", true}}, "/record"},
        {{{"record", "record-always"}}, "/record"},
        {{{"record_channels", "stereo"}}, "/record_channels"},
        {{{"client_state", "not base64!"}}, "/client_state"},
        {{{"answering_machine_detection", "maybe"}}, "/answering_machine_detection"},
        {{{"webhook_url", 5}}, "/webhook_url"},
    };
    for (const auto& bad : cases) {
        SCOPED_TRACE(bad.change.dump());
        auto body = dial_body("+15550100123");
        for (const auto& [key, value] : bad.change.items()) {
            if (value.is_null()) {
                body.erase(key);
            } else {
                body[key] = value;
            }
        }
        const auto reply = post("/v2/calls", body);
        EXPECT_EQ(reply.status, 422) << reply.raw.body;
        EXPECT_EQ(reply.error_pointer(), bad.pointer);
        EXPECT_FALSE(reply.error_code().empty());
    }
    EXPECT_EQ(get("/sandbox/calls").json["data"].size(), 0U) << "no refused dial placed a call";
}

TEST_F(RequestValidationTest, ASipDestinationIsAccepted) {
    const auto reply = post("/v2/calls", dial_body("sip:agent@pbx.example.com", {{"timeout_secs", 5}}));
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
}

TEST_F(RequestValidationTest, CommandFieldsAreCheckedWithThePointerOfTheField) {
    const auto id = answered_call();
    const std::vector<std::tuple<const char*, nlohmann::json, const char*>> cases{
        {"speak", {{"payload", "Hello"}}, "/voice"},
        {"speak", {{"voice", "female"}}, "/payload"},
        {"speak", {{"voice", "female"}, {"payload", std::string(3001, 'a')}}, "/payload"},
        {"speak", {{"voice", "female"}, {"payload", "Hi"}, {"payload_type", "html"}}, "/payload_type"},
        {"reject", {{"cause", "BECAUSE"}}, "/cause"},
        {"playback_start", nlohmann::json::object(), "/audio_url"},
        {"gather", {{"maximum_digits", 0}}, "/maximum_digits"},
        {"gather", {{"terminating_digit", "##"}}, "/terminating_digit"},
        {"gather_using_speak", {{"voice", "female"}}, "/payload"},
        {"gather_using_audio", nlohmann::json::object(), "/audio_url"},
        {"transfer", nlohmann::json::object(), "/to"},
        {"transfer", {{"to", "nobody"}}, "/to"},
        {"bridge", nlohmann::json::object(), "/call_control_id"},
        {"record_start", {{"format", "wav"}}, "/channels"},
        {"record_start", {{"channels", "dual"}}, "/format"},
        {"send_dtmf", nlohmann::json::object(), "/digits"},
        {"send_dtmf", {{"digits", "12x"}}, "/digits"},
        {"hangup", {{"client_state", "%%%"}}, "/client_state"},
    };
    for (const auto& [action, body, pointer] : cases) {
        SCOPED_TRACE(std::string(action) + " " + body.dump().substr(0, 80));
        const auto reply = command(id, action, body);
        EXPECT_EQ(reply.status, 422) << reply.raw.body;
        EXPECT_EQ(reply.error_pointer(), pointer);
    }
    EXPECT_EQ(get("/sandbox/calls/" + id).json["data"]["state"], "answered") << "refused commands did nothing";
}

TEST_F(RequestValidationTest, AnUnknownCallIsNotFound) {
    const auto reply = command("v3:nope", "hangup");
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(reply.error_code(), "10005");
    EXPECT_EQ(get("/sandbox/calls/v3:nope").status, 404);
}

TEST_F(RequestValidationTest, AnUnknownActionIsNotFound) {
    const auto id = dial();
    const auto reply = command(id, "teleport");
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(reply.error_code(), "10005");
}

}  // namespace
}  // namespace crossvoice::sandbox::testing
