#include "http/connection.hpp"

#include <fmt/format.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <cctype>

#include "http/error_response.hpp"
#include "http/request_id.hpp"
#include "http/request_metrics.hpp"
#include "http/response_head.hpp"
#include "http/stream.hpp"
#include "http/stream_start.hpp"

namespace crossvoice::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

constexpr std::size_t kReadBytes = 4096;
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kLingerMaxBytes = 4 * 1024 * 1024;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Our request from Beast's parsed message; the body is moved, not copied.
void convert(bhttp::request<bhttp::string_body>& message, Request& out) {
    out.method = parse_method(std::string_view(message.method_string().data(), message.method_string().size()));
    out.target = std::string(message.target());
    const auto question = out.target.find('?');
    out.path = out.target.substr(0, question);
    out.query = question == std::string::npos ? std::string{} : out.target.substr(question + 1);
    out.headers.clear();
    for (const auto& field : message) {
        out.headers.emplace_back(lower(std::string_view(field.name_string().data(), field.name_string().size())),
                                 std::string(field.value()));
    }
    out.body = std::move(message.body());
}

core::Error payload_too_large(std::optional<std::uint64_t> declared, std::size_t limit) {
    auto message = declared ? fmt::format("request body of {} bytes exceeds the limit of {} bytes", *declared, limit)
                            : fmt::format("request body exceeds the limit of {} bytes", limit);
    return core::Error{core::ErrorCode::kPayloadTooLarge, std::move(message), {{"limit", std::to_string(limit)}}};
}

}  // namespace

Connection::Connection(ConnectionStream::socket_type&& socket, Server::State& state)
    : state_(state), stream_(std::move(socket)) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? "unknown" : endpoint.address().to_string();
}

Connection::~Connection() { state_.unregister_connection(this); }

void Connection::start() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Connection::wait_for_request, shared_from_this()));
}

void Connection::close_if_idle() {
    if (phase_ == Phase::kIdle) stream_.cancel();  // the pending read completes with operation_aborted
}

void Connection::force_close() {
    if (phase_ == Phase::kClosed) return;
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    stream_.cancel();
}

void Connection::wait_for_request() {
    if (state_.draining.load()) return close();
    parser_.emplace();
    parser_->eager(true);  // header and body in one put(), so a request that arrived whole parses at once
    parser_->header_limit(static_cast<std::uint32_t>(state_.options.max_header_bytes));
    // The route, and so its own limit, is only known once the header is in, and Beast checks its own limit
    // while it finishes the header: so Beast's is set to what the most generous route accepts, and
    // parse_buffered holds each body to its route's limit (a declared length at once, a chunked body as it grows).
    parser_->body_limit(state_.router.largest_body_limit(state_.options.max_body_bytes) + 1);
    body_limit_ = state_.options.max_body_bytes;
    header_checked_ = false;
    if (buffer_.size() > 0) {  // a pipelined request is already here
        phase_ = Phase::kReading;
        deadline_ = std::chrono::steady_clock::now() + state_.options.header_timeout;
        return parse_buffered();
    }
    phase_ = Phase::kIdle;
    stream_.expires_after(state_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadBytes),
                            beast::bind_front_handler(&Connection::on_read, shared_from_this()));
}

void Connection::read_more() {
    stream_.expires_at(deadline_);
    stream_.async_read_some(buffer_.prepare(kReadBytes),
                            beast::bind_front_handler(&Connection::on_read, shared_from_this()));
}

void Connection::on_read(beast::error_code ec, std::size_t bytes) {
    // Peer closed, timed out (idle, header or body deadline) or shut down: nothing to answer.
    if (ec) return close();
    buffer_.commit(bytes);
    if (phase_ == Phase::kIdle) {
        // The header deadline runs from the first byte, so a client trickling bytes cannot hold the connection.
        phase_ = Phase::kReading;
        deadline_ = std::chrono::steady_clock::now() + state_.options.header_timeout;
    }
    parse_buffered();
}

