#include "sandbox/task_thread.hpp"

#include <algorithm>
#include <exception>

#include "observability/logging.hpp"

namespace crossvoice::sandbox {

TaskThread::TaskThread(std::string name) : name_(std::move(name)), thread_([this] { run(); }) {}

TaskThread::~TaskThread() { stop(); }

bool TaskThread::later(const Entry& a, const Entry& b) {
    if (a.due != b.due) return a.due > b.due;
    return a.sequence > b.sequence;
}

void TaskThread::post_after(std::chrono::milliseconds delay, std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        heap_.push_back({std::chrono::steady_clock::now() + delay, next_sequence_++, std::move(task)});
        std::push_heap(heap_.begin(), heap_.end(), later);
    }
    wake_.notify_all();
}

void TaskThread::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        heap_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool TaskThread::pause(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void TaskThread::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (heap_.empty()) {
            wake_.wait(lock);
            continue;
        }
        const auto due = heap_.front().due;
        if (std::chrono::steady_clock::now() < due) {
            wake_.wait_until(lock, due);
            continue;  // re-check: an earlier task may have been posted, or stop() called
        }
        std::pop_heap(heap_.begin(), heap_.end(), later);
        {
            auto task = std::move(heap_.back().task);
            heap_.pop_back();
            lock.unlock();
            try {
                task();
            } catch (const std::exception& e) {
                observability::logger("sandbox")->error("{} task threw: {}", name_, e.what());
            } catch (...) {
                observability::logger("sandbox")->error("{} task threw a non-standard exception", name_);
            }
        }  // the task and what it captured are destroyed before the lock is taken again
        lock.lock();
    }
}

}  // namespace crossvoice::sandbox
