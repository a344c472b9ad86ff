#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/http_client.hpp"
#include "support/service_process.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::testing {

struct JsonResponse {
    int status = 0;
    nlohmann::json body;
    ClientResponse raw;
};

// One fresh service per test: its own data directory and database, development keys read back.
class ServiceTest : public ::testing::Test {
  protected:
    void SetUp() override { start({}); }
    void TearDown() override;

    void start(std::map<std::string, std::string> env);
    JsonResponse call(const std::string& method, const std::string& target, const std::string& key,
                      const std::string& body = "");
    JsonResponse call_json(const std::string& method, const std::string& target, const std::string& key,
                           const nlohmann::json& body) {
        return call(method, target, key, body.dump());
    }
    // Opens a session and returns its id (asserting success).
    std::string open_session(const std::string& key, const nlohmann::json& body);
    std::map<std::string, std::string> db_env() const;
    // Reads until `done` holds (work that goes through jobs and callbacks) or 20 s pass, polling; the last value
    // read either way, with a test failure when it never held.
    nlohmann::json wait_for(const std::function<nlohmann::json()>& read,
                            const std::function<bool(const nlohmann::json&)>& done);

    TempDir dir_;
    std::unique_ptr<ServiceProcess> service_;
    std::unique_ptr<HttpClient> client_;
    std::string tetrix_;
    std::string joromi_;
};

}  // namespace crossvoice::testing