// Feeds what has arrived to the parser; answers, reads more, or rejects. Parsing from our own buffer instead
// of Beast's async_read_header/async_read saves two trips through the scheduler per request.
void Connection::parse_buffered() {
    beast::error_code ec;
    while (buffer_.size() > 0 && !parser_->is_done()) {
        const auto used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        if (ec || used == 0) break;
    }
    if (ec == bhttp::error::need_more) ec = {};
    if (ec) return reject_parse_error(ec);

    if (parser_->is_header_done() && !header_checked_) {
        header_checked_ = true;
        body_limit_ = route_body_limit();
        if (const auto length = parser_->content_length(); length && *length > body_limit_) {
            return reject_and_close(payload_too_large(*length, body_limit_));
        }
        deadline_ = std::chrono::steady_clock::now() + state_.options.body_timeout;
        const auto expect = parser_->get()[bhttp::field::expect];
        if (!parser_->is_done() && beast::iequals(expect, "100-continue")) {
            // The client waits for permission before sending the body.
            continue_.emplace(bhttp::status::continue_, 11);
            stream_.expires_after(state_.options.write_timeout);
            bhttp::async_write(stream_, *continue_,
                               [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                                   if (write_ec) return self->close();
                                   self->read_more();
                               });
            return;
        }
    }
    // A chunked body has no declared length: it is held to its route's limit as it grows.
    if (parser_->is_header_done() && parser_->get().body().size() > body_limit_) {
        return reject_and_close(payload_too_large(std::nullopt, body_limit_));
    }
    if (parser_->is_done()) return dispatch();
    read_more();
}

std::size_t Connection::route_body_limit() const {
    const auto& header = parser_->get();
    const std::string_view target(header.target().data(), header.target().size());
    return state_.router.body_limit(
        parse_method(std::string_view(header.method_string().data(), header.method_string().size())),
        target.substr(0, target.find('?')), state_.options.max_body_bytes);
}

void Connection::reject_parse_error(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) {
        return reject_and_close(core::Error::bad_request(
            fmt::format("request headers exceed the limit of {} bytes", state_.options.max_header_bytes)));
    }
    if (ec == bhttp::error::body_limit) {
        // Beast refuses a declared Content-Length above the limit as soon as the header ends, or a chunked
        // body once it grows past it.
        // Beast raises it while finishing the header, before is_header_done(): the request line and the length
        // are parsed by then, so the route's own limit can still be named.
        std::optional<std::uint64_t> declared;
        if (const auto length = parser_->content_length()) declared = *length;
        body_limit_ = route_body_limit();
        return reject_and_close(payload_too_large(declared, body_limit_));
    }
    reject_and_close(core::Error::bad_request("malformed HTTP request: " + ec.message()));
}

void Connection::dispatch() {
    phase_ = Phase::kBusy;
    started_ = std::chrono::steady_clock::now();
    state_.metrics.in_flight().add(1);
    auto& message = parser_->get();
    keep_alive_ = message.keep_alive();
    convert(message, request_);
    request_.remote = remote_;  // the peer's address: per-client limits (the widget's conversation starts)
    const auto offered_id = request_.header("x-request-id");
    request_id_ =
        offered_id && is_acceptable_request_id(*offered_id) ? std::string(*offered_id) : generate_request_id();

    match_ = state_.router.match(request_.method, request_.path);
    if (!match_.route) {
        Outcome outcome;
        if (match_.allowed.empty()) {
            outcome.response = render_error(core::Error::not_found("route", request_.path));
        } else {
            std::string allow;
            for (Method method : match_.allowed) {
                if (!allow.empty()) allow += ", ";
                allow += to_string(method);
            }
            outcome.response = render_error(
                core::Error{core::ErrorCode::kMethodNotAllowed,
                            fmt::format("method {} is not allowed on {}", to_string(request_.method), request_.path),
                            {{"allow", allow}}});
            outcome.response.headers.emplace_back("Allow", allow);
        }
        return respond(std::move(outcome), true);
    }
    if (match_.route->execution == Execution::kInline) {
        return respond(state_.pipeline.handle(request_, match_, request_id_), true);
    }
    net::post(state_.workers, [self = shared_from_this()] {
        Outcome outcome = self->state_.pipeline.handle(self->request_, self->match_, self->request_id_);
        net::post(self->stream_.get_executor(),
                  [self, outcome = std::move(outcome)]() mutable { self->respond(std::move(outcome), true); });
    });
}

