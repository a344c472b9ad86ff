#include "integration/service_fixture.hpp"

namespace crossvoice::testing {
namespace {

class Auth : public ServiceTest {};

TEST_F(Auth, ApiRoutesNeedABearerKey) {
    auto missing = call("GET", "/api/voice/sessions", "");
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(missing.body["code"], "unauthorized");

    auto basic = client_->request("GET", "/api/voice/sessions", {{"Authorization", "Basic dXNlcjpwYXNz"}});
    EXPECT_EQ(basic.status, 401);

    EXPECT_EQ(call("GET", "/api/voice/sessions", "cv_tetrix_notarealkey").status, 401);
    EXPECT_EQ(call("GET", "/api/voice/sessions", "garbage").status, 401);
    // A real key with another platform's prefix is refused too.
    EXPECT_EQ(call("GET", "/api/voice/sessions", "cv_joromi_" + tetrix_.substr(10)).status, 401);

    EXPECT_EQ(call("GET", "/api/voice/sessions", tetrix_).status, 200);
    EXPECT_EQ(call("GET", "/healthz", "").status, 200) << "health needs no key";
}

TEST_F(Auth, UnauthenticatedWritesChangeNothing) {
    EXPECT_EQ(call_json("POST", "/api/voice/sessions", "", {{"channel", "voice"}}).status, 401);
    EXPECT_EQ(call_json("POST", "/api/voice/sessions", "cv_tetrix_bad", {{"channel", "voice"}}).status, 401);
    EXPECT_EQ(call("GET", "/api/voice/sessions", tetrix_).body["count"], 0);
}

TEST_F(Auth, KeysFromTheCommandLineWorkAndRevokedKeysStop) {
    auto created = run_crossvoice({"keys", "create", "--platform", "joromi", "--name", "ci"}, db_env(), dir_.path());
    ASSERT_EQ(created.exit_code, 0) << created.err;
    const auto last_newline = created.out.find_last_of('\n', created.out.size() - 2);
    const std::string key = created.out.substr(last_newline + 1, created.out.size() - last_newline - 2);
    ASSERT_EQ(key.rfind("cv_joromi_", 0), 0u) << created.out;

    const auto id = open_session(key, {{"channel", "chat"}});
    auto seen = call("GET", "/api/voice/sessions/" + id, joromi_);
    EXPECT_EQ(seen.status, 200) << "a key sees its whole platform";

    const auto key_id_start = created.out.find("key_");
    const std::string key_id = created.out.substr(key_id_start, created.out.find(' ', key_id_start) - key_id_start);
    auto revoked = run_crossvoice({"keys", "revoke", key_id}, db_env(), dir_.path());
    ASSERT_EQ(revoked.exit_code, 0) << revoked.err;

    auto refused = call("GET", "/api/voice/sessions", key);
    EXPECT_EQ(refused.status, 401);
    EXPECT_NE(refused.body["error"].get<std::string>().find("revoked"), std::string::npos);
    EXPECT_EQ(call("GET", "/api/voice/sessions", joromi_).status, 200) << "other keys keep working";
}

}  // namespace
}  // namespace crossvoice::testing
