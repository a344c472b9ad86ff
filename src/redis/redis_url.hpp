#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace crossvoice::redis {

// Where a Redis server is: REDIS_URL in the form redis://[[user]:password@]host[:port][/db].
struct RedisEndpoint {
    std::string host;
    int port = 6379;
    int database = 0;
    std::optional<std::string> user;
    std::optional<std::string> password;  // never logged: describe() leaves it out
    // host:port/db, for logs and status pages.
    std::string describe() const;
};

// Errors (kValidation, field "REDIS_URL") name what is wrong: another scheme (rediss:// needs TLS, which this
// build does not speak), an empty host, a port or database that is not a number in range.
core::Result<RedisEndpoint> parse_redis_url(std::string_view url);

}  // namespace crossvoice::redis
