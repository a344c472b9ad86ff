// Live event fan-out: how many events per second LiveEventHub reads from its log, renders once (JSON and SSE frame)
// and hands to N subscribers that each queue a copy of the frame, as GET /api/events does; and the ceiling in the
// same run: the same frames, rendered beforehand, queued for N subscribers without the hub (no log read, no render,
// no lock). Items processed = events (not frames). Run: build with -DCROSSVOICE_BENCH=ON, then
// taskset -c 1 build/bench/bench/live_fanout --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "services/live_event_hub.hpp"

namespace {

using crossvoice::core::Platform;
using crossvoice::services::LiveEventHub;
using crossvoice::services::LiveEventView;

constexpr int kBatch = 500;
// A chat message's event data as the hub renders it (about 400 bytes).
constexpr const char* kData =
    R"({"author":"caller","channel":"sms","content":"Hi, my invoice for November shows two charges for the same )"
    R"(number, can someone check it?","createdAt":"2026-11-24T20:17:11.852Z","direction":"inbound","id":)"
    R"("msg_01M87K935CGPEAHCPTFXHE9XEF","language":"en","metadata":{"vendor":"sinch"},"sessionId":)"
    R"("ses_01M87K8TRMGTZE5YFK3QQH8CNM","status":"delivered","type":"text"})";

// A log that always has the next batch: entries are made on demand, as a database would return them.
class EndlessLog final : public crossvoice::core::ports::LiveEventLog {
  public:
    void publish(crossvoice::core::ports::LiveEvent) override {}
    crossvoice::core::Result<std::vector<crossvoice::core::ports::LoggedEvent>> read_after(std::uint64_t after,
                                                                                           int limit) override {
        if (after >= end_) return std::vector<crossvoice::core::ports::LoggedEvent>{};
        std::vector<crossvoice::core::ports::LoggedEvent> out;
        out.reserve(static_cast<std::size_t>(limit));
        for (std::uint64_t seq = after + 1; seq <= end_ && static_cast<int>(out.size()) < limit; ++seq) {
            crossvoice::core::ports::LoggedEvent event;
            event.seq = seq;
            event.platform = seq % 4 == 0 ? Platform::kJoromi : Platform::kTetrix;  // a quarter is the other's
            event.type = "message.status";
            event.session_id = "ses_01M87K8TRMGTZE5YFK3QQH8CNM";
            event.data_json = kData;
            out.push_back(std::move(event));
        }
        return out;
    }
    crossvoice::core::Result<std::uint64_t> latest() override { return end_; }
    crossvoice::core::Result<std::uint64_t> prune(crossvoice::core::TimePoint) override { return std::uint64_t{0}; }
    void grow(std::uint64_t by) { end_ += by; }

  private:
    std::uint64_t end_ = 0;
};

// What a stream session holds: the frames not written yet (emptied now and then, as writes complete).
struct Queue {
    std::deque<std::string> frames;
    void push(std::string frame) {
        frames.push_back(std::move(frame));
        if (frames.size() > 4 * kBatch) frames.clear();
    }
};

void BM_HubFanout(benchmark::State& state) {
    const auto subscribers = static_cast<std::size_t>(state.range(0));
    crossvoice::core::SystemClock clock;
    EndlessLog log;
    LiveEventHub::Options options;
    options.poll = std::chrono::hours(1);  // the benchmark reads; the thread is not started
    LiveEventHub hub(log, clock, options);
    std::vector<Queue> queues(subscribers);
    std::vector<std::unique_ptr<LiveEventHub::Subscription>> subscriptions;
    for (auto& queue : queues) {
        LiveEventHub::Subscriber subscriber;
        subscriber.platform = Platform::kTetrix;
        subscriber.on_event = [&queue](const std::shared_ptr<const LiveEventView>& event) {
            queue.push(event->sse);  // what LiveEventStream sends: the frame the hub rendered once
        };
        subscriptions.push_back(hub.subscribe(std::move(subscriber)));
    }
    for (auto _ : state) {
        log.grow(kBatch);
        if (!hub.poll_once()) state.SkipWithError("poll failed");
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_CeilingFormatAndQueue(benchmark::State& state) {
    const auto subscribers = static_cast<std::size_t>(state.range(0));
    std::vector<Queue> queues(subscribers);
    std::vector<LiveEventView> rendered(kBatch);
    for (int i = 0; i < kBatch; ++i) {
        rendered[static_cast<std::size_t>(i)].seq = static_cast<std::uint64_t>(i + 1);
        rendered[static_cast<std::size_t>(i)].platform = (i + 1) % 4 == 0 ? Platform::kJoromi : Platform::kTetrix;
        rendered[static_cast<std::size_t>(i)].type = "message.status";
        auto& view = rendered[static_cast<std::size_t>(i)];
        view.json = std::string(R"({"id":1,"type":"message.status","data":)") + kData + "}";
        view.sse = fmt::format("id: {}\nevent: {}\ndata: {}\n\n", view.seq, view.type, view.json);
    }
    for (auto _ : state) {
        for (const auto& event : rendered) {
            if (event.platform != Platform::kTetrix) continue;
            for (auto& queue : queues) queue.push(event.sse);
        }
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
}

BENCHMARK(BM_HubFanout)->Arg(1)->Arg(20)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CeilingFormatAndQueue)->Arg(1)->Arg(20)->Arg(200)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
