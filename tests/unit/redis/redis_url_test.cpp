#include "redis/redis_url.hpp"

#include <gtest/gtest.h>

namespace crossvoice::redis {
namespace {

TEST(RedisUrl, ReadsHostPortDatabaseAndCredentials) {
    auto plain = parse_redis_url("redis://cache.internal");
    ASSERT_TRUE(plain.ok()) << plain.error().message;
    EXPECT_EQ(plain->host, "cache.internal");
    EXPECT_EQ(plain->port, 6379);
    EXPECT_EQ(plain->database, 0);
    EXPECT_FALSE(plain->password.has_value());

    auto full = parse_redis_url("redis://svc:p%40ss%3Aword@10.0.0.5:6380/3");
    ASSERT_TRUE(full.ok()) << full.error().message;
    EXPECT_EQ(full->host, "10.0.0.5");
    EXPECT_EQ(full->port, 6380);
    EXPECT_EQ(full->database, 3);
    EXPECT_EQ(full->user, "svc");
    EXPECT_EQ(full->password, "p@ss:word");
    EXPECT_EQ(full->describe(), "10.0.0.5:6380/3") << "the password never appears in descriptions";

    auto password_only = parse_redis_url("redis://:secret@localhost/");
    ASSERT_TRUE(password_only.ok()) << password_only.error().message;
    EXPECT_FALSE(password_only->user.has_value());
    EXPECT_EQ(password_only->password, "secret");
}

TEST(RedisUrl, RefusesWhatItCannotUseNamingTheProblem) {
    const std::pair<const char*, const char*> cases[] = {
        {"http://localhost", "redis://"},
        {"rediss://localhost", "TLS"},
        {"redis://", "no host"},
        {"redis://:pw@", "no host"},
        {"redis://localhost:0", "port"},
        {"redis://localhost:70000", "port"},
        {"redis://localhost:63x9", "port"},
        {"redis://localhost/db", "database"},
        {"redis://:p%4@localhost", "escape"},
        {"redis://:p%zz@localhost", "escape"},
    };
    for (const auto& [url, named] : cases) {
        auto parsed = parse_redis_url(url);
        ASSERT_FALSE(parsed.ok()) << url;
        EXPECT_EQ(parsed.error().code, core::ErrorCode::kValidation) << url;
        EXPECT_NE(parsed.error().message.find(named), std::string::npos) << url << ": " << parsed.error().message;
    }
}

}  // namespace
}  // namespace crossvoice::redis
