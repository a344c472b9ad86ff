#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "amqp/amqp_url.hpp"
#include "core/result.hpp"

namespace crossvoice::amqp {

// One message handed to a consumer; it stays with this consumer until acked or the connection goes.
struct Delivery {
    std::string body;
    std::string routing_key;
    std::uint64_t tag = 0;
    bool redelivered = false;  // the broker delivered it before, to a consumer that did not ack it
};

struct QueueOptions {
    std::optional<std::chrono::milliseconds> message_ttl;  // x-message-ttl
    std::optional<std::string> dead_letter_exchange;       // x-dead-letter-exchange
};

// One RabbitMQ connection with one channel (rabbitmq-c connections are not thread-safe: the owner serialises
// calls). Every failure leaves it broken(); the owner opens a new one. Errors are kUnavailable and name the
// operation and the broker's reason.
class AmqpChannel {
  public:
    static core::Result<std::unique_ptr<AmqpChannel>> open(const AmqpEndpoint& endpoint,
                                                           std::chrono::milliseconds timeout);
    ~AmqpChannel();
    AmqpChannel(const AmqpChannel&) = delete;
    AmqpChannel& operator=(const AmqpChannel&) = delete;

    // Durable topology; declaring what exists with the same arguments is a no-op.
    core::Status declare_exchange(const std::string& name, std::string_view type);
    core::Status declare_queue(const std::string& name, const QueueOptions& options = {});
    core::Status bind(const std::string& queue, const std::string& exchange, const std::string& routing_key);

    // After this, publish() waits for the broker's confirmation that the message is stored.
    core::Status enable_confirms();
    // A persistent message; `headers` become AMQP string headers.
    core::Status publish(const std::string& exchange, const std::string& routing_key, std::string_view body,
                         const std::vector<std::pair<std::string, std::string>>& headers = {});

    core::Status set_prefetch(int count);
    core::Status consume(const std::string& queue);
    // The next delivery, waiting at most `wait`; nullopt when none arrived in time.
    core::Result<std::optional<Delivery>> next(std::chrono::milliseconds wait);
    core::Status ack(std::uint64_t tag);
    // Gives a delivery back to the broker, which hands it out again marked redelivered.
    core::Status requeue(std::uint64_t tag);

    bool broken() const { return broken_; }

  private:
    struct State;
    explicit AmqpChannel(std::unique_ptr<State> state);
    core::Error fail(std::string_view operation, std::string_view reason);
    core::Status check_reply(std::string_view operation);
    core::Status wait_for_confirm();

    std::unique_ptr<State> state_;
    bool confirms_ = false;
    bool broken_ = false;
    std::chrono::milliseconds timeout_{5000};
};

}  // namespace crossvoice::amqp
