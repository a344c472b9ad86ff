#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace crossvoice::sandbox {

// Finished recordings, in memory only: the most recent kCapacity are kept and older ones are forgotten (their
// URLs then answer 404, much as Telnyx's expire after 10 minutes). Thread-safe.
class RecordingStore {
  public:
    static constexpr std::size_t kCapacity = 200;

    struct Recording {
        std::string wav;
        bool gone = false;  // the "410" number: the URL exists but answers 410 Gone
    };

    void put(const std::string& id, Recording recording);
    std::optional<Recording> find(const std::string& id) const;

  private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Recording> recordings_;
    std::deque<std::string> order_;  // oldest first
};

}  // namespace crossvoice::sandbox
