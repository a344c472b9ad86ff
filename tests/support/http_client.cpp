#include "support/http_client.hpp"

#include <poll.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/dynamic_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <stdexcept>

namespace crossvoice::testing {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using net::ip::tcp;

namespace {

ClientResponse convert(bhttp::response<bhttp::string_body>& message) {
    ClientResponse out;
    out.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        out.headers[name] = std::string(field.value());
    }
    out.body = message.body();
    out.keep_alive = message.keep_alive();
    return out;
}

}  // namespace

std::string ClientResponse::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
}

struct HttpClient::Impl {
    std::string host;
    std::uint16_t port;
    net::io_context ioc;
    std::optional<tcp::socket> socket;
    boost::beast::flat_buffer buffer;

    void ensure_connected() {
        if (socket && socket->is_open()) return;
        socket.emplace(ioc);
        socket->connect(tcp::endpoint(net::ip::make_address(host), port));
        socket->set_option(tcp::no_delay(true));
        buffer.clear();
    }
};

HttpClient::HttpClient(std::string host, std::uint16_t port) : impl_(std::make_unique<Impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
}

HttpClient::~HttpClient() = default;

void HttpClient::connect() { impl_->ensure_connected(); }

ClientResponse HttpClient::request(const std::string& method, const std::string& target,
                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& body) {
    for (int attempt = 0;; ++attempt) {
        impl_->ensure_connected();
        bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
        if (req.method() == bhttp::verb::unknown) req.method_string(method);
        req.set(bhttp::field::host, impl_->host);
        for (const auto& [name, value] : headers) req.set(name, value);
        req.body() = body;
        if (!body.empty() || method == "POST" || method == "PUT") req.prepare_payload();
        boost::system::error_code ec;
        bhttp::write(*impl_->socket, req, ec);
        bhttp::response<bhttp::string_body> res;
        if (!ec) {
            bhttp::response_parser<bhttp::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            bhttp::read(*impl_->socket, impl_->buffer, parser, ec);
            if (!ec) res = parser.release();
        }
        if (ec) {
            impl_->socket.reset();
            // A keep-alive connection the server closed in between: retry once on a new one.
            if (attempt == 0) continue;
            throw std::runtime_error("HTTP request failed: " + ec.message());
        }
        auto out = convert(res);
        if (!out.keep_alive) impl_->socket.reset();
        return out;
    }
}

std::optional<ClientResponse> HttpClient::raw(const std::string& bytes) {
    impl_->socket.reset();
    impl_->ensure_connected();
    boost::system::error_code ec;
    net::write(*impl_->socket, net::buffer(bytes), ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(*impl_->socket, impl_->buffer, parser, ec);
    if (ec) {
        impl_->socket.reset();
        return std::nullopt;
    }
    auto message = parser.release();
    auto out = convert(message);
    if (!out.keep_alive) impl_->socket.reset();
    return out;
}

bool HttpClient::closed_by_server_within(std::chrono::milliseconds wait) {
    impl_->ensure_connected();
    pollfd fd{impl_->socket->native_handle(), POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(wait.count()));
    if (ready <= 0) return false;
    char byte;
    boost::system::error_code ec;
    const auto n = impl_->socket->read_some(net::buffer(&byte, 1), ec);
    const bool closed = ec == net::error::eof || ec == net::error::connection_reset || (n == 0 && ec);
    if (closed) impl_->socket.reset();
    return closed;
}

std::vector<std::pair<std::string, std::string>> json_headers(const std::string& key) {
    return {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
}

}  // namespace crossvoice::testing
