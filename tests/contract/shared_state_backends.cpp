#include "shared_state_backends.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "infra/memory_rate_limiter.hpp"
#include "redis/redis_client.hpp"
#include "redis/redis_rate_limiter.hpp"
#include "redis/redis_replay_guard.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_replay_guard.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::contract {
namespace {

constexpr const char* kRedisUrlVariable = "CROSSVOICE_TEST_REDIS_URL";

class EmbeddedBackend final : public SharedStateBackend {
  public:
    EmbeddedBackend() {
        auto opened = storage::SqliteDatabase::open((dir_.path() / "crossvoice.db").string());
        if (!opened) throw std::runtime_error(opened.error().message);
        db_ = std::move(opened).value();
        auto migrated = storage::migrate(*db_, storage::sqlite_migrations(), clock());
        if (!migrated) throw std::runtime_error(migrated.error().message);
        marks_ = std::make_unique<storage::SqliteReplayGuard>(*db_);
    }
    core::ports::RateLimiter& rate_limiter() override { return limiter_; }
    core::ports::ReplayGuard& replay_guard() override { return *marks_; }
    std::string key(const std::string& name) override { return name; }

  private:
    testing::TempDir dir_;
    infra::MemoryRateLimiter limiter_{clock()};
    std::unique_ptr<storage::SqliteDatabase> db_;
    std::unique_ptr<storage::SqliteReplayGuard> marks_;
};

// Shares the test server with concurrent test processes, so every key carries this process's id and a counter
// instead of the database being flushed.
class RedisBackend final : public SharedStateBackend {
  public:
    explicit RedisBackend(const std::string& url) {
        auto endpoint = redis::parse_redis_url(url);
        if (!endpoint) throw std::runtime_error(endpoint.error().message);
        client_ = std::make_unique<redis::RedisClient>(*endpoint, redis::RedisClientOptions{8, {}, {}});
        if (auto up = client_->ping(); !up) throw std::runtime_error(up.error().message);
        limiter_ = std::make_unique<redis::RedisRateLimiter>(*client_, clock(), "contract");
        marks_ = std::make_unique<redis::RedisReplayGuard>(*client_);
        static std::atomic<int> counter{0};
        prefix_ = "t" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ":";
    }
    core::ports::RateLimiter& rate_limiter() override { return *limiter_; }
    core::ports::ReplayGuard& replay_guard() override { return *marks_; }
    std::string key(const std::string& name) override { return prefix_ + name; }

  private:
    std::unique_ptr<redis::RedisClient> client_;
    std::unique_ptr<redis::RedisRateLimiter> limiter_;
    std::unique_ptr<redis::RedisReplayGuard> marks_;
    std::string prefix_;
};

}  // namespace

std::vector<SharedStateFactory> shared_state_backends() {
    return {
        {"Embedded", [] { return std::unique_ptr<SharedStateBackend>(std::make_unique<EmbeddedBackend>()); }},
        {"Redis",
         []() -> std::unique_ptr<SharedStateBackend> {
             const char* url = std::getenv(kRedisUrlVariable);
             if (url == nullptr || *url == '\0') return nullptr;
             return std::make_unique<RedisBackend>(url);
         }},
    };
}

void SharedStateContractTest::SetUp() {
    backend_ = GetParam().make();
    if (backend_) return;
    // A missing server is a failure in CI (scripts/test-servers.sh must have started it) and a skip elsewhere.
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
        FAIL() << kRedisUrlVariable << " is not set: run the suite through scripts/with-test-servers.sh";
    }
    GTEST_SKIP() << kRedisUrlVariable << " is not set (scripts/with-test-servers.sh starts a Redis)";
}

}  // namespace crossvoice::contract
