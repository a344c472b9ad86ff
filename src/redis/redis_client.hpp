#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "redis/redis_url.hpp"

struct redisContext;

namespace crossvoice::redis {

// One reply, copied out of hiredis's tree so that nothing of the connection outlives the call.
struct RedisReply {
    enum class Kind { kNil, kString, kInteger, kArray, kStatus };
    Kind kind = Kind::kNil;
    std::string text;  // kString, kStatus
    long long integer = 0;
    std::vector<RedisReply> elements;  // kArray
};

struct RedisClientOptions {
    int pool_size = 4;
    std::chrono::milliseconds connect_timeout{1000};
    // Bounds every command: a Redis that stops answering turns into kUnavailable, never a stuck request thread.
    std::chrono::milliseconds command_timeout{1000};
};

// A bounded pool of blocking hiredis connections, shared by the request and worker threads. A connection that
// fails (reset, timeout, protocol error) is dropped and a fresh one is dialled on the next use, so a Redis
// restart costs the commands in flight and nothing more. Thread-safe.
class RedisClient {
  public:
    RedisClient(RedisEndpoint endpoint, RedisClientOptions options = {});
    ~RedisClient();
    RedisClient(const RedisClient&) = delete;
    RedisClient& operator=(const RedisClient&) = delete;

    // Runs one command given as its arguments (binary safe). `operation` names it in errors. Errors: kUnavailable
    // when Redis cannot be reached or does not answer in time, or answers LOADING/READONLY/MASTERDOWN; kInternal
    // for any other error reply (its text names the problem, never the arguments, which may be keys with PII).
    core::Result<RedisReply> command(const std::vector<std::string>& arguments, std::string_view operation);

    // PING, for readiness.
    core::Status ping();

    const RedisEndpoint& endpoint() const { return endpoint_; }

  private:
    struct ContextDeleter {
        void operator()(redisContext* context) const;
    };
    using Context = std::unique_ptr<redisContext, ContextDeleter>;

    core::Result<Context> dial();
    Context take();
    void give_back(Context context);

    const RedisEndpoint endpoint_;
    const RedisClientOptions options_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<Context> idle_;
    int leased_ = 0;
};

}  // namespace crossvoice::redis
