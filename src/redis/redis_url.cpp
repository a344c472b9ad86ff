#include "redis/redis_url.hpp"

#include <charconv>

#include <fmt/format.h>

namespace crossvoice::redis {
namespace {

constexpr std::string_view kField = "REDIS_URL";

core::Error bad(std::string message) { return core::Error::validation(std::string(kField), std::move(message)); }

std::optional<int> number_in(std::string_view text, int low, int high) {
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || stop != end || value < low || value > high) return std::nullopt;
    return value;
}

// %XX escapes in the user and password (a password may hold '@' or ':').
core::Result<std::string> percent_decoded(std::string_view text, std::string_view what) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        int value = 0;
        if (i + 2 >= text.size()) return bad(fmt::format("the {} has a bad % escape", what));
        const auto hex = text.substr(i + 1, 2);
        const auto [stop, error] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
        if (hex.size() != 2 || error != std::errc{} || stop != hex.data() + 2) {
            return bad(fmt::format("the {} has a bad % escape", what));
        }
        out += static_cast<char>(value);
        i += 2;
    }
    return out;
}

}  // namespace

std::string RedisEndpoint::describe() const { return fmt::format("{}:{}/{}", host, port, database); }

core::Result<RedisEndpoint> parse_redis_url(std::string_view url) {
    constexpr std::string_view kScheme = "redis://";
    if (url.rfind("rediss://", 0) == 0) return bad("rediss:// (Redis over TLS) is not supported; use redis://");
    if (url.rfind(kScheme, 0) != 0) return bad("must start with redis://");
    std::string_view rest = url.substr(kScheme.size());

    RedisEndpoint endpoint;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        const auto path = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (!path.empty()) {
            const auto database = number_in(path, 0, 1'000'000);
            if (!database) return bad("the database after '/' must be a number (0, 1, …)");
            endpoint.database = *database;
        }
    }
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        const auto credentials = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = credentials.find(':');
        const auto user = credentials.substr(0, colon);
        if (!user.empty()) {
            auto decoded = percent_decoded(user, "user");
            if (!decoded) return std::move(decoded).error();
            endpoint.user = std::move(decoded).value();
        }
        if (colon != std::string_view::npos) {
            auto decoded = percent_decoded(credentials.substr(colon + 1), "password");
            if (!decoded) return std::move(decoded).error();
            endpoint.password = std::move(decoded).value();
        }
    }
    if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        const auto port = number_in(rest.substr(colon + 1), 1, 65535);
        if (!port) return bad("the port must be a number from 1 to 65535");
        endpoint.port = *port;
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) return bad("has no host");
    endpoint.host = std::string(rest);
    return endpoint;
}

}  // namespace crossvoice::redis
