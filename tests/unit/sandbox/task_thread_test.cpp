#include "sandbox/task_thread.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace crossvoice::sandbox {
namespace {

// Collects what tasks report and lets the test wait for a count.
class Log {
  public:
    void add(int value) {
        {
            std::lock_guard lock(mutex_);
            values_.push_back(value);
        }
        changed_.notify_all();
    }
    bool wait_for_count(std::size_t count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return values_.size() >= count; });
    }
    std::vector<int> values() {
        std::lock_guard lock(mutex_);
        return values_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<int> values_;
};

TEST(TaskThreadTest, RunsTasksByDueTimeAndInPostingOrderWhenDueTogether) {
    Log log;
    TaskThread thread("test");
    thread.post_after(std::chrono::milliseconds(60), [&] { log.add(3); });
    thread.post_after(std::chrono::milliseconds(20), [&] { log.add(2); });
    thread.post([&] { log.add(0); });
    thread.post([&] { log.add(1); });
    ASSERT_TRUE(log.wait_for_count(4));
    EXPECT_EQ(log.values(), (std::vector<int>{0, 1, 2, 3}));
}

TEST(TaskThreadTest, StopDropsPendingTasksAndInterruptsPauses) {
    Log log;
    TaskThread thread("test");
    thread.post_after(std::chrono::hours(1), [&] { log.add(1); });
    bool paused_fully = true;
    thread.post([&] {
        log.add(0);
        paused_fully = thread.pause(std::chrono::hours(1));
    });
    ASSERT_TRUE(log.wait_for_count(1));
    const auto started = std::chrono::steady_clock::now();
    thread.stop();  // returns although a task is pausing for an hour and another is due in one
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    EXPECT_FALSE(paused_fully);
    EXPECT_EQ(log.values(), (std::vector<int>{0}));
    thread.post([&] { log.add(2); });  // ignored after stop
    thread.stop();
    EXPECT_EQ(log.values(), (std::vector<int>{0}));
}

TEST(TaskThreadTest, ATaskThatThrowsDoesNotStopTheThread) {
    Log log;
    TaskThread thread("test");
    thread.post([] { throw std::runtime_error("boom"); });
    thread.post([&] { log.add(1); });
    ASSERT_TRUE(log.wait_for_count(1));
}

}  // namespace
}  // namespace crossvoice::sandbox
