#include "amqp/amqp_job_queue.hpp"

#include <algorithm>

#include "observability/logging.hpp"

namespace crossvoice::amqp {
namespace {

// A job's id, as published, is short; a delivery that does not look like one is dropped rather than claimed.
constexpr std::size_t kMaxIdLength = 200;
// Deliveries looked at per claim() before it falls back to the records: bounds the work one call does on a queue
// full of duplicates.
constexpr int kDeliveriesPerClaim = 16;

// The delay queue for `delay`: the next power of two seconds at or above it (1 s to 2^12 s).
std::int64_t delay_bucket(std::chrono::milliseconds delay) {
    std::int64_t seconds = 1;
    while (seconds * 1000 < delay.count() && seconds < 4096) seconds *= 2;
    return seconds;
}

}  // namespace

AmqpJobQueue::AmqpJobQueue(AmqpEndpoint endpoint, core::ports::JobQueue& records, core::ports::DeliveredJobs& delivered,
                           AmqpJobQueueOptions options)
    : endpoint_(std::move(endpoint)),
      records_(records),
      delivered_(delivered),
      options_(options),
      job_exchange_(options_.name + ".jobs"),
      dead_letters_(options_.name + ".jobs.dead") {}

AmqpJobQueue::~AmqpJobQueue() = default;

std::string AmqpJobQueue::queue_for(const std::string& kind) const { return job_exchange_ + "." + kind; }

std::string AmqpJobQueue::delay_name(std::int64_t seconds) const {
    return job_exchange_ + ".delay." + std::to_string(seconds) + "s";
}

core::Status AmqpJobQueue::declare_kind(AmqpChannel& channel, const std::string& kind,
                                        std::set<std::string>& declared) {
    if (declared.count(kind) != 0) return {};
    if (auto ok = channel.declare_queue(queue_for(kind)); !ok) return ok;
    if (auto ok = channel.bind(queue_for(kind), job_exchange_, kind); !ok) return ok;
    declared.insert(kind);
    return {};
}

core::Status AmqpJobQueue::declare_delay(AmqpChannel& channel, std::int64_t seconds) {
    if (publisher_delays_.count(seconds) != 0) return {};
    // A fanout exchange per delay keeps the job's routing key (its kind) on the message, so that dead-lettering
    // after the TTL routes it to its kind's queue.
    const auto name = delay_name(seconds);
    if (auto ok = channel.declare_exchange(name, "fanout"); !ok) return ok;
    if (auto ok = channel.declare_queue(name, {std::chrono::milliseconds{seconds * 1000}, job_exchange_}); !ok) {
        return ok;
    }
    if (auto ok = channel.bind(name, name, ""); !ok) return ok;
    publisher_delays_.insert(seconds);
    return {};
}

core::Status AmqpJobQueue::connect_publisher() {
    if (publisher_ && !publisher_->broken()) return {};
    const auto now = std::chrono::steady_clock::now();
    if (now < publisher_retry_at_) return core::Error::unavailable("rabbitmq: not connected (retrying shortly)");
    publisher_.reset();
    publisher_kinds_.clear();
    publisher_delays_.clear();
    auto opened = AmqpChannel::open(endpoint_, options_.timeout);
    core::Status ready = opened ? core::Status{} : core::Status(opened.error());
    if (opened) {
        auto& channel = **opened;
        ready = channel.declare_exchange(job_exchange_, "direct");
        if (ready) ready = channel.declare_exchange(dead_letters_, "fanout");
        if (ready) ready = channel.declare_queue(dead_letters_);
        if (ready) ready = channel.bind(dead_letters_, dead_letters_, "");
        if (ready) ready = channel.enable_confirms();
    }
    if (!ready) {
        publisher_retry_at_ = now + options_.reconnect_after;
        return ready;
    }
    publisher_ = std::move(opened).value();
    return {};
}

core::Status AmqpJobQueue::publish(const std::string& exchange, const std::string& routing_key, const std::string& body,
                                   const std::vector<std::pair<std::string, std::string>>& headers) {
    const std::lock_guard lock(publish_mutex_);
    if (auto connected = connect_publisher(); !connected) return connected;
    return publisher_->publish(exchange, routing_key, body, headers);
}

core::Status AmqpJobQueue::check() {
    const std::lock_guard lock(publish_mutex_);
    return connect_publisher();
}

core::Result<core::Job> AmqpJobQueue::enqueue(const core::Job& job) {
    static const auto log = observability::logger("jobs");
    auto stored = records_.enqueue(job);
    if (!stored) return stored;
    if (stored->id != job.id) return stored;  // a job with the same dedupe key exists: it was published then
    // A job due later goes through a delay queue: deliveries are claimed whatever their run_at.
    const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(job.run_at - job.created_at);
    core::Status published;
    {
        const std::lock_guard lock(publish_mutex_);
        published = connect_publisher();
        if (published) published = declare_kind(*publisher_, job.kind, publisher_kinds_);
        if (published && delay.count() > 0) {
            const auto seconds = delay_bucket(delay);
            published = declare_delay(*publisher_, seconds);
            if (published) published = publisher_->publish(delay_name(seconds), job.kind, job.id);
        } else if (published) {
            published = publisher_->publish(job_exchange_, job.kind, job.id);
        }
    }
    if (!published) {
        log->warn("job {} ({}) is recorded but not published, workers will find it in the records: {}", job.id,
                  job.kind, published.error().message);
    }
    return stored;
}

core::Status AmqpJobQueue::connect_consumer(const std::vector<std::string>& kinds) {
    if (consumer_ && !consumer_->broken()) return {};
    const auto now = std::chrono::steady_clock::now();
    if (now < consumer_retry_at_) return core::Error::unavailable("rabbitmq: not connected (retrying shortly)");
    consumer_.reset();
    ++consumer_generation_;  // tags of the old connection mean nothing now: the broker requeued those messages
    held_.clear();
    auto opened = AmqpChannel::open(endpoint_, options_.timeout);
    core::Status ready = opened ? core::Status{} : core::Status(opened.error());
    if (opened) {
        auto& channel = **opened;
        ready = channel.declare_exchange(job_exchange_, "direct");
        std::set<std::string> declared;
        for (const auto& kind : kinds) {
            if (ready) ready = declare_kind(channel, kind, declared);
        }
        if (ready) ready = channel.set_prefetch(std::max(1, options_.prefetch));
        for (const auto& kind : kinds) {
            if (ready) ready = channel.consume(queue_for(kind));
        }
    }
    if (!ready) {
        consumer_retry_at_ = now + options_.reconnect_after;
        return ready;
    }
    consumer_ = std::move(opened).value();
    return {};
}

core::Result<std::optional<Delivery>> AmqpJobQueue::take_delivery(const std::vector<std::string>& kinds) {
    const std::lock_guard lock(consume_mutex_);
    if (auto connected = connect_consumer(kinds); !connected) return std::move(connected).error();
    return consumer_->next(options_.delivery_wait);
}

void AmqpJobQueue::settle(const std::string& id, bool done) {
    static const auto log = observability::logger("jobs");
    const std::lock_guard lock(consume_mutex_);
    claimed_from_records_.erase(id);
    const auto held = held_.find(id);
    if (held == held_.end()) return;  // claimed from the records, not delivered
    const Held delivery = held->second;
    held_.erase(held);
    if (!consumer_ || consumer_->broken() || delivery.generation != consumer_generation_) return;
    const auto settled = done ? consumer_->ack(delivery.tag) : consumer_->requeue(delivery.tag);
    if (!settled)
        log->warn("job {}: the broker did not take the {}: {}", id, done ? "ack" : "requeue", settled.error().message);
}

core::Result<std::optional<core::Job>> AmqpJobQueue::claim(const std::vector<std::string>& kinds, core::TimePoint now,
                                                           std::chrono::milliseconds lease) {
    static const auto log = observability::logger("jobs");
    if (kinds.empty()) return std::optional<core::Job>();
    for (int i = 0; i < kDeliveriesPerClaim; ++i) {
        auto delivery = take_delivery(kinds);
        if (!delivery || !delivery.value()) break;  // broker down or nothing delivered: ask the records
        const Delivery& message = *delivery.value();
        std::uint64_t generation = 0;
        {
            const std::lock_guard lock(consume_mutex_);
            generation = consumer_generation_;
        }
        const auto drop = [&] {
            const std::lock_guard lock(consume_mutex_);
            // A failed ack breaks the connection; the broker then requeues the message and it is dropped again.
            if (consumer_ && !consumer_->broken() && generation == consumer_generation_) {
                static_cast<void>(consumer_->ack(message.tag));
            }
        };
        if (message.body.empty() || message.body.size() > kMaxIdLength) {
            log->warn("dropping a job delivery that carries no job id ({} bytes)", message.body.size());
            drop();
            continue;
        }
        auto job = delivered_.claim_delivered(message.body, now, lease, message.redelivered);
        if (!job) {
            // The records cannot be reached: give the message back for later and report the failure.
            const std::lock_guard lock(consume_mutex_);
            if (consumer_ && !consumer_->broken() && generation == consumer_generation_) {
                static_cast<void>(consumer_->requeue(message.tag));  // failing, the connection goes: the same
            }
            return std::move(job).error();
        }
        if (!job.value()) {
            {
                const std::lock_guard lock(consume_mutex_);
                if (claimed_from_records_.erase(message.body) != 0 && generation == consumer_generation_) {
                    held_[message.body] = Held{generation, message.tag};  // the message of a job running here
                    continue;
                }
            }
            drop();  // finished, unknown, or held by a live worker elsewhere: a duplicate
            continue;
        }
        const std::lock_guard lock(consume_mutex_);
        held_[job.value()->id] = Held{generation, message.tag};
        return job;
    }
    auto claimed = records_.claim(kinds, now, lease);
    if (claimed && claimed.value()) {
        const std::lock_guard lock(consume_mutex_);
        claimed_from_records_.insert(claimed.value()->id);
    }
    return claimed;
}

core::Status AmqpJobQueue::complete(const std::string& id, core::TimePoint now) {
    auto done = records_.complete(id, now);
    // Acked only once the record says done; otherwise the broker gets it back and another attempt follows.
    settle(id, done.ok());
    return done;
}

core::Result<core::Job> AmqpJobQueue::fail(const std::string& id, const std::string& error, core::TimePoint now,
                                           std::optional<core::TimePoint> retry_at) {
    static const auto log = observability::logger("jobs");
    auto failed = records_.fail(id, error, now, retry_at);
    if (!failed) {
        settle(id, false);
        return failed;
    }
    const core::Job& job = *failed;
    core::Status published;
    if (job.status == core::JobStatus::kQueued) {
        const auto delay = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(job.run_at - now),
                                    std::chrono::milliseconds{0});
        const auto seconds = delay_bucket(delay);
        const std::lock_guard lock(publish_mutex_);
        published = connect_publisher();
        if (published) published = declare_kind(*publisher_, job.kind, publisher_kinds_);
        if (published) published = declare_delay(*publisher_, seconds);
        if (published) published = publisher_->publish(delay_name(seconds), job.kind, job.id);
    } else if (job.status == core::JobStatus::kDead) {
        published = publish(dead_letters_, job.kind, job.id,
                            {{"x-job-kind", job.kind}, {"x-job-error", job.last_error.value_or(error)}});
    }
    if (!published) {
        log->warn("job {} ({}): the retry or dead letter was not published: {}", id, job.kind,
                  published.error().message);
    }
    // The record holds the retry either way (the records fallback runs it when due), so the delivery is done.
    settle(id, true);
    return failed;
}

core::Result<std::optional<core::Job>> AmqpJobQueue::find(const std::string& id) { return records_.find(id); }

core::Result<std::optional<core::Job>> AmqpJobQueue::find_by_dedupe_key(const std::string& dedupe_key) {
    return records_.find_by_dedupe_key(dedupe_key);
}

core::Result<std::optional<core::TimePoint>> AmqpJobQueue::next_due(const std::vector<std::string>& kinds) {
    return records_.next_due(kinds);
}

std::size_t AmqpJobQueue::in_flight() const {
    const std::lock_guard lock(consume_mutex_);
    return held_.size();
}

}  // namespace crossvoice::amqp
