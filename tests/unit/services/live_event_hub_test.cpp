#include "services/live_event_hub.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_clock.hpp"

namespace crossvoice::services {
namespace {

using core::Platform;
using nlohmann::json;

// The log as the hub sees it: entries appended by the test, read in order.
class MemoryLog final : public core::ports::LiveEventLog {
  public:
    void publish(core::ports::LiveEvent event) override {
        std::lock_guard lock(mutex_);
        core::ports::LoggedEvent logged;
        logged.seq = ++seq_;
        logged.platform = event.platform;
        logged.type = event.type;
        logged.session_id = event.session_id;
        logged.data_json = event.data_json;
        logged.at = event.at;
        entries_.push_back(logged);
    }
    void link(const std::string& session, Platform platform) {
        std::lock_guard lock(mutex_);
        links_.emplace_back(session, platform);
    }
    core::Result<std::vector<core::ports::LoggedEvent>> read_after(std::uint64_t after, int limit) override {
        std::lock_guard lock(mutex_);
        if (failing_) return core::Error::unavailable("database is down");
        std::vector<core::ports::LoggedEvent> out;
        for (auto entry : entries_) {
            if (entry.seq <= after || static_cast<int>(out.size()) >= limit) continue;
            for (const auto& [session, platform] : links_) {
                if (session == entry.session_id) entry.also_visible_to.push_back(platform);
            }
            out.push_back(entry);
        }
        return out;
    }
    core::Result<std::uint64_t> latest() override {
        std::lock_guard lock(mutex_);
        return seq_;
    }
    core::Result<std::uint64_t> prune(core::TimePoint) override { return std::uint64_t{0}; }
    void fail(bool failing) {
        std::lock_guard lock(mutex_);
        failing_ = failing;
    }

  private:
    std::mutex mutex_;
    std::uint64_t seq_ = 0;
    std::vector<core::ports::LoggedEvent> entries_;
    std::vector<std::pair<std::string, Platform>> links_;
    bool failing_ = false;
};

// What one client received, in order: "ready:<last>", "<seq>:<type>", "reset".
struct Received {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> frames;

    void add(std::string frame) {
        std::lock_guard lock(mutex);
        frames.push_back(std::move(frame));
        changed.notify_all();
    }
    std::vector<std::string> all() {
        std::lock_guard lock(mutex);
        return frames;
    }
    bool wait_for_count(std::size_t count) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(10), [&] { return frames.size() >= count; });
    }
};

class LiveEventHubTest : public ::testing::Test {
  protected:
    void publish(std::string type, std::string session = "ses_1", Platform platform = Platform::kTetrix) {
        core::ports::LiveEvent event;
        event.platform = platform;
        event.type = std::move(type);
        event.session_id = std::move(session);
        event.data_json = R"({"n":1})";
        event.at = clock_.now();
        log_.publish(event);
    }

    std::unique_ptr<LiveEventHub::Subscription> subscribe(Received& into, Platform platform,
                                                          std::optional<std::uint64_t> after = std::nullopt,
                                                          std::optional<std::string> session = std::nullopt) {
        LiveEventHub::Subscriber subscriber;
        subscriber.platform = platform;
        subscriber.after = after;
        subscriber.session_id = std::move(session);
        subscriber.on_ready = [&into](std::uint64_t last) { into.add("ready:" + std::to_string(last)); };
        subscriber.on_event = [&into](const std::shared_ptr<const LiveEventView>& event) {
            into.add(std::to_string(event->seq) + ":" + event->type);
        };
        subscriber.on_reset = [&into](const std::string&) { into.add("reset"); };
        return hub_->subscribe(std::move(subscriber));
    }

    LiveEventHub::Options options(std::size_t held = 100) {
        LiveEventHub::Options out;
        out.poll = std::chrono::hours(1);  // the tests drive reading with poll_once()
        out.held = held;
        return out;
    }

    testing::FakeClock clock_;
    MemoryLog log_;
    std::unique_ptr<LiveEventHub> hub_;
};

TEST_F(LiveEventHubTest, SubscribersGetReadyThenTheirPlatformsNewEventsInOrder) {
    hub_ = std::make_unique<LiveEventHub>(log_, clock_, options());
    publish("typing");  // before start: held, not delivered to later subscribers without Last-Event-ID
    ASSERT_TRUE(hub_->start().ok());
    Received tetrix, joromi;
    auto a = subscribe(tetrix, Platform::kTetrix);
    auto b = subscribe(joromi, Platform::kJoromi);
    publish("message");
    publish("call.state", "ses_2", Platform::kJoromi);
    publish("message.status");
    ASSERT_TRUE(hub_->poll_once().ok());
    EXPECT_EQ(tetrix.all(), (std::vector<std::string>{"ready:1", "2:message", "4:message.status"}));
    EXPECT_EQ(joromi.all(), (std::vector<std::string>{"ready:1", "3:call.state"}));
    EXPECT_EQ(hub_->subscriber_count(), 2u);
    a.reset();
    EXPECT_EQ(hub_->subscriber_count(), 1u);
}

