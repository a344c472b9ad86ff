#pragma once

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// Remembers keys that may be used once within a window: webhook nonces, the ids of events that carry no
// natural row of their own (typing, delivery reports), hand-off tokens. Shared by every instance that can
// receive the same key (SQLite on one machine; Redis when scaled out).
class ReplayGuard {
  public:
    virtual ~ReplayGuard() = default;
    // True the first time `key` is seen before `expires_at`; false when it was already used and has not expired.
    // Expired keys are forgotten. Thread-safe.
    virtual Result<bool> first_use(const std::string& key, TimePoint now, TimePoint expires_at) = 0;
};

}  // namespace crossvoice::core::ports
