#include "services/live_event_hub.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/time_format.hpp"
#include "observability/logging.hpp"
#include "services/message_json.hpp"

namespace crossvoice::services {
namespace {

constexpr int kReadBatch = 500;
constexpr std::chrono::minutes kPruneEvery{10};

}  // namespace

bool LiveEventView::visible_to(core::Platform viewer) const {
    return platform == viewer ||
           std::find(also_visible_to.begin(), also_visible_to.end(), viewer) != also_visible_to.end();
}

LiveEventHub::Subscription::~Subscription() { hub_.unsubscribe(id_); }

LiveEventHub::LiveEventHub(core::ports::LiveEventLog& log, const core::Clock& clock, Options options)
    : log_(log), clock_(clock), options_(options) {}

LiveEventHub::~LiveEventHub() { stop(); }

core::Status LiveEventHub::start() {
    auto latest = log_.latest();
    if (!latest) return std::move(latest).error();
    const std::uint64_t held = options_.held;
    const std::uint64_t from = *latest > held ? *latest - held : 0;
    {
        std::lock_guard lock(mutex_);
        window_start_ = from;
        last_seq_ = from;
    }
    // The held window is loaded like any later batch: nobody subscribes before start() returns.
    if (auto polled = poll_once(); !polled) return polled;
    next_prune_ = clock_.now();
    thread_ = std::thread([this] { run(); });
    return {};
}

void LiveEventHub::stop() {
    {
        std::lock_guard lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void LiveEventHub::wake() {
    {
        std::lock_guard lock(wake_mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

void LiveEventHub::run() {
    auto log = observability::logger("live");
    bool failing = false;
    while (true) {
        {
            std::unique_lock lock(wake_mutex_);
            wake_.wait_for(lock, options_.poll, [this] { return stopping_ || woken_; });
            if (stopping_) return;
            woken_ = false;
        }
        if (auto polled = poll_once(); !polled) {
            // Said once per outage, not at every poll.
            if (!failing) log->warn("live events cannot be read: {}", polled.error().message);
            failing = true;
            continue;
        }
        if (failing) log->info("live events are read again");
        failing = false;
        if (clock_.now() >= next_prune_) {
            next_prune_ = clock_.now() + kPruneEvery;
            if (auto pruned = log_.prune(clock_.now() - options_.retention); !pruned) {
                log->warn("old live events not pruned: {}", pruned.error().message);
            }
        }
    }
}

core::Status LiveEventHub::poll_once() {
    std::lock_guard reading(poll_mutex_);
    while (true) {
        auto batch = log_.read_after(last_seq(), kReadBatch);
        if (!batch) return std::move(batch).error();
        if (batch->empty()) return {};
        std::vector<std::shared_ptr<const LiveEventView>> views;
        views.reserve(batch->size());
        for (const auto& event : *batch) views.push_back(render(event));

        std::lock_guard lock(mutex_);
        for (auto& view : views) {
            last_seq_ = view->seq;
            held_.push_back(view);
            while (held_.size() > options_.held) {
                window_start_ = held_.front()->seq;
                held_.pop_front();
            }
            for (const auto& registered : subscribers_) {
                if (wants(registered.subscriber, *view)) registered.subscriber.on_event(view);
            }
        }
        if (batch->size() < static_cast<std::size_t>(kReadBatch)) return {};
    }
}

std::unique_ptr<LiveEventHub::Subscription> LiveEventHub::subscribe(Subscriber subscriber) {
    std::lock_guard lock(mutex_);
    if (subscriber.on_ready) subscriber.on_ready(last_seq_);
    if (const auto after = subscriber.after) {
        if (*after > last_seq_) {
            subscriber.on_reset("Last-Event-ID " + std::to_string(*after) + " is not an event of this service; reload");
        } else if (*after < window_start_) {
            subscriber.on_reset("events after " + std::to_string(*after) + " are no longer held; reload");
        } else {
            for (const auto& view : held_) {
                if (view->seq > *after && wants(subscriber, *view)) subscriber.on_event(view);
            }
        }
    }
    const auto id = next_subscriber_++;
    if (metrics_ != nullptr) metrics_->add(subscriber.transport, 1);
    subscribers_.push_back(Registered{id, std::move(subscriber)});
    return std::make_unique<Subscription>(*this, id);
}

void LiveEventHub::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    std::erase_if(subscribers_, [this, id](const Registered& registered) {
        if (registered.id != id) return false;
        if (metrics_ != nullptr) metrics_->add(registered.subscriber.transport, -1);
        return true;
    });
}

std::size_t LiveEventHub::subscriber_count() const {
    std::lock_guard lock(mutex_);
    return subscribers_.size();
}

std::uint64_t LiveEventHub::last_seq() const {
    std::lock_guard lock(mutex_);
    return last_seq_;
}

bool LiveEventHub::wants(const Subscriber& subscriber, const LiveEventView& event) {
    if (!event.visible_to(subscriber.platform)) return false;
    return !subscriber.session_id || *subscriber.session_id == event.session_id;
}

std::shared_ptr<const LiveEventView> LiveEventHub::render(const core::ports::LoggedEvent& event) {
    using nlohmann::json;
    auto view = std::make_shared<LiveEventView>();
    view->seq = event.seq;
    view->platform = event.platform;
    view->also_visible_to = event.also_visible_to;
    view->type = event.type;
    view->session_id = event.session_id;
    if (event.message) {
        auto data = message_json(*event.message);
        // On the hub's thread, before delivery: a slow engine delays events, it never blocks a writer.
        if (translations_ != nullptr) {
            if (auto translation = translations_->for_message(*event.message, event.customer_language)) {
                data["translation"] = *translation;
            }
        }
        view->data_json = data.dump();
    } else {
        // The log's own JSON (the triggers' json_object, our publishers' dump) goes in as it is: parsing and
        // re-serialising it was a third of the hub's time per event (bench/live_fanout.cpp). A value that is not
        // an object cannot come from those writers; it is replaced rather than sent.
        const auto& text = event.data_json;
        const bool object = text.size() >= 2 && text.front() == '{' && text.back() == '}';
        view->data_json = object ? text : "{}";
    }
    // The envelope around it, assembled as text: the strings are escaped by nlohmann, the data is already JSON.
    view->json = fmt::format(R"({{"id":{},"type":{},"platform":"{}","sessionId":{},"at":"{}","data":{}}})", event.seq,
                             json(event.type).dump(), core::to_string(event.platform), json(event.session_id).dump(),
                             core::format_rfc3339(event.at), view->data_json);
    // Rendered once here rather than by each of possibly hundreds of subscribers (bench/live_fanout.cpp).
    view->sse = fmt::format("id: {}\nevent: {}\ndata: {}\n\n", view->seq, view->type, view->json);
    return view;
}

}  // namespace crossvoice::services
