#include "sandbox/recording_store.hpp"

#include <utility>

namespace crossvoice::sandbox {

void RecordingStore::put(const std::string& id, Recording recording) {
    std::lock_guard lock(mutex_);
    if (recordings_.insert_or_assign(id, std::move(recording)).second) order_.push_back(id);
    while (order_.size() > kCapacity) {
        recordings_.erase(order_.front());
        order_.pop_front();
    }
}

std::optional<RecordingStore::Recording> RecordingStore::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = recordings_.find(id);
    if (it == recordings_.end()) return std::nullopt;
    return it->second;
}

}  // namespace crossvoice::sandbox
