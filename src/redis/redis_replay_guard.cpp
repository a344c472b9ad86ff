#include "redis/redis_replay_guard.hpp"

#include <algorithm>

namespace crossvoice::redis {

core::Result<bool> RedisReplayGuard::first_use(const std::string& key, core::TimePoint now,
                                               core::TimePoint expires_at) {
    // A mark that is already out of date when taken still counts as a first use; it lives for 1 ms.
    const auto lifetime = std::max<std::int64_t>(core::to_unix_ms(expires_at) - core::to_unix_ms(now), 1);
    auto reply =
        client_.command({"SET", prefix_ + ":once:" + key, "1", "NX", "PX", std::to_string(lifetime)}, "mark once");
    if (!reply) return std::move(reply).error();
    if (reply->kind == RedisReply::Kind::kStatus && reply->text == "OK") return true;
    if (reply->kind == RedisReply::Kind::kNil) return false;
    return core::Error::internal("redis: SET NX answered neither OK nor nil");
}

}  // namespace crossvoice::redis
