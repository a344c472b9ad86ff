#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/ports/crypto.hpp"

namespace crossvoice::services {

// Time-ordered ids (core::make_id), monotonic within this process: an id made in the same millisecond as
// the previous one (or after the clock stepped back) reuses that millisecond and increments the previous
// entropy, so "newest first" is exact creation order. Across processes, ids of one millisecond order randomly.
class IdGenerator {
  public:
    IdGenerator(const core::Clock& clock, core::ports::Crypto& crypto) : clock_(clock), crypto_(crypto) {}
    std::string next(std::string_view prefix);

  private:
    const core::Clock& clock_;
    core::ports::Crypto& crypto_;
    std::mutex mutex_;  // guards the two below; held for a few instructions per id
    core::TimePoint last_time_{};
    core::IdEntropy last_entropy_{};
};

}  // namespace crossvoice::services
