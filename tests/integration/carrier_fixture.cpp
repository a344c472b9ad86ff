#include "integration/carrier_fixture.hpp"

#include <sodium.h>

#include <ctime>
#include <thread>

namespace crossvoice::testing {

void CarrierTest::start_carrier(SandboxTiming timing, std::map<std::string, std::string> service_env) {
    client_.reset();
    service_.reset();
    sandbox_.reset();
    sandbox_ = std::make_unique<ServiceProcess>(
        dir_.path() / "sandbox", std::map<std::string, std::string>{}, std::chrono::seconds(30),
        std::vector<std::string>{"sandbox-carrier", "--listen", "127.0.0.1:0", "--api-key", "test-telnyx-key",
                                 "--key-seed", kSeedHex, "--ring-delay-ms", std::to_string(timing.ring_delay_ms),
                                 "--answer-delay-ms", std::to_string(timing.answer_delay_ms), "--talk-time-ms",
                                 std::to_string(timing.talk_time_ms), "--no-answer-ms",
                                 std::to_string(timing.no_answer_ms), "--stall-ms", std::to_string(timing.stall_ms)});
    sandbox_url_ = "http://127.0.0.1:" + std::to_string(sandbox_->port());
    const std::string public_key = sandbox_->printed("public key: ");
    ASSERT_FALSE(public_key.empty()) << "the sandbox did not print its public key";

    std::map<std::string, std::string> env{
        {"TELNYX_API_KEY", "test-telnyx-key"},   {"TELNYX_API_BASE_URL", sandbox_url_ + "/v2"},
        {"TELNYX_PUBLIC_KEY", public_key},       {"TELNYX_CONNECTION_ID", "conn-test"},
        {"TELNYX_PHONE_NUMBER", "+12025550100"}, {"CROSSVOICE_CARRIER_TIMEOUT_MS", "1000"},
        {"CROSSVOICE_CARRIER_ATTEMPTS", "2"},    {"CROSSVOICE_JOB_BACKOFF_MS", "20"},
        {"CROSSVOICE_JOB_MAX_ATTEMPTS", "3"},
    };
    for (auto& [key, value] : service_env) env[key] = value;
    start(env);
}

void CarrierTest::TearDown() {
    ServiceTest::TearDown();
    if (sandbox_) {
        EXPECT_EQ(sandbox_->terminate(), 0) << sandbox_->stderr_text();
    }
}

JsonResponse CarrierTest::initiate(const nlohmann::json& body, const std::string& key) {
    return call_json("POST", "/api/voice/initiate", key.empty() ? tetrix_ : key, body);
}

nlohmann::json CarrierTest::wait_for_call(const std::string& call_id,
                                          const std::function<bool(const nlohmann::json&)>& done,
                                          std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    nlohmann::json last;
    while (true) {
        auto response = call("GET", "/api/voice/calls/" + call_id, tetrix_);
        if (response.status == 200) {
            last = response.body["call"];
            if (done(last)) return last;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ADD_FAILURE() << "call " << call_id << " never reached the expected state; last seen: " << last.dump();
            return last;
        }
        // Polling the API: the state changes in another process, and the API is what a client would watch.
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
}

ClientResponse CarrierTest::deliver(const std::string& body, long long timestamp_offset_s) {
    unsigned char seed[crypto_sign_SEEDBYTES];
    sodium_hex2bin(seed, sizeof seed, kSeedHex, 64, nullptr, nullptr, nullptr);
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
    crypto_sign_seed_keypair(public_key, secret_key, seed);
    const std::string timestamp = std::to_string(static_cast<long long>(std::time(nullptr)) + timestamp_offset_s);
    const std::string message = timestamp + "|" + body;
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         secret_key);
    char encoded[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(encoded, sizeof encoded, signature, sizeof signature, sodium_base64_VARIANT_ORIGINAL);
    return client_->request(
        "POST", "/api/voice/webhook",
        {{"Content-Type", "application/json"}, {"Telnyx-Signature-Ed25519", encoded}, {"Telnyx-Timestamp", timestamp}},
        body);
}

std::vector<std::string> CarrierTest::event_types(const nlohmann::json& call) {
    std::vector<std::string> types;
    for (const auto& event : call.value("events", nlohmann::json::array())) types.push_back(event.value("type", ""));
    return types;
}

}  // namespace crossvoice::testing
