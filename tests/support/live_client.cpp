#include "support/live_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <stdexcept>

namespace crossvoice::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using net::ip::tcp;

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

// ---- Server-Sent Events ----

struct EventStreamClient::Impl {
    net::io_context ioc;
    tcp::socket socket{ioc};
    std::string buffer;  // received, not yet consumed
    bool eof = false;

    // Reads more into `buffer`; false when `wait` passed or the connection ended.
    bool read_more(std::chrono::milliseconds wait) {
        if (eof) return false;
        char chunk[4096];
        bool done = false;
        std::size_t got = 0;
        boost::system::error_code result;
        socket.async_read_some(net::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
            done = true;
            result = ec;
            got = n;
        });
        ioc.restart();
        ioc.run_for(wait);
        if (!done) {
            boost::system::error_code ignored;
            socket.cancel(ignored);
            ioc.restart();
            ioc.run();
            buffer.append(chunk, got);
            return false;
        }
        buffer.append(chunk, got);
        if (result) eof = true;
        return got > 0;
    }
};

EventStreamClient::EventStreamClient(const std::string& host, std::uint16_t port, const std::string& target,
                                     const HeaderList& headers)
    : impl_(std::make_unique<Impl>()) {
    tcp::resolver resolver(impl_->ioc);
    net::connect(impl_->socket, resolver.resolve(host, std::to_string(port)));
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    request += "\r\n";
    net::write(impl_->socket, net::buffer(request));

    std::size_t end = std::string::npos;
    while ((end = impl_->buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!impl_->read_more(std::chrono::seconds(10))) throw std::runtime_error("no response head");
    }
    const std::string head = impl_->buffer.substr(0, end);
    impl_->buffer.erase(0, end + 4);
    status_ = std::stoi(head.substr(head.find(' ') + 1, 3));
    std::size_t line = head.find("\r\n");
    while (line != std::string::npos) {
        const auto next_line = head.find("\r\n", line + 2);
        const auto text =
            head.substr(line + 2, next_line == std::string::npos ? std::string::npos : next_line - line - 2);
        if (const auto colon = text.find(':'); colon != std::string::npos) {
            auto value = text.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            headers_[lower(text.substr(0, colon))] = value;
        }
        line = next_line;
    }
    if (status_ != 200) {
        const auto length = headers_.count("content-length") ? std::stoul(headers_["content-length"]) : 0;
        while (impl_->buffer.size() < length && impl_->read_more(std::chrono::seconds(10))) {
        }
        body_ = impl_->buffer;
    }
}

EventStreamClient::~EventStreamClient() = default;

std::string EventStreamClient::header(const std::string& name) const {
    const auto found = headers_.find(name);
    return found == headers_.end() ? std::string() : found->second;
}

std::optional<EventStreamClient::Event> EventStreamClient::next(std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    std::size_t end = std::string::npos;
    while ((end = impl_->buffer.find("\n\n")) == std::string::npos) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !impl_->read_more(left)) {
            if (impl_->buffer.find("\n\n") != std::string::npos) continue;
            return std::nullopt;
        }
    }
    const std::string block = impl_->buffer.substr(0, end);
    impl_->buffer.erase(0, end + 2);
    Event event;
    event.type = "message";
    event.comment = true;
    std::size_t start = 0;
    while (start <= block.size()) {
        const auto stop = block.find('\n', start);
        const auto text = block.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
        if (!text.empty() && text.front() != ':') {
            event.comment = false;
            const auto colon = text.find(':');
            const auto field = text.substr(0, colon);
            auto value = colon == std::string::npos ? std::string() : text.substr(colon + 1);
            if (!value.empty() && value.front() == ' ') value.erase(0, 1);
            if (field == "id") event.id = value;
            if (field == "event") event.type = value;
            if (field == "data") event.data += (event.data.empty() ? "" : "\n") + value;
        }
        if (stop == std::string::npos) break;
        start = stop + 1;
    }
    return event;
}

std::optional<EventStreamClient::Event> EventStreamClient::next_event(std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        auto event = next(left);
        if (!event || !event->comment) return event;
    }
}

bool EventStreamClient::closed_by_server_within(std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (!impl_->eof) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        impl_->buffer.clear();
        impl_->read_more(left);
    }
    return true;
}

void EventStreamClient::close() {
    boost::system::error_code ignored;
    impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
    impl_->socket.close(ignored);
}

// ---- WebSocket ----

struct WebSocketClient::Impl {
    net::io_context ioc;
    websocket::stream<beast::tcp_stream> ws{ioc};
    beast::flat_buffer buffer;

    enum class Read { kMessage, kEnded, kTimedOut };

    // One message into `buffer`, within `wait`.
    Read read_one(std::chrono::milliseconds wait) {
        bool done = false;
        beast::error_code result;
        ws.async_read(buffer, [&](beast::error_code ec, std::size_t) {
            done = true;
            result = ec;
        });
        ioc.restart();
        ioc.run_for(wait);
        if (!done) {
            beast::get_lowest_layer(ws).cancel();
            ioc.restart();
            ioc.run();
            return Read::kTimedOut;
        }
        return result ? Read::kEnded : Read::kMessage;
    }
};

WebSocketClient::WebSocketClient(const std::string& host, std::uint16_t port, const std::string& target,
                                 const HeaderList& headers, const std::vector<std::string>& protocols)
    : impl_(std::make_unique<Impl>()) {
    tcp::resolver resolver(impl_->ioc);
    beast::get_lowest_layer(impl_->ws).connect(resolver.resolve(host, std::to_string(port)));
    std::string offered;
    for (const auto& protocol : protocols) offered += (offered.empty() ? "" : ", ") + protocol;
    impl_->ws.set_option(websocket::stream_base::decorator([headers, offered](websocket::request_type& request) {
        for (const auto& [name, value] : headers) request.set(name, value);
        if (!offered.empty()) request.set(beast::http::field::sec_websocket_protocol, offered);
    }));
    websocket::response_type response;
    beast::error_code ec;
    impl_->ws.handshake(response, host, target, ec);
    if (ec) {
        refused_status_ = static_cast<int>(response.result_int());
        refused_body_ = response.body().empty() ? ec.message() : response.body();
        return;
    }
    connected_ = true;
    protocol_ = std::string(response[beast::http::field::sec_websocket_protocol]);
}

WebSocketClient::~WebSocketClient() = default;

std::optional<std::string> WebSocketClient::next(std::chrono::milliseconds wait) {
    if (!connected_) return std::nullopt;
    const auto outcome = impl_->read_one(wait);
    if (outcome != Impl::Read::kMessage) {
        connected_ = false;  // a read that failed or was cancelled leaves the stream unusable
        return std::nullopt;
    }
    auto text = beast::buffers_to_string(impl_->buffer.data());
    impl_->buffer.consume(impl_->buffer.size());
    return text;
}

void WebSocketClient::send(const std::string& text) { impl_->ws.write(net::buffer(text)); }

bool WebSocketClient::closed_by_server_within(std::chrono::milliseconds wait, int* code) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (connected_) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        const auto outcome = impl_->read_one(left);
        impl_->buffer.consume(impl_->buffer.size());
        if (outcome == Impl::Read::kTimedOut) return false;
        if (outcome == Impl::Read::kEnded) {
            connected_ = false;
            if (code) *code = static_cast<int>(impl_->ws.reason().code);
            return true;
        }
    }
    return true;
}

}  // namespace crossvoice::testing
