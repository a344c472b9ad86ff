// Two crossvoice instances sharing PostgreSQL, Redis and RabbitMQ (scripts/test-servers.sh) behind nginx
// (deploy/nginx/test-two-instances.conf.template), with the sandbox carrier as a third process.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/fake_stt_servers.hpp"
#include "support/http_client.hpp"
#include "support/live_client.hpp"
#include "support/service_process.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace crossvoice::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kSeedHex = "4d7c2f0a9b1e3c5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? "" : value;
}

std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

// A program run in the background (nginx, psql), killed when the object goes.
class Child {
  public:
    explicit Child(const std::vector<std::string>& argv) {
        std::vector<char*> args;
        for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        if (posix_spawnp(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0) pid_ = -1;
    }
    ~Child() { stop(SIGTERM); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    bool started() const { return pid_ > 0; }
    int stop(int signal_number) {
        if (pid_ <= 0) return -1;
        ::kill(pid_, signal_number);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return status;
    }

  private:
    pid_t pid_ = -1;
};

// Runs a command to completion; its exit status.
int run(const std::vector<std::string>& argv) {
    Child child(argv);
    if (!child.started()) return -1;
    return child.stop(0);  // signal 0 only checks; waitpid then waits for the natural exit
}

std::string telnyx_event(const std::string& id, const std::string& type, const std::string& call_control_id,
                         const std::string& client_state) {
    std::string encoded(sodium_base64_ENCODED_LEN(client_state.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(client_state.data()),
                      client_state.size(), sodium_base64_VARIANT_ORIGINAL);
    encoded.resize(std::strlen(encoded.c_str()));
    json payload{{"call_control_id", call_control_id},
                 {"call_leg_id", "leg-" + call_control_id},
                 {"call_session_id", "session-" + call_control_id},
                 {"connection_id", "conn-test"},
                 {"client_state", encoded},
                 {"from", "+12025550100"},
                 {"to", "+14155550504"},
                 {"direction", "outgoing"}};
    json body{{"data",
               {{"record_type", "event"},
                {"event_type", type},
                {"id", id},
                {"occurred_at", "2026-11-24T10:00:05.000Z"},
                {"payload", payload}}},
              {"meta", {{"attempt", 1}, {"delivered_to", "http://127.0.0.1/api/voice/webhook"}}}};
    return body.dump();
}

// The signature headers the sandbox's key gives `body` now.
HeaderList signed_headers(const std::string& body) {
    unsigned char seed[crypto_sign_SEEDBYTES];
    sodium_hex2bin(seed, sizeof seed, kSeedHex, 64, nullptr, nullptr, nullptr);
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
    crypto_sign_seed_keypair(public_key, secret_key, seed);
    const std::string timestamp = std::to_string(static_cast<long long>(std::time(nullptr)));
    const std::string message = timestamp + "|" + body;
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         secret_key);
    char encoded[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(encoded, sizeof encoded, signature, sizeof signature, sodium_base64_VARIANT_ORIGINAL);
    return {
        {"Content-Type", "application/json"}, {"Telnyx-Signature-Ed25519", encoded}, {"Telnyx-Timestamp", timestamp}};
}

// A counter's value in an instance's /metrics ("name{labels}" exactly as exposed); 0 when absent.
double metric(std::uint16_t port, const std::string& series) {
    HttpClient client("127.0.0.1", port);
    const auto response = client.request("GET", "/metrics", {}, "");
    std::size_t at = 0;
    while ((at = response.body.find(series + " ", at)) != std::string::npos) {
        if (at == 0 || response.body[at - 1] == '\n') return std::stod(response.body.substr(at + series.size() + 1));
        at += series.size();
    }
    return 0;
}

class ScaleOutTest : public ::testing::Test {
  protected:
    void SetUp() override {
        postgres_ = env_or_empty("CROSSVOICE_TEST_POSTGRES_URL");
        redis_ = env_or_empty("CROSSVOICE_TEST_REDIS_URL");
        amqp_ = env_or_empty("CROSSVOICE_TEST_AMQP_URL");
        if (postgres_.empty() || redis_.empty() || amqp_.empty()) {
            if (env_or_empty("CI") == "true") FAIL() << "the scale-out servers are not running (CROSSVOICE_TEST_*_URL)";
            GTEST_SKIP() << "run through scripts/with-test-servers.sh for PostgreSQL, Redis and RabbitMQ";
        }
        // A database of this test's own on the shared server.
        static std::atomic<int> counter{0};
        const std::string name = "cv_scale_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        ASSERT_EQ(run({"psql", "-q", postgres_, "-c", "CREATE DATABASE " + name}), 0) << "cannot create " << name;
        database_url_ = postgres_.substr(0, postgres_.rfind('/') + 1) + name;

        sandbox_ = std::make_unique<ServiceProcess>(
            dir_.path() / "sandbox", std::map<std::string, std::string>{}, 30s,
            std::vector<std::string>{"sandbox-carrier", "--listen", "127.0.0.1:0", "--api-key", "test-telnyx-key",
                                     "--key-seed", kSeedHex, "--stall-ms", "2500"});
        public_key_ = sandbox_->printed("public key: ");
        ASSERT_FALSE(public_key_.empty()) << "the sandbox did not print its public key";
        nginx_port_ = free_port();
    }

    void TearDown() override {
        nginx_.reset();
        for (auto* instance : {&a_, &b_}) {
            if (*instance) (*instance)->terminate();
            instance->reset();
        }
        if (sandbox_) sandbox_->terminate();
    }

    // One instance on the shared servers; its calls' webhooks go to `webhook_base`.
    std::unique_ptr<ServiceProcess> start_instance(const std::string& name, const std::string& webhook_base,
                                                   std::map<std::string, std::string> extra = {}) {
        std::map<std::string, std::string> env{
            {"DATABASE_URL", database_url_},
            {"REDIS_URL", redis_},
            {"AMQP_URL", amqp_},
            {"TELNYX_API_KEY", "test-telnyx-key"},
            {"TELNYX_API_BASE_URL", "http://127.0.0.1:" + std::to_string(sandbox_->port()) + "/v2"},
            {"TELNYX_PUBLIC_KEY", public_key_},
            {"TELNYX_CONNECTION_ID", "conn-test"},
            {"TELNYX_PHONE_NUMBER", "+12025550100"},
            {"CROSSVOICE_CARRIER_TIMEOUT_MS", "1000"},
            {"CROSSVOICE_CARRIER_ATTEMPTS", "2"},
            {"WEBHOOK_BASE_URL", webhook_base},
            // Audio stored by one instance is read by a job on another: shared storage.
            {"CROSSVOICE_BLOB_DIR", (dir_.path() / "blobs").string()},
        };
        for (auto& [key, value] : extra) env[key] = value;
        return std::make_unique<ServiceProcess>(dir_.path() / name, env);
    }

    // A then B (B's keys file holds the development keys both use: they share the database), then nginx.
    void start_pair() {
        b_ = start_instance("b", front());
        key_ = b_->development_key("TETRIX");
        // A's calls are advanced by webhooks that land on B.
        a_ = start_instance("a", "http://127.0.0.1:" + std::to_string(b_->port()));
        start_nginx();
    }

    void start_nginx() {
        const auto prefix = dir_.path() / "nginx";
        ASSERT_EQ(run({std::string(CROSSVOICE_SOURCE_DIR) + "/deploy/nginx/render-test-config.sh", prefix.string(),
                       std::to_string(nginx_port_), "127.0.0.1:" + std::to_string(a_->port()),
                       "127.0.0.1:" + std::to_string(b_->port())}),
                  0);
        nginx_ = std::make_unique<Child>(
            std::vector<std::string>{"nginx", "-p", prefix.string(), "-c", (prefix / "nginx.conf").string()});
        ASSERT_TRUE(nginx_->started());
        // nginx is up once it answers; until then connecting fails.
        for (int i = 0; i < 200; ++i) {
            try {
                HttpClient probe("127.0.0.1", nginx_port_);
                if (probe.request("GET", "/healthz", {}, "").status == 200) return;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(25ms);  // polling a server that is starting
        }
        FAIL() << "nginx did not answer on port " << nginx_port_;
    }

    std::string front() const { return "http://127.0.0.1:" + std::to_string(nginx_port_); }

    json get_json(std::uint16_t port, const std::string& target) {
        HttpClient client("127.0.0.1", port);
        const auto response = client.request("GET", target, {{"Authorization", "Bearer " + key_}}, "");
        if (response.status != 200) return json();
        return json::parse(response.body, nullptr, false);
    }

    // Reads until `done` holds or 20 s pass (the work happens in other processes); the last value read.
    json wait_for(const std::function<json()>& read, const std::function<bool(const json&)>& done) {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        json last;
        while (std::chrono::steady_clock::now() < deadline) {
            last = read();
            if (!last.is_discarded() && !last.is_null() && done(last)) return last;
            std::this_thread::sleep_for(25ms);
        }
        ADD_FAILURE() << "never reached the expected state; last read: " << last.dump();
        return last;
    }

    TempDir dir_;
    std::string postgres_, redis_, amqp_, database_url_, public_key_, key_;
    std::uint16_t nginx_port_ = 0;
    std::unique_ptr<ServiceProcess> sandbox_, a_, b_;
    std::unique_ptr<Child> nginx_;
};

TEST_F(ScaleOutTest, ACallPlacedThroughOneInstanceIsAdvancedByWebhooksLandingOnTheOther) {
    start_pair();
    HttpClient client("127.0.0.1", a_->port());
    const auto placed = client.request("POST", "/api/voice/initiate",
                                       {{"Authorization", "Bearer " + key_}, {"Content-Type", "application/json"}},
                                       json{{"to", "+14155550123"}}.dump());
    ASSERT_EQ(placed.status, 200) << placed.body;
    const auto call_id = json::parse(placed.body).value("callId", "");

    // Read through nginx: whichever instance answers sees the same call.
    const auto done = wait_for([&] { return get_json(nginx_port_, "/api/voice/calls/" + call_id); },
                               [](const json& body) { return body["call"].value("status", "") == "completed"; });
    EXPECT_EQ(done["call"]["status"], "completed");
    EXPECT_GT(metric(b_->port(), "crossvoice_webhooks_total{outcome=\"new\"}"), 0) << "B processed the webhooks";
    EXPECT_EQ(metric(a_->port(), "crossvoice_webhooks_total{outcome=\"new\"}"), 0) << "none reached A";
}

TEST_F(ScaleOutTest, OneWebhookDeliveredToBothInstancesAtOnceIsProcessedOnce) {
    start_pair();
    // The sandbox stalls this number: the call stays "initiated" and the test delivers its events itself.
    HttpClient client("127.0.0.1", a_->port());
    const auto slow = client.request("POST", "/api/voice/initiate",
                                     {{"Authorization", "Bearer " + key_}, {"Content-Type", "application/json"}},
                                     json{{"to", "+14155550504"}}.dump());
    ASSERT_EQ(slow.status, 504) << slow.body;
    const auto details = json::parse(slow.body)["details"];
    const std::string call_id = details.value("callId", "");
    const std::string state = "cv1|tetrix|" + details.value("sessionId", "") + "|" + call_id;
    const auto answered = telnyx_event("ev-both", "call.answered", "v3:both", state);
    const auto headers = signed_headers(answered);

    std::atomic<int> ok{0};
    std::atomic<int> fresh{0};
    std::vector<std::thread> senders;
    for (int i = 0; i < 6; ++i) {
        const auto port = i % 2 == 0 ? a_->port() : b_->port();
        senders.emplace_back([&, port] {
            HttpClient sender("127.0.0.1", port);
            const auto response = sender.request("POST", "/api/voice/webhook", headers, answered);
            if (response.status != 200) return;
            ++ok;
            if (json::parse(response.body)["duplicate"] == false) ++fresh;
        });
    }
    for (auto& sender : senders) sender.join();
    EXPECT_EQ(ok.load(), 6);
    EXPECT_EQ(fresh.load(), 1) << "exactly one instance processed the event";
    const auto stored = get_json(b_->port(), "/api/voice/calls/" + call_id);
    EXPECT_EQ(stored["call"]["events"].size(), 1U) << stored.dump();
    EXPECT_EQ(stored["call"]["status"], "answered");
}

TEST_F(ScaleOutTest, AConsoleOnOneInstanceReceivesEventsRaisedOnTheOther) {
    start_pair();
    EventStreamClient stream("127.0.0.1", a_->port(), "/api/events", {{"Authorization", "Bearer " + key_}});
    ASSERT_EQ(stream.status(), 200) << stream.body();

    HttpClient client("127.0.0.1", b_->port());
    const auto opened = client.request("POST", "/api/voice/sessions",
                                       {{"Authorization", "Bearer " + key_}, {"Content-Type", "application/json"}},
                                       json{{"channel", "chat"}, {"customerId", "cust-scale"}}.dump());
    ASSERT_EQ(opened.status, 201) << opened.body;
    const auto session_id = json::parse(opened.body)["session"].value("id", "");

    bool seen = false;
    for (int i = 0; i < 50 && !seen; ++i) {
        const auto event = stream.next_event(10s);
        ASSERT_TRUE(event.has_value()) << "no event reached instance A";
        seen = event->data.find(session_id) != std::string::npos;
    }
    EXPECT_TRUE(seen) << "the session opened on B never showed on A's stream";
}

TEST_F(ScaleOutTest, AJobOfAKilledInstanceIsRedeliveredAndCompletedByTheOther) {
    // A transcription job whose engine (a Deepgram fake) holds the first request: the instance running it is
    // killed mid-work, and the other one takes the job over from RabbitMQ and completes it.
    FakeDeepgram deepgram;
    deepgram.delay_next(60s);
    const std::map<std::string, std::string> engine{{"DEEPGRAM_API_KEY", deepgram.api_key()},
                                                    {"DEEPGRAM_API_BASE_URL", deepgram.base_url()},
                                                    {"CROSSVOICE_TRANSCRIBE_SYNC_SECONDS", "1"}};
    // Only A runs at first, so A takes the job.
    a_ = start_instance("a", front(), engine);
    key_ = a_->development_key("TETRIX");

    // Three seconds of silence: longer than the 1 s answered in the request, so it becomes a job.
    std::string wav(44 + 3 * 16000 * 2, '\0');
    const auto put32 = [&](std::size_t at, std::uint32_t value) {
        for (int i = 0; i < 4; ++i) wav[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
    };
    const auto put16 = [&](std::size_t at, std::uint16_t value) {
        wav[at] = static_cast<char>(value & 0xff);
        wav[at + 1] = static_cast<char>(value >> 8);
    };
    wav.replace(0, 4, "RIFF");
    put32(4, static_cast<std::uint32_t>(wav.size() - 8));
    wav.replace(8, 8, "WAVEfmt ");
    put32(16, 16);
    put16(20, 1);
    put16(22, 1);
    put32(24, 16000);
    put32(28, 32000);
    put16(32, 2);
    put16(34, 16);
    wav.replace(36, 4, "data");
    put32(40, static_cast<std::uint32_t>(wav.size() - 44));

    HttpClient client("127.0.0.1", a_->port());
    const auto queued = client.request("POST", "/api/voice/transcribe",
                                       {{"Authorization", "Bearer " + key_}, {"Content-Type", "audio/wav"}}, wav);
    ASSERT_EQ(queued.status, 202) << queued.body;
    const auto job_id = json::parse(queued.body).value("jobId", "");

    // A's worker is inside the job once the engine has the request.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (deepgram.requests().empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(25ms);
    }
    ASSERT_EQ(deepgram.requests().size(), 1U) << "A never started the job";

    b_ = start_instance("b", front(), engine);
    a_->kill_now();  // SIGKILL: no drain, the job's delivery is never acked
    a_.reset();

    const auto done = wait_for([&] { return get_json(b_->port(), "/api/voice/transcribe/" + job_id); },
                               [](const json& body) { return body.value("status", "") == "completed"; });
    EXPECT_EQ(done["status"], "completed") << done.dump();
    EXPECT_EQ(done["attempts"], 2) << "taken over after the first attempt died";
    EXPECT_EQ(deepgram.requests().size(), 2U);
}

}  // namespace
}  // namespace crossvoice::testing
