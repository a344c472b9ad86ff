#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "integration/service_fixture.hpp"

namespace crossvoice::testing {

struct SandboxTiming {
    int ring_delay_ms = 20;
    int answer_delay_ms = 150;
    int talk_time_ms = 600;
    int no_answer_ms = 300;
    int stall_ms = 2500;
};

// The service and the sandbox carrier as two processes on loopback, the service configured exactly as for real
// Telnyx (API key, base URL, connection id, webhook public key) but pointed at the sandbox.
class CarrierTest : public ServiceTest {
  protected:
    // The sandbox's Ed25519 seed: fixed, so that tests can sign deliveries of their own.
    static constexpr const char* kSeedHex = "4d7c2f0a9b1e3c5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";

    void SetUp() override { start_carrier({}, {}); }
    void TearDown() override;

    void start_carrier(SandboxTiming timing, std::map<std::string, std::string> service_env);

    // Places a call and returns the response (asserting nothing).
    JsonResponse initiate(const nlohmann::json& body, const std::string& key = "");
    // GET /api/voice/calls/{id} until `done(call)` holds or `wait` passes; returns the last call seen.
    nlohmann::json wait_for_call(const std::string& call_id, const std::function<bool(const nlohmann::json&)>& done,
                                 std::chrono::milliseconds wait = std::chrono::seconds(15));
    nlohmann::json wait_for_status(const std::string& call_id, const std::string& status) {
        return wait_for_call(call_id, [&](const nlohmann::json& call) { return call.value("status", "") == status; });
    }
    // A Telnyx webhook body and its signature headers, signed with the sandbox's key at `timestamp`.
    ClientResponse deliver(const std::string& body, long long timestamp_offset_s = 0);
    // Event types of a call's timeline, in order.
    static std::vector<std::string> event_types(const nlohmann::json& call);

    std::unique_ptr<ServiceProcess> sandbox_;
    std::string sandbox_url_;
};

}  // namespace crossvoice::testing
