#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "fakes.hpp"
#include "http/router.hpp"
#include "sandbox/sandbox_carrier.hpp"

namespace crossvoice::sandbox::testing {

struct Reply {
    int status = 0;
    nlohmann::json json;  // discarded when the body is not JSON
    http::Response raw;

    // errors[0].code / errors[0].source.pointer of a Telnyx error body, "" when absent.
    std::string error_code() const;
    std::string error_pointer() const;
};

// A sandbox carrier on a router, driven by calling the route handlers directly with http::Request (the server
// itself is covered by server_test.cpp). Delays are a few milliseconds; a test that needs other options changes
// options_ before its first request (the carrier is created then).
class SandboxTest : public ::testing::Test {
  public:
    static constexpr const char* kWebhook = "http://hooks.test/telnyx";
    static constexpr const char* kKey = "KEY-test";
    static constexpr const char* kHost = "sandbox.test:8080";

  protected:
    SandboxTest();
    ~SandboxTest() override;

    SandboxCarrier& carrier();
    Reply send(http::Method method, const std::string& path, const std::string& body = "",
               std::optional<std::string> bearer = std::string(kKey));
    Reply post(const std::string& path, const nlohmann::json& body) {
        return send(http::Method::kPost, path, body.dump());
    }
    Reply get(const std::string& path) { return send(http::Method::kGet, path); }
    Reply command(const std::string& id, const std::string& action,
                  const nlohmann::json& body = nlohmann::json::object()) {
        return post("/v2/calls/" + id + "/actions/" + action, body);
    }

    // A dial body to `to` with every required field; `extra` is merged in.
    static nlohmann::json dial_body(const std::string& to, const nlohmann::json& extra = nlohmann::json::object());
    // Dials and returns the call_control_id (fails the test when the dial is refused).
    std::string dial(const std::string& to = "+15550100123", const nlohmann::json& extra = nlohmann::json::object());
    // Dials and waits for call.answered.
    std::string answered_call(const nlohmann::json& extra = nlohmann::json::object());

    // Every delivery so far: signature valid under the carrier's public key (telnyx::WebhookVerifier), body
    // accepted by telnyx::parse_call_event, meta.attempt as the parser reads it.
    void expect_all_deliveries_verify_and_parse();

    SandboxOptions options_;
    CapturingHttpClient http_;
    FakeSpeech speech_;
    core::SystemClock clock_;
    http::Router router_;

  private:
    std::unique_ptr<SandboxCarrier> carrier_;
};

}  // namespace crossvoice::sandbox::testing
