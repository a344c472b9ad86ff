#include "sandbox_fixture.hpp"

#include "telnyx/call_event_parser.hpp"
#include "telnyx/webhook_verifier.hpp"

namespace crossvoice::sandbox::testing {

std::string Reply::error_code() const {
    if (!json.is_object() || !json.contains("errors") || json["errors"].empty()) return "";
    return json["errors"][0].value("code", "");
}

std::string Reply::error_pointer() const {
    if (!json.is_object() || !json.contains("errors") || json["errors"].empty()) return "";
    const auto& entry = json["errors"][0];
    if (!entry.contains("source")) return "";
    return entry["source"].value("pointer", "");
}

SandboxTest::SandboxTest() {
    options_.api_key = kKey;
    options_.default_webhook_url = kWebhook;
    options_.ring_delay = std::chrono::milliseconds(5);
    options_.answer_delay = std::chrono::milliseconds(20);
    options_.talk_time = std::chrono::seconds(30);  // calls end when the test says, unless it shortens this
    options_.no_answer_after = std::chrono::milliseconds(60);
    options_.stall = std::chrono::milliseconds(50);
    options_.speak_time_per_character = std::chrono::milliseconds(1);
    options_.playback_time = std::chrono::milliseconds(20);
    options_.record_second = std::chrono::milliseconds(10);
}

SandboxTest::~SandboxTest() = default;

SandboxCarrier& SandboxTest::carrier() {
    if (!carrier_) {
        carrier_ = std::make_unique<SandboxCarrier>(options_, http_, speech_, clock_);
        carrier_->add_routes(router_);
    }
    return *carrier_;
}

Reply SandboxTest::send(http::Method method, const std::string& path, const std::string& body,
                        std::optional<std::string> bearer) {
    carrier();
    http::Request request;
    request.method = method;
    request.target = path;
    request.path = path;
    request.body = body;
    request.headers = {{"host", kHost}, {"content-type", "application/json"}};
    if (bearer) request.headers.emplace_back("authorization", "Bearer " + *bearer);

    Reply reply;
    const auto match = router_.match(method, path);
    if (match.route == nullptr) {
        ADD_FAILURE() << "no route for " << path;
        return reply;
    }
    http::RequestContext context{request, "req-test", match.params, std::nullopt, {}};
    auto result = match.route->handler(context);
    if (!result) {
        ADD_FAILURE() << "handler returned an error instead of a Telnyx body: " << result.error().message;
        return reply;
    }
    reply.raw = std::move(result).value();
    reply.status = reply.raw.status;
    reply.json = nlohmann::json::parse(reply.raw.body, nullptr, false);
    return reply;
}

nlohmann::json SandboxTest::dial_body(const std::string& to, const nlohmann::json& extra) {
    nlohmann::json body{{"connection_id", "conn-1"}, {"to", to}, {"from", "+15550109999"}};
    body.update(extra);
    return body;
}

std::string SandboxTest::dial(const std::string& to, const nlohmann::json& extra) {
    const auto reply = post("/v2/calls", dial_body(to, extra));
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
    if (reply.status != 200) return "";
    return reply.json["data"]["call_control_id"].get<std::string>();
}

std::string SandboxTest::answered_call(const nlohmann::json& extra) {
    const auto id = dial("+15550100123", extra);
    EXPECT_TRUE(http_.wait_for(id, "call.answered").has_value()) << "the call was never answered";
    return id;
}

void SandboxTest::expect_all_deliveries_verify_and_parse() {
    auto verifier = telnyx::WebhookVerifier::create(carrier().public_key_base64(), clock_);
    ASSERT_TRUE(verifier.ok()) << verifier.error().message;
    const auto deliveries = http_.deliveries();
    EXPECT_FALSE(deliveries.empty());
    for (const auto& delivery : deliveries) {
        SCOPED_TRACE(delivery.body);
        EXPECT_EQ(delivery.content_type, "application/json");
        ASSERT_TRUE(delivery.signature.has_value());
        ASSERT_TRUE(delivery.timestamp.has_value());
        const auto verified = verifier->verify(*delivery.signature, *delivery.timestamp, delivery.body);
        EXPECT_TRUE(verified.ok()) << (verified.ok() ? "" : verified.error().message);
        const auto event = telnyx::parse_call_event(delivery.body);
        ASSERT_TRUE(event.ok()) << event.error().message;
        EXPECT_EQ(event->event_type, delivery.event_type());
        EXPECT_EQ(event->attempt, delivery.attempt());
        EXPECT_EQ(delivery.json["meta"]["delivered_to"], delivery.url);
    }
}

}  // namespace crossvoice::sandbox::testing
