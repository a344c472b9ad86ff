// The RabbitMQ job queue against a real broker (scripts/test-servers.sh), over SQLite job records.
#include "amqp/amqp_job_queue.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include "amqp/amqp_channel.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_job_queue.hpp"
#include "support/fake_clock.hpp"
#include "support/temp_dir.hpp"

namespace crossvoice::amqp {
namespace {

using std::chrono::milliseconds;

constexpr const char* kUrlVariable = "CROSSVOICE_TEST_AMQP_URL";
constexpr milliseconds kLease{60'000};
// Generous: a claim returns as soon as the delivery arrives; this only bounds a broken run.
constexpr milliseconds kDeliveryWait{5'000};

class AmqpJobQueueTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* url = std::getenv(kUrlVariable);
        if (url == nullptr || *url == '\0') {
            const char* ci = std::getenv("CI");
            if (ci != nullptr && std::string(ci) == "true") FAIL() << kUrlVariable << " is not set";
            GTEST_SKIP() << kUrlVariable << " is not set (scripts/with-test-servers.sh starts a RabbitMQ)";
        }
        auto endpoint = parse_amqp_url(url);
        ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
        endpoint_ = *endpoint;
        auto db = storage::SqliteDatabase::open((dir_.path() / "jobs.db").string());
        ASSERT_TRUE(db.ok()) << db.error().message;
        db_ = std::move(db).value();
        ASSERT_TRUE(storage::migrate(*db_, storage::sqlite_migrations(), clock_).ok());
        records_ = std::make_unique<storage::SqliteJobQueue>(*db_);
        // Queues are per kind: a kind of its own keeps this test's messages away from every other test's.
        static std::atomic<int> counter{0};
        kind_ = "test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    }

    std::unique_ptr<AmqpJobQueue> make_queue(AmqpEndpoint endpoint) {
        AmqpJobQueueOptions options;
        options.delivery_wait = kDeliveryWait;
        return std::make_unique<AmqpJobQueue>(std::move(endpoint), *records_, *records_, options);
    }

    core::Job job(const std::string& id, int max_attempts = 3) {
        core::Job out;
        out.id = id;
        out.kind = kind_;
        out.max_attempts = max_attempts;
        out.run_at = clock_.now();
        out.created_at = clock_.now();
        out.updated_at = clock_.now();
        return out;
    }

    testing::TempDir dir_;
    testing::FakeClock clock_;
    AmqpEndpoint endpoint_;
    std::unique_ptr<storage::SqliteDatabase> db_;
    std::unique_ptr<storage::SqliteJobQueue> records_;
    std::string kind_;
};

TEST_F(AmqpJobQueueTest, ADeliveredJobIsHeldUntilItsRecordSaysDone) {
    auto queue = make_queue(endpoint_);
    ASSERT_TRUE(queue->enqueue(job("job-1")).ok());
    auto claimed = queue->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(claimed.ok()) << claimed.error().message;
    ASSERT_TRUE(claimed->has_value());
    EXPECT_EQ(claimed->value().id, "job-1");
    EXPECT_EQ(claimed->value().attempts, 1);
    EXPECT_EQ(queue->in_flight(), 1U) << "the delivery is not acked while the job runs";

    ASSERT_TRUE(queue->complete("job-1", clock_.now()).ok());
    EXPECT_EQ(queue->in_flight(), 0U);
    auto record = records_->find("job-1");
    ASSERT_TRUE(record.ok() && record->has_value());
    EXPECT_EQ(record->value().status, core::JobStatus::kSucceeded);
}

TEST_F(AmqpJobQueueTest, AJobWhoseWorkerDiesIsRedeliveredToAnotherAtOnce) {
    auto first = make_queue(endpoint_);
    ASSERT_TRUE(first->enqueue(job("job-2")).ok());
    auto taken = first->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(taken.ok() && taken->has_value());
    EXPECT_EQ(first->in_flight(), 1U);
    first.reset();  // the worker's connection goes, as when its process is killed

    // The lease (60 s) has not run out, so the records alone would not hand the job over: only the broker's
    // redelivery does.
    auto second = make_queue(endpoint_);
    auto retaken = second->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(retaken.ok()) << retaken.error().message;
    ASSERT_TRUE(retaken->has_value()) << "the unacked job was not redelivered";
    EXPECT_EQ(retaken->value().id, "job-2");
    EXPECT_EQ(retaken->value().attempts, 2);
    ASSERT_TRUE(second->complete("job-2", clock_.now()).ok());
    auto nothing = second->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(nothing.ok());
    EXPECT_FALSE(nothing->has_value()) << "a completed job is not delivered again";
}

TEST_F(AmqpJobQueueTest, ARetryComesBackThroughTheDelayQueue) {
    auto queue = make_queue(endpoint_);
    ASSERT_TRUE(queue->enqueue(job("job-3")).ok());
    auto taken = queue->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(taken.ok() && taken->has_value());
    auto failed = queue->fail("job-3", "vendor timed out", clock_.now(), clock_.now() + milliseconds{1'000});
    ASSERT_TRUE(failed.ok()) << failed.error().message;
    EXPECT_EQ(failed->status, core::JobStatus::kQueued);
    EXPECT_EQ(queue->in_flight(), 0U);

    // The test's clock stands still, so the records never call the retry due: it can only come from the broker,
    // after the 1 s delay queue's TTL.
    auto retried = queue->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(retried.ok()) << retried.error().message;
    ASSERT_TRUE(retried->has_value()) << "the retry was not delivered";
    EXPECT_EQ(retried->value().attempts, 2);
}

TEST_F(AmqpJobQueueTest, ADeadJobGoesToTheDeadLetterQueueWithItsError) {
    auto queue = make_queue(endpoint_);
    ASSERT_TRUE(queue->enqueue(job("job-4-" + kind_, 1)).ok());
    auto taken = queue->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(taken.ok() && taken->has_value());
    auto failed = queue->fail(taken->value().id, "bad payload", clock_.now(), std::nullopt);
    ASSERT_TRUE(failed.ok());
    EXPECT_EQ(failed->status, core::JobStatus::kDead);

    // Read the dead-letter queue (shared with other tests: look for this job's id, give the rest back).
    auto reader = AmqpChannel::open(endpoint_, milliseconds{3'000});
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    ASSERT_TRUE((*reader)->consume("crossvoice.jobs.dead").ok());
    bool found = false;
    for (int i = 0; i < 1'000 && !found; ++i) {
        auto delivery = (*reader)->next(kDeliveryWait);
        ASSERT_TRUE(delivery.ok()) << delivery.error().message;
        ASSERT_TRUE(delivery->has_value()) << "the dead job never reached the dead-letter queue";
        found = delivery->value().body == taken->value().id;
        if (found) {
            EXPECT_EQ(delivery->value().routing_key, kind_);
            ASSERT_TRUE((*reader)->ack(delivery->value().tag).ok());
        }
    }
    EXPECT_TRUE(found);
}

TEST_F(AmqpJobQueueTest, WithTheBrokerDownJobsAreRecordedAndRunFromTheRecords) {
    AmqpEndpoint down = endpoint_;
    down.port = 1;  // nothing listens there
    auto queue = make_queue(down);
    auto stored = queue->enqueue(job("job-5"));
    ASSERT_TRUE(stored.ok()) << "a broker outage must not lose or refuse the job: " << stored.error().message;
    EXPECT_FALSE(queue->check().ok()) << "readiness reports the broker down";
    auto claimed = queue->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(claimed.ok()) << claimed.error().message;
    ASSERT_TRUE(claimed->has_value());
    EXPECT_EQ(claimed->value().id, "job-5");
    EXPECT_TRUE(queue->complete("job-5", clock_.now()).ok());
}

TEST_F(AmqpJobQueueTest, ADeliveryOfAJobAnotherWorkerHoldsIsDropped) {
    // The records hand the job out first (as the fallback does), then its published message arrives: the job is
    // running and the delivery is not a redelivery, so it is a duplicate and nobody runs the job twice.
    auto queue = make_queue(endpoint_);
    ASSERT_TRUE(queue->enqueue(job("job-6")).ok());
    auto direct = records_->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(direct.ok() && direct->has_value());
    auto claimed = queue->claim({kind_}, clock_.now(), kLease);
    ASSERT_TRUE(claimed.ok());
    EXPECT_FALSE(claimed->has_value());
    EXPECT_EQ(queue->in_flight(), 0U);
}

TEST(AmqpUrl, ReadsAndRefusesUrls) {
    auto url = parse_amqp_url("amqp://svc:p%40ss@mq.internal:5673/jobs%2fprod");
    ASSERT_TRUE(url.ok()) << url.error().message;
    EXPECT_EQ(url->host, "mq.internal");
    EXPECT_EQ(url->port, 5673);
    EXPECT_EQ(url->user, "svc");
    EXPECT_EQ(url->password, "p@ss");
    EXPECT_EQ(url->vhost, "jobs/prod");
    EXPECT_EQ(url->describe().find("p@ss"), std::string::npos);
    auto defaults = parse_amqp_url("amqp://localhost");
    ASSERT_TRUE(defaults.ok());
    EXPECT_EQ(defaults->vhost, "/");
    EXPECT_EQ(defaults->user, "guest");
    for (const auto& [bad, named] : {std::pair{"amqps://x", "TLS"},
                                     {"http://x", "amqp://"},
                                     {"amqp://", "no host"},
                                     {"amqp://x:99999", "port"},
                                     {"amqp://x/%zz", "escape"}}) {
        auto parsed = parse_amqp_url(bad);
        ASSERT_FALSE(parsed.ok()) << bad;
        EXPECT_NE(parsed.error().message.find(named), std::string::npos) << parsed.error().message;
    }
}

}  // namespace
}  // namespace crossvoice::amqp
