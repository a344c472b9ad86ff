#include "amqp/amqp_channel.hpp"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include <fmt/format.h>

namespace crossvoice::amqp {
namespace {

constexpr amqp_channel_t kChannel = 1;
constexpr int kHeartbeatSeconds = 30;

timeval to_timeval(std::chrono::milliseconds duration) {
    timeval value{};
    value.tv_sec = static_cast<decltype(value.tv_sec)>(duration.count() / 1000);
    value.tv_usec = static_cast<decltype(value.tv_usec)>((duration.count() % 1000) * 1000);
    return value;
}

amqp_bytes_t bytes(std::string_view text) {
    amqp_bytes_t out;
    out.len = text.size();
    out.bytes = const_cast<char*>(text.data());  // rabbitmq-c takes non-const pointers it only reads
    return out;
}

std::string reply_reason(const amqp_rpc_reply_t& reply) {
    switch (reply.reply_type) {
        case AMQP_RESPONSE_NORMAL: return "ok";
        case AMQP_RESPONSE_NONE: return "no reply";
        case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(reply.library_error);
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
                const auto* close = static_cast<const amqp_connection_close_t*>(reply.reply.decoded);
                return fmt::format(
                    "connection closed by the broker: {} {}", close->reply_code,
                    std::string_view(static_cast<const char*>(close->reply_text.bytes), close->reply_text.len));
            }
            if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
                const auto* close = static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
                return fmt::format(
                    "channel closed by the broker: {} {}", close->reply_code,
                    std::string_view(static_cast<const char*>(close->reply_text.bytes), close->reply_text.len));
            }
            return fmt::format("broker error (method {:#x})", reply.reply.id);
    }
    return "unknown reply";
}

}  // namespace

struct AmqpChannel::State {
    amqp_connection_state_t connection = nullptr;
    ~State() {
        if (connection == nullptr) return;
        amqp_channel_close(connection, kChannel, AMQP_REPLY_SUCCESS);
        amqp_connection_close(connection, AMQP_REPLY_SUCCESS);
        amqp_destroy_connection(connection);
    }
};

AmqpChannel::AmqpChannel(std::unique_ptr<State> state) : state_(std::move(state)) {}
AmqpChannel::~AmqpChannel() = default;

core::Result<std::unique_ptr<AmqpChannel>> AmqpChannel::open(const AmqpEndpoint& endpoint,
                                                             std::chrono::milliseconds timeout) {
    auto state = std::make_unique<State>();
    state->connection = amqp_new_connection();
    if (state->connection == nullptr) return core::Error::unavailable("rabbitmq: cannot allocate a connection");
    amqp_socket_t* socket = amqp_tcp_socket_new(state->connection);
    if (socket == nullptr) return core::Error::unavailable("rabbitmq: cannot allocate a socket");
    auto connect_timeout = to_timeval(timeout);
    if (const int status = amqp_socket_open_noblock(socket, endpoint.host.c_str(), endpoint.port, &connect_timeout);
        status != AMQP_STATUS_OK) {
        amqp_destroy_connection(state->connection);
        state->connection = nullptr;
        return core::Error::unavailable(
            fmt::format("rabbitmq at {}: cannot connect: {}", endpoint.describe(), amqp_error_string2(status)));
    }
    auto rpc_timeout = to_timeval(timeout);
    amqp_set_rpc_timeout(state->connection, &rpc_timeout);
    const auto login =
        amqp_login(state->connection, endpoint.vhost.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE, kHeartbeatSeconds,
                   AMQP_SASL_METHOD_PLAIN, endpoint.user.c_str(), endpoint.password.c_str());
    if (login.reply_type != AMQP_RESPONSE_NORMAL) {
        amqp_destroy_connection(state->connection);
        state->connection = nullptr;
        return core::Error::unavailable(
            fmt::format("rabbitmq at {}: login refused: {}", endpoint.describe(), reply_reason(login)));
    }
    amqp_channel_open(state->connection, kChannel);
    const auto opened = amqp_get_rpc_reply(state->connection);
    if (opened.reply_type != AMQP_RESPONSE_NORMAL) {
        return core::Error::unavailable(
            fmt::format("rabbitmq at {}: cannot open a channel: {}", endpoint.describe(), reply_reason(opened)));
    }
    auto channel = std::unique_ptr<AmqpChannel>(new AmqpChannel(std::move(state)));
    channel->timeout_ = timeout;
    return channel;
}

core::Error AmqpChannel::fail(std::string_view operation, std::string_view reason) {
    broken_ = true;
    return core::Error::unavailable(fmt::format("rabbitmq: {}: {}", operation, reason));
}

core::Status AmqpChannel::check_reply(std::string_view operation) {
    const auto reply = amqp_get_rpc_reply(state_->connection);
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) return {};
    return fail(operation, reply_reason(reply));
}

core::Status AmqpChannel::declare_exchange(const std::string& name, std::string_view type) {
    amqp_exchange_declare(state_->connection, kChannel, bytes(name), bytes(type), 0, 1, 0, 0, amqp_empty_table);
    return check_reply("declare exchange " + name);
}

core::Status AmqpChannel::declare_queue(const std::string& name, const QueueOptions& options) {
    amqp_table_entry_t entries[2];
    int count = 0;
    if (options.message_ttl) {
        entries[count].key = amqp_cstring_bytes("x-message-ttl");
        entries[count].value.kind = AMQP_FIELD_KIND_I64;
        entries[count].value.value.i64 = options.message_ttl->count();
        ++count;
    }
    if (options.dead_letter_exchange) {
        entries[count].key = amqp_cstring_bytes("x-dead-letter-exchange");
        entries[count].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[count].value.value.bytes = bytes(*options.dead_letter_exchange);
        ++count;
    }
    amqp_table_t arguments{count, entries};
    amqp_queue_declare(state_->connection, kChannel, bytes(name), 0, 1, 0, 0, arguments);
    return check_reply("declare queue " + name);
}

