#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

class HttpBehaviour : public ServiceTest {
  protected:
    void SetUp() override {
        start({{"CROSSVOICE_MAX_BODY_BYTES", "2048"},
               {"CROSSVOICE_IDLE_TIMEOUT_MS", "300"},
               {"CROSSVOICE_HEADER_TIMEOUT_MS", "300"}});
    }
};

TEST_F(HttpBehaviour, UnknownRouteIs404WithTheErrorShape) {
    auto response = call("GET", "/api/nothing/here", tetrix_);
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.body["success"], false);
    EXPECT_EQ(response.body["code"], "not_found");
    EXPECT_TRUE(response.body["error"].is_string());
    EXPECT_TRUE(response.body["details"].is_object());
}

TEST_F(HttpBehaviour, WrongMethodIs405WithAllow) {
    auto response = call("DELETE", "/api/voice/sessions", tetrix_);
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.body["code"], "method_not_allowed");
    EXPECT_EQ(response.raw.header("allow"), "POST, GET");
}

TEST_F(HttpBehaviour, OversizeBodyIs413AndCreatesNothing) {
    const std::string big = "{\"channel\":\"voice\",\"metadata\":{\"pad\":\"" + std::string(4096, 'x') + "\"}}";
    auto response = call("POST", "/api/voice/sessions", tetrix_, big);
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(response.body["code"], "payload_too_large");
    EXPECT_EQ(call("GET", "/api/voice/sessions", tetrix_).body["count"], 0);
}

TEST_F(HttpBehaviour, OversizeChunkedBodyIs413) {
    std::string request = "POST /api/voice/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tetrix_ +
                          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 4; ++i) request += "400\r\n" + std::string(1024, ' ') + "\r\n";
    request += "0\r\n\r\n";
    auto response = client_->raw(request);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 413);
}

TEST_F(HttpBehaviour, RequestIdIsEchoedOrGenerated) {
    auto echoed = client_->request("GET", "/healthz", {{"X-Request-Id", "abc-123.def"}});
    EXPECT_EQ(echoed.header("x-request-id"), "abc-123.def");
    auto generated = client_->request("GET", "/healthz");
    EXPECT_EQ(generated.header("x-request-id").rfind("req_", 0), 0u);
    auto forged = client_->request("GET", "/healthz", {{"X-Request-Id", "bad id\" with spaces"}});
    EXPECT_EQ(forged.header("x-request-id").rfind("req_", 0), 0u) << "unsafe ids are replaced";
}

TEST_F(HttpBehaviour, KeepAliveServesPipelinedRequestsOnOneConnection) {
    const std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    HttpClient raw("127.0.0.1", service_->port());
    auto first = raw.raw(one + one);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->status, 200);
    EXPECT_TRUE(first->keep_alive);
    auto close = client_->request("GET", "/healthz", {{"Connection", "close"}});
    EXPECT_FALSE(close.keep_alive);
}

TEST_F(HttpBehaviour, IdleConnectionsAreClosed) {
    client_->connect();
    EXPECT_TRUE(client_->closed_by_server_within(std::chrono::seconds(10)));
}

TEST_F(HttpBehaviour, SlowHeadersAreCutOff) {
    HttpClient slow("127.0.0.1", service_->port());
    // Half a request line, then nothing: the header timeout closes the connection without a response.
    EXPECT_FALSE(slow.raw("GET /healthz HT").has_value());
}

TEST_F(HttpBehaviour, HugeNumbersAreBadJsonNotServerErrors) {
    auto response = call("POST", "/api/voice/sessions", tetrix_, "{\"channel\":\"voice\",\"metadata\":{\"n\":1e400}}");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(response.body["code"], "bad_request");
}

TEST_F(HttpBehaviour, MalformedHttpIs400) {
    auto response = client_->raw("THIS IS NOT HTTP\r\n\r\n");
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 400);
}

TEST_F(HttpBehaviour, SigtermStopsCleanly) {
    EXPECT_EQ(call("GET", "/healthz", "").status, 200);
    EXPECT_EQ(service_->terminate(), 0);
    EXPECT_NE(service_->stderr_text().find("crossvoice stopped"), std::string::npos);
}

}  // namespace
}  // namespace crossvoice::testing
