#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/platform.hpp"

namespace crossvoice::core::ports {

// Something a console or widget watching a platform should see as it happens: a timeline message, a status
// change, a typing customer, a call's new state.
struct LiveEvent {
    Platform platform = Platform::kTetrix;
    std::string type;  // "message", "message.status", "typing", "call.state", "conversation.owner"
    std::string session_id;
    std::string data_json = "{}";  // a JSON object
    TimePoint at{};
};

// Where use-cases announce live events. Never blocks on whoever listens. Thread-safe.
class LiveEventSink {
  public:
    virtual ~LiveEventSink() = default;
    virtual void publish(LiveEvent event) = 0;
};

}  // namespace crossvoice::core::ports
