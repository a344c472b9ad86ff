#include "integration/service_fixture.hpp"

#include "support/service_database.hpp"

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

namespace crossvoice::testing {
namespace {

// Every test of a binary that starts services skips (fails under CI=true) when the database
// CROSSVOICE_TEST_DATABASE selects cannot be had here: the PostgreSQL registration on a machine without the test
// servers.
class ServiceDatabaseEnvironment final : public ::testing::Environment {
  public:
    void SetUp() override {
        const std::string reason = service_database_unavailable();
        if (reason.empty()) return;
        const char* ci = std::getenv("CI");
        if (ci != nullptr && std::string(ci) == "true") FAIL() << reason;
        GTEST_SKIP() << reason;
    }
};

[[maybe_unused]] const auto* const kServiceDatabaseEnvironment =
    ::testing::AddGlobalTestEnvironment(new ServiceDatabaseEnvironment);

}  // namespace

void ServiceTest::start(std::map<std::string, std::string> env) {
    client_.reset();
    service_.reset();
    service_ = std::make_unique<ServiceProcess>(dir_.path(), std::move(env));
    client_ = std::make_unique<HttpClient>("127.0.0.1", service_->port());
    tetrix_ = service_->development_key("TETRIX");
    joromi_ = service_->development_key("JOROMI");
}

void ServiceTest::TearDown() {
    client_.reset();
    if (service_) {
        EXPECT_EQ(service_->terminate(), 0) << service_->stderr_text();
        service_.reset();
    }
    drop_service_database(dir_.path());
}

JsonResponse ServiceTest::call(const std::string& method, const std::string& target, const std::string& key,
                               const std::string& body) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    JsonResponse out;
    out.raw = client_->request(method, target, headers, body);
    out.status = out.raw.status;
    out.body = nlohmann::json::parse(out.raw.body, nullptr, false);
    return out;
}

std::string ServiceTest::open_session(const std::string& key, const nlohmann::json& body) {
    auto response = call_json("POST", "/api/voice/sessions", key, body);
    EXPECT_EQ(response.status, 201) << response.raw.body;
    return response.body.value("sessionId", "");
}

nlohmann::json ServiceTest::wait_for(const std::function<nlohmann::json()>& read,
                                     const std::function<bool(const nlohmann::json&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    nlohmann::json seen;
    while (std::chrono::steady_clock::now() < deadline) {
        seen = read();
        if (done(seen)) return seen;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling interval, not a stand-in
    }
    ADD_FAILURE() << "gave up waiting; last seen: " << seen.dump(2);
    return seen;
}

std::map<std::string, std::string> ServiceTest::db_env() const {
    return {{"CROSSVOICE_DATA_DIR", (dir_.path() / "data").string()},
            {"DATABASE_URL", service_database_url(dir_.path())}};
}

}  // namespace crossvoice::testing