core::Status AmqpChannel::bind(const std::string& queue, const std::string& exchange, const std::string& routing_key) {
    amqp_queue_bind(state_->connection, kChannel, bytes(queue), bytes(exchange), bytes(routing_key), amqp_empty_table);
    return check_reply("bind " + queue);
}

core::Status AmqpChannel::enable_confirms() {
    amqp_confirm_select(state_->connection, kChannel);
    if (auto ok = check_reply("enable publisher confirms"); !ok) return ok;
    confirms_ = true;
    return {};
}

core::Status AmqpChannel::publish(const std::string& exchange, const std::string& routing_key, std::string_view body,
                                  const std::vector<std::pair<std::string, std::string>>& headers) {
    std::vector<amqp_table_entry_t> entries(headers.size());
    for (std::size_t i = 0; i < headers.size(); ++i) {
        entries[i].key = bytes(headers[i].first);
        entries[i].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[i].value.value.bytes = bytes(headers[i].second);
    }
    amqp_basic_properties_t properties{};
    properties._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
    properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    properties.content_type = amqp_cstring_bytes("text/plain");
    if (!entries.empty()) {
        properties._flags |= AMQP_BASIC_HEADERS_FLAG;
        properties.headers = amqp_table_t{static_cast<int>(entries.size()), entries.data()};
    }
    if (const int status = amqp_basic_publish(state_->connection, kChannel, bytes(exchange), bytes(routing_key), 0, 0,
                                              &properties, bytes(body));
        status != AMQP_STATUS_OK) {
        return fail("publish", amqp_error_string2(status));
    }
    return confirms_ ? wait_for_confirm() : core::Status{};
}

// Each publish waits for its own confirmation, so the first ack or nack that arrives is this message's.
core::Status AmqpChannel::wait_for_confirm() {
    auto timeout = to_timeval(timeout_);
    while (true) {
        amqp_frame_t frame;
        const int status = amqp_simple_wait_frame_noblock(state_->connection, &frame, &timeout);
        if (status == AMQP_STATUS_TIMEOUT) return fail("publish", "the broker did not confirm in time");
        if (status != AMQP_STATUS_OK) return fail("publish", amqp_error_string2(status));
        if (frame.frame_type != AMQP_FRAME_METHOD) continue;
        switch (frame.payload.method.id) {
            case AMQP_BASIC_ACK_METHOD: amqp_maybe_release_buffers(state_->connection); return {};
            case AMQP_BASIC_NACK_METHOD:
                amqp_maybe_release_buffers(state_->connection);
                return core::Error::unavailable("rabbitmq: publish: the broker refused to store the message");
            case AMQP_CHANNEL_CLOSE_METHOD:
            case AMQP_CONNECTION_CLOSE_METHOD: return fail("publish", "the broker closed the channel");
            default: continue;  // basic.return and the like: the ack follows
        }
    }
}

core::Status AmqpChannel::set_prefetch(int count) {
    amqp_basic_qos(state_->connection, kChannel, 0, static_cast<std::uint16_t>(count), 0);
    return check_reply("set prefetch");
}

core::Status AmqpChannel::consume(const std::string& queue) {
    amqp_basic_consume(state_->connection, kChannel, bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    return check_reply("consume " + queue);
}

core::Result<std::optional<Delivery>> AmqpChannel::next(std::chrono::milliseconds wait) {
    amqp_maybe_release_buffers(state_->connection);
    auto timeout = to_timeval(wait);
    amqp_envelope_t envelope;
    const auto reply = amqp_consume_message(state_->connection, &envelope, &timeout, 0);
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
        Delivery delivery;
        delivery.body.assign(static_cast<const char*>(envelope.message.body.bytes), envelope.message.body.len);
        delivery.routing_key.assign(static_cast<const char*>(envelope.routing_key.bytes), envelope.routing_key.len);
        delivery.tag = envelope.delivery_tag;
        delivery.redelivered = envelope.redelivered != 0;
        amqp_destroy_envelope(&envelope);
        return std::optional<Delivery>(std::move(delivery));
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT) {
        return std::optional<Delivery>();
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        // A frame other than a delivery: a close from the broker means this connection is done.
        amqp_frame_t frame;
        if (amqp_simple_wait_frame(state_->connection, &frame) != AMQP_STATUS_OK) {
            return fail("consume", "the connection was lost");
        }
        if (frame.frame_type == AMQP_FRAME_METHOD && (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
                                                      frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)) {
            return fail("consume", "the broker closed the channel");
        }
        return std::optional<Delivery>();
    }
    return fail("consume", reply_reason(reply));
}

core::Status AmqpChannel::ack(std::uint64_t tag) {
    if (const int status = amqp_basic_ack(state_->connection, kChannel, tag, 0); status != AMQP_STATUS_OK) {
        return fail("ack", amqp_error_string2(status));
    }
    return {};
}

core::Status AmqpChannel::requeue(std::uint64_t tag) {
    if (const int status = amqp_basic_reject(state_->connection, kChannel, tag, 1); status != AMQP_STATUS_OK) {
        return fail("requeue", amqp_error_string2(status));
    }
    return {};
}

}  // namespace crossvoice::amqp
