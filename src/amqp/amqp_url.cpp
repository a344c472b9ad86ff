#include "amqp/amqp_url.hpp"

#include <charconv>

#include <fmt/format.h>

namespace crossvoice::amqp {
namespace {

core::Error bad(std::string message) { return core::Error::validation("AMQP_URL", std::move(message)); }

core::Result<std::string> percent_decoded(std::string_view text, std::string_view what) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return bad(fmt::format("the {} has a bad % escape", what));
        int value = 0;
        const auto* begin = text.data() + i + 1;
        const auto [stop, error] = std::from_chars(begin, begin + 2, value, 16);
        if (error != std::errc{} || stop != begin + 2) return bad(fmt::format("the {} has a bad % escape", what));
        out += static_cast<char>(value);
        i += 2;
    }
    return out;
}

}  // namespace

std::string AmqpEndpoint::describe() const {
    return fmt::format("{}:{}{}{}", host, port, vhost == "/" ? "" : "/", vhost);
}

core::Result<AmqpEndpoint> parse_amqp_url(std::string_view url) {
    constexpr std::string_view kScheme = "amqp://";
    if (url.rfind("amqps://", 0) == 0) return bad("amqps:// (AMQP over TLS) is not supported; use amqp://");
    if (url.rfind(kScheme, 0) != 0) return bad("must start with amqp://");
    std::string_view rest = url.substr(kScheme.size());

    AmqpEndpoint endpoint;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        const auto path = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (!path.empty()) {
            auto vhost = percent_decoded(path, "virtual host");
            if (!vhost) return std::move(vhost).error();
            endpoint.vhost = std::move(vhost).value();
        }
    }
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        const auto credentials = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = credentials.find(':');
        auto user = percent_decoded(credentials.substr(0, colon), "user");
        if (!user) return std::move(user).error();
        endpoint.user = std::move(user).value();
        endpoint.password.clear();
        if (colon != std::string_view::npos) {
            auto password = percent_decoded(credentials.substr(colon + 1), "password");
            if (!password) return std::move(password).error();
            endpoint.password = std::move(password).value();
        }
    }
    if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        const auto digits = rest.substr(colon + 1);
        int port = 0;
        const auto [stop, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (digits.empty() || error != std::errc{} || stop != digits.data() + digits.size() || port < 1 ||
            port > 65535) {
            return bad("the port must be a number from 1 to 65535");
        }
        endpoint.port = port;
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) return bad("has no host");
    endpoint.host = std::string(rest);
    return endpoint;
}

}  // namespace crossvoice::amqp
