#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace crossvoice::sandbox {

// One thread running tasks when they fall due (a steady_clock priority queue and a condition variable). Tasks
// due at the same moment run in the order they were posted, so posting with no delay makes it a FIFO queue.
// The sandbox runs two: the call timers, and webhook delivery, so that a slow webhook receiver never delays
// another call's timers. A task that throws is logged and dropped.
class TaskThread {
  public:
    explicit TaskThread(std::string name);
    ~TaskThread();  // stop()
    TaskThread(const TaskThread&) = delete;
    TaskThread& operator=(const TaskThread&) = delete;

    void post(std::function<void()> task) { post_after(std::chrono::milliseconds::zero(), std::move(task)); }
    void post_after(std::chrono::milliseconds delay, std::function<void()> task);

    // Drops every pending task, waits for a running one to return and joins. Idempotent; never call it from a
    // task (it would wait for itself). Posting afterwards does nothing.
    void stop();

    // For tasks of this thread that must pause (a retry backoff): waits up to `delay`, returning false at once
    // when stop() has been called, so that shutdown never waits out a backoff.
    bool pause(std::chrono::milliseconds delay);

  private:
    struct Entry {
        std::chrono::steady_clock::time_point due;
        std::uint64_t sequence = 0;
        std::function<void()> task;
    };
    // Min-heap on (due, sequence) through std::push_heap/pop_heap.
    static bool later(const Entry& a, const Entry& b);
    void run();

    std::string name_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Entry> heap_;
    std::uint64_t next_sequence_ = 0;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace crossvoice::sandbox
