#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "amqp/amqp_channel.hpp"
#include "amqp/amqp_url.hpp"
#include "core/ports/delivered_jobs.hpp"
#include "core/ports/job_queue.hpp"
#include "core/ports/readiness.hpp"

namespace crossvoice::amqp {

struct AmqpJobQueueOptions {
    // Deliveries the broker may hand this instance ahead of its workers (usually the worker count).
    int prefetch = 2;
    // Connect, RPC and publisher-confirm deadline.
    std::chrono::milliseconds timeout{3000};
    // After a failed connect, how long calls go straight to the records before trying again, so that a broker
    // that is down costs requests nothing.
    std::chrono::milliseconds reconnect_after{2000};
    // How long claim() waits for a delivery before it asks the records. 0 keeps a claim from holding the consumer
    // connection (and with it the acks of other workers); the JobRunner's own wake-ups and idle poll bound the
    // latency instead.
    std::chrono::milliseconds delivery_wait{0};
    // Names this deployment's exchanges and queues (<name>.jobs, <name>.jobs.<kind>, <name>.jobs.dead, …), so that
    // several deployments can share one broker.
    std::string name = "crossvoice";
};

// JobQueue on RabbitMQ (AMQP_URL), over the job records of the database.
//
// The records (the `jobs` table) stay the truth about a job: its status, attempts, error and dedupe key, what
// GET /api/jobs/{id} shows. RabbitMQ carries the work to the workers:
//   - enqueue stores the record, then publishes the job id persistently to the durable queue of its kind
//     (<name>.jobs.<kind>) and waits for the broker's confirm;
//   - claim takes the next delivery (manual ack) and claims its record (DeliveredJobs);
//   - the delivery is acked only after complete() or fail() has committed the record, so a worker that dies
//     mid-job leaves it unacked and the broker hands it to another instance at once, marked redelivered;
//   - a retry is published to a delay queue (<name>.jobs.delay.<n>s: per-queue TTL, dead-lettered back to the
//     job exchange), the delay rounded up to a power of two seconds so each delay queue expires in order;
//   - a dead job is published to <name>.jobs.dead, with its error, for operators.
// When the broker cannot be reached, or a publish is not confirmed, the job is still recorded and claim falls back
// to the records (the same query as without RabbitMQ): no job is lost while the broker is down, only pushed later.
class AmqpJobQueue final : public core::ports::JobQueue, public core::ports::ReadinessProbe {
  public:
    AmqpJobQueue(AmqpEndpoint endpoint, core::ports::JobQueue& records, core::ports::DeliveredJobs& delivered,
                 AmqpJobQueueOptions options = {});
    ~AmqpJobQueue() override;

    core::Result<core::Job> enqueue(const core::Job& job) override;
    core::Result<std::optional<core::Job>> claim(const std::vector<std::string>& kinds, core::TimePoint now,
                                                 std::chrono::milliseconds lease) override;
    core::Status complete(const std::string& id, core::TimePoint now) override;
    core::Result<core::Job> fail(const std::string& id, const std::string& error, core::TimePoint now,
                                 std::optional<core::TimePoint> retry_at) override;
    core::Result<std::optional<core::Job>> find(const std::string& id) override;
    core::Result<std::optional<core::Job>> find_by_dedupe_key(const std::string& dedupe_key) override;
    core::Result<std::optional<core::TimePoint>> next_due(const std::vector<std::string>& kinds) override;

    // Readiness: can a message be published right now?
    std::string name() const override { return "rabbitmq"; }
    core::Status check() override;

    // Deliveries taken but not yet acked (tests and a metric).
    std::size_t in_flight() const;

    std::string queue_for(const std::string& kind) const;

  private:
    struct Held {
        std::uint64_t generation = 0;  // which consumer connection the tag belongs to
        std::uint64_t tag = 0;
    };

    // Publisher side (publish_mutex_).
    core::Status publish(const std::string& exchange, const std::string& routing_key, const std::string& body,
                         const std::vector<std::pair<std::string, std::string>>& headers = {});
    core::Status connect_publisher();
    core::Status declare_kind(AmqpChannel& channel, const std::string& kind, std::set<std::string>& declared);
    core::Status declare_delay(AmqpChannel& channel, std::int64_t seconds);
    std::string delay_name(std::int64_t seconds) const;

    // Consumer side (consume_mutex_).
    core::Result<std::optional<Delivery>> take_delivery(const std::vector<std::string>& kinds);
    core::Status connect_consumer(const std::vector<std::string>& kinds);
    // Acks (done = true) or requeues the delivery held for job `id`, if any.
    void settle(const std::string& id, bool done);

    const AmqpEndpoint endpoint_;
    core::ports::JobQueue& records_;
    core::ports::DeliveredJobs& delivered_;
    const AmqpJobQueueOptions options_;
    const std::string job_exchange_;  // <name>.jobs: direct, routed by kind
    const std::string dead_letters_;  // <name>.jobs.dead: the fanout exchange and its queue

    std::mutex publish_mutex_;
    std::unique_ptr<AmqpChannel> publisher_;
    std::set<std::string> publisher_kinds_;
    std::set<std::int64_t> publisher_delays_;
    std::chrono::steady_clock::time_point publisher_retry_at_{};

    mutable std::mutex consume_mutex_;
    std::unique_ptr<AmqpChannel> consumer_;
    std::uint64_t consumer_generation_ = 0;
    std::chrono::steady_clock::time_point consumer_retry_at_{};
    std::unordered_map<std::string, Held> held_;
    // Jobs this process took from the records (the fallback) and still runs: when their message arrives it is
    // held for them, so that it is redelivered elsewhere if this process dies.
    std::unordered_set<std::string> claimed_from_records_;
};

}  // namespace crossvoice::amqp