void Connection::reject_and_close(core::Error error) {
    started_ = std::chrono::steady_clock::now();
    keep_alive_ = false;
    request_ = Request{};
    if (parser_ && parser_->is_header_done()) {
        const auto& header = parser_->get();
        request_.method = parse_method(std::string_view(header.method_string().data(), header.method_string().size()));
        request_.path = std::string(header.target().substr(0, header.target().find('?')));
    }
    request_id_ = generate_request_id();
    match_ = RouteMatch{};
    unread_input_ = true;
    respond(Outcome{render_error(error), {}}, false);
}

void Connection::respond(Outcome outcome, bool was_dispatched) {
    phase_ = Phase::kWriting;
    const bool close_after = !keep_alive_ || state_.draining.load();
    Response& response = outcome.response;

    const auto micros = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count());
    state_.metrics.record(match_.route ? std::optional<std::size_t>(match_.index) : std::nullopt, request_.method,
                          response.status, micros);
    if (was_dispatched) state_.metrics.in_flight().add(-1);
    if (state_.options.access_log) {
        // The path only: query strings can carry phone numbers and other PII.
        state_.access_log->info("{} {} \"{} {}\" {} {}B {:.3f}ms key={}", request_id_, remote_,
                                to_string(request_.method), request_.path, response.status, response.body.size(),
                                static_cast<double>(micros) / 1000.0, outcome.key_id.empty() ? "-" : outcome.key_id);
    }

    if (response.stream && response.status >= 200 && response.status < 300 && !state_.draining.load()) {
        return hand_over_to_stream(response);
    }
    write_response_head(response, request_id_, close_after, response_head_);
    response_body_ = std::move(response.body);
    const std::array<net::const_buffer, 2> buffers{net::buffer(response_head_), net::buffer(response_body_)};
    stream_.expires_after(state_.options.write_timeout);
    net::async_write(stream_, buffers,
                     beast::bind_front_handler(&Connection::on_write, shared_from_this(), close_after));
}

void Connection::hand_over_to_stream(Response& response) {
    // This connection ends here; the session owns the socket from now on and registers itself for the drain.
    phase_ = Phase::kClosed;
    if (response.stream_protocol == StreamProtocol::kWebSocket) {
        return start_websocket(std::move(stream_), state_, std::move(response.stream), parser_->release(),
                               std::move(response.headers));
    }
    write_stream_head(response, request_id_, response_head_);
    start_event_stream(std::move(stream_), state_, std::move(response.stream), std::move(response_head_));
}

void Connection::on_write(bool close_after, beast::error_code ec, std::size_t) {
    response_body_.clear();
    request_.body.clear();
    if (ec) return close();
    if (close_after && unread_input_) return linger_then_close();
    if (close_after) return close();
    wait_for_request();
}

void Connection::linger_then_close() {
    // Closing a socket with unread input makes the kernel send RST, which can destroy the error response
    // before the client reads it. Half-close, then discard what the client still sends, for a short while.
    phase_ = Phase::kClosed;
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    discard_some();
}

void Connection::discard_some() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(kReadBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                                self->lingered_bytes_ += bytes;
                                if (ec || self->lingered_bytes_ > kLingerMaxBytes) return self->close();
                                self->discard_some();
                            });
}

void Connection::close() {
    phase_ = Phase::kClosed;
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.close();
}

}  // namespace crossvoice::http