TEST_F(LiveEventHubTest, SubscribersAreCountedByTransportUntilTheyLeave) {
    hub_ = std::make_unique<LiveEventHub>(log_, clock_, options());
    LiveSubscriberMetrics metrics;
    hub_->set_metrics(&metrics);
    ASSERT_TRUE(hub_->start().ok());
    const auto subscribe_on = [this](LiveTransport transport) {
        LiveEventHub::Subscriber subscriber;
        subscriber.transport = transport;
        subscriber.on_event = [](const std::shared_ptr<const LiveEventView>&) {};
        return hub_->subscribe(std::move(subscriber));
    };
    auto sse = subscribe_on(LiveTransport::kSse);
    auto ws1 = subscribe_on(LiveTransport::kWebSocket);
    auto ws2 = subscribe_on(LiveTransport::kWebSocket);
    ws1.reset();
    std::string out;
    metrics.render(out);
    EXPECT_EQ(out,
              "# HELP crossvoice_live_subscribers Live-event clients connected to this instance.\n"
              "# TYPE crossvoice_live_subscribers gauge\n"
              "crossvoice_live_subscribers{transport=\"sse\"} 1\n"
              "crossvoice_live_subscribers{transport=\"websocket\"} 1\n");
    sse.reset();
    ws2.reset();
    out.clear();
    metrics.render(out);
    EXPECT_NE(out.find("{transport=\"sse\"} 0\n"), std::string::npos) << out;
    EXPECT_NE(out.find("{transport=\"websocket\"} 0\n"), std::string::npos) << out;
}

TEST_F(LiveEventHubTest, ALastEventIdReplaysWhatWasMissedAndOnlyThat) {
    hub_ = std::make_unique<LiveEventHub>(log_, clock_, options());
    ASSERT_TRUE(hub_->start().ok());
    for (const char* type : {"message", "typing", "message", "message.status"}) publish(type);
    ASSERT_TRUE(hub_->poll_once().ok());
    Received resumed;
    auto subscription = subscribe(resumed, Platform::kTetrix, 2);
    publish("session.status");
    ASSERT_TRUE(hub_->poll_once().ok());
    EXPECT_EQ(resumed.all(),
              (std::vector<std::string>{"ready:4", "3:message", "4:message.status", "5:session.status"}));
}

TEST_F(LiveEventHubTest, EventsNoLongerHeldOrAnUnknownIdAskTheClientToReload) {
    hub_ = std::make_unique<LiveEventHub>(log_, clock_, options(2));
    for (int i = 0; i < 5; ++i) publish("message");
    ASSERT_TRUE(hub_->start().ok());  // holds 4 and 5 only
    Received too_old, unknown, held;
    auto a = subscribe(too_old, Platform::kTetrix, 1);
    auto b = subscribe(unknown, Platform::kTetrix, 99);
    auto c = subscribe(held, Platform::kTetrix, 3);
    EXPECT_EQ(too_old.all(), (std::vector<std::string>{"ready:5", "reset"}));
    EXPECT_EQ(unknown.all(), (std::vector<std::string>{"ready:5", "reset"}));
    EXPECT_EQ(held.all(), (std::vector<std::string>{"ready:5", "4:message", "5:message"}));
    // After a reset the client follows the live events.
    publish("typing");
    ASSERT_TRUE(hub_->poll_once().ok());
    EXPECT_EQ(too_old.all().back(), "6:typing");
}

TEST_F(LiveEventHubTest, ASessionFilterAndALinkedSessionDecideWhoSeesWhat) {
    hub_ = std::make_unique<LiveEventHub>(log_, clock_, options());
    ASSERT_TRUE(hub_->start().ok());
    log_.link("ses_shared", Platform::kJoromi);
    Received one_session, joromi;
    auto a = subscribe(one_session, Platform::kTetrix, std::nullopt, std::string("ses_shared"));
    auto b = subscribe(joromi, Platform::kJoromi);
    publish("message", "ses_other");
    publish("message", "ses_shared");
    ASSERT_TRUE(hub_->poll_once().ok());
    EXPECT_EQ(one_session.all(), (std::vector<std::string>{"ready:0", "2:message"}));
    EXPECT_EQ(joromi.all(), (std::vector<std::string>{"ready:0", "2:message"})) << "continued on JoRoMi";
}

TEST_F(LiveEventHubTest, EachEventIsRenderedOnceWithItsEnvelope) {
    hub_ = std::make_unique<LiveEventHub>(log_, clock_, options());
    ASSERT_TRUE(hub_->start().ok());
    std::shared_ptr<const LiveEventView> seen;
    LiveEventHub::Subscriber subscriber;
    subscriber.platform = Platform::kTetrix;
    subscriber.on_event = [&seen](const std::shared_ptr<const LiveEventView>& event) { seen = event; };
    auto subscription = hub_->subscribe(std::move(subscriber));
    publish("typing");
    ASSERT_TRUE(hub_->poll_once().ok());
    ASSERT_TRUE(seen);
    const auto envelope = json::parse(seen->json);
    EXPECT_EQ(envelope["id"], 1);
    EXPECT_EQ(envelope["type"], "typing");
    EXPECT_EQ(envelope["platform"], "tetrix");
    EXPECT_EQ(envelope["sessionId"], "ses_1");
    EXPECT_EQ(envelope["data"]["n"], 1);
    EXPECT_EQ(seen->data_json, R"({"n":1})");
}

TEST_F(LiveEventHubTest, TheThreadDeliversWhenWokenAndSurvivesAnOutage) {
    hub_ = std::make_unique<LiveEventHub>(log_, clock_, options());
    ASSERT_TRUE(hub_->start().ok());
    Received client;
    auto subscription = subscribe(client, Platform::kTetrix);
    log_.fail(true);
    publish("message");
    EXPECT_FALSE(hub_->poll_once().ok()) << "an outage is reported, and the read position stays";
    hub_->wake();
    log_.fail(false);
    publish("typing");
    hub_->wake();
    ASSERT_TRUE(client.wait_for_count(3)) << "the woken thread reads both, whatever failed in between";
    EXPECT_EQ(client.all(), (std::vector<std::string>{"ready:0", "1:message", "2:typing"}));
    hub_->stop();
}

}  // namespace
}  // namespace crossvoice::services
