#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace crossvoice::amqp {

// Where a RabbitMQ broker is: AMQP_URL in the form amqp://user:password@host[:port][/vhost] (vhost percent-encoded:
// "/" is %2f, the default when the path is empty).
struct AmqpEndpoint {
    std::string host;
    int port = 5672;
    std::string user = "guest";
    std::string password = "guest";  // never logged: describe() leaves it out
    std::string vhost = "/";
    std::string describe() const;  // host:port/vhost
};

// Errors (kValidation, field "AMQP_URL") name what is wrong: another scheme (amqps:// needs TLS, which this build
// does not use), no host, a port out of range, a bad % escape.
core::Result<AmqpEndpoint> parse_amqp_url(std::string_view url);

}  // namespace crossvoice::amqp
