#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/platform.hpp"
#include "core/ports/live_event_log.hpp"
#include "services/live_subscriber_metrics.hpp"
#include "services/live_translations.hpp"

namespace crossvoice::services {

// A live event rendered once, for every subscriber: `json` is {"id", "type", "platform", "sessionId", "at",
// "data"}.
struct LiveEventView {
    std::uint64_t seq = 0;
    core::Platform platform = core::Platform::kTetrix;
    std::vector<core::Platform> also_visible_to;
    std::string type;
    std::string session_id;
    std::string data_json;  // the "data" member alone
    std::string json;       // the whole event: a WebSocket message
    std::string sse;        // the whole event as a Server-Sent Events frame (id, event, data)

    bool visible_to(core::Platform viewer) const;
};

// Delivers the live event log to subscribers (consoles and widgets on SSE or WebSocket). One thread reads the
// log (the database is the sequence every instance shares, so an event raised on another instance arrives the
// same way), renders each event once and hands it to the subscribers of its platform. The last `held` events stay
// in memory, so a client reconnecting with Last-Event-ID resumes from them without touching the database.
class LiveEventHub {
  public:
    struct Options {
        std::chrono::milliseconds poll{100};  // how often the log is read when nothing wakes the hub earlier
        std::size_t held = 10'000;            // events kept for resuming
        std::chrono::hours retention{24};     // log entries older than this are pruned
    };

    using Listener = std::function<void(const std::shared_ptr<const LiveEventView>&)>;
    // Called instead of a replay when the events after the client's Last-Event-ID are no longer held (or the id
    // is not one of ours): the client must reload what it shows, then follows the live events.
    using ResetListener = std::function<void(std::string reason)>;

    class Subscription {
      public:
        Subscription(LiveEventHub& hub, std::uint64_t id) : hub_(hub), id_(id) {}
        ~Subscription();
        Subscription(const Subscription&) = delete;
        Subscription& operator=(const Subscription&) = delete;

      private:
        LiveEventHub& hub_;
        std::uint64_t id_;
    };

    LiveEventHub(core::ports::LiveEventLog& log, const core::Clock& clock, Options options);
    ~LiveEventHub();
    LiveEventHub(const LiveEventHub&) = delete;
    LiveEventHub& operator=(const LiveEventHub&) = delete;

    // Messages then also carry their translation into the other side's language (before start()).
    void set_translations(LiveTranslations* translations) { translations_ = translations; }
    // Counts subscribers by transport for /metrics (before start()).
    void set_metrics(LiveSubscriberMetrics* metrics) { metrics_ = metrics; }

    // Loads the held window and starts the reading thread.
    core::Status start();
    void stop();

    struct Subscriber {
        core::Platform platform = core::Platform::kTetrix;
        std::optional<std::uint64_t> after;  // the client's Last-Event-ID: replay what came after it
        std::optional<std::string> session_id;
        std::function<void(std::uint64_t last_seq)> on_ready;  // first: the subscription is live from last_seq on
        Listener on_event;
        ResetListener on_reset;
        LiveTransport transport = LiveTransport::kSse;  // for the subscriber gauge only
    };
    // Calls on_ready, then replays the held events after `after` (or calls on_reset), at once on the caller's
    // thread; then each new event is delivered on the hub's thread. Callbacks must not block and must not call
    // the hub.
    std::unique_ptr<Subscription> subscribe(Subscriber subscriber);

    // Reads the log now instead of at the next poll (a hint from in-process writers).
    void wake();
    // Reads and delivers what the log holds past the last event delivered; what the thread does, for tests.
    core::Status poll_once();

    std::size_t subscriber_count() const;
    std::uint64_t last_seq() const;

  private:
    struct Registered {
        std::uint64_t id = 0;
        Subscriber subscriber;
    };

    void run();
    void unsubscribe(std::uint64_t id);
    std::shared_ptr<const LiveEventView> render(const core::ports::LoggedEvent& event);
    static bool wants(const Subscriber& subscriber, const LiveEventView& event);

    core::ports::LiveEventLog& log_;
    const core::Clock& clock_;
    LiveTranslations* translations_ = nullptr;
    LiveSubscriberMetrics* metrics_ = nullptr;
    Options options_;

    mutable std::mutex mutex_;  // the held window, the subscribers and the read position
    std::deque<std::shared_ptr<const LiveEventView>> held_;
    std::uint64_t window_start_ = 0;  // every event with a larger seq is held (or still to be read)
    std::uint64_t last_seq_ = 0;      // the last event read from the log
    std::vector<Registered> subscribers_;
    std::uint64_t next_subscriber_ = 1;
    std::mutex poll_mutex_;  // one reader of the log at a time (the thread, or a test's poll_once)

    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool woken_ = false;
    bool stopping_ = false;
    std::thread thread_;
    core::TimePoint next_prune_{};
};

}  // namespace crossvoice::services
