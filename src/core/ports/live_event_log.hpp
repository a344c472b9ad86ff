#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/message.hpp"
#include "core/platform.hpp"
#include "core/ports/live_events.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// One entry of the live event log. Timeline messages, message statuses, call states and session statuses are
// logged by the store itself in the transaction that changes them (so no writer can forget to announce, and a
// rolled-back change announces nothing); typing and ownership changes are appended through LiveEventSink.
struct LoggedEvent {
    std::uint64_t seq = 0;  // increases with every entry; the SSE event id
    Platform platform = Platform::kTetrix;
    std::vector<Platform> also_visible_to;  // platforms the session was continued on (hand-off)
    std::string type;                       // "message", "message.status", "call.state", "session.status", …
    std::string session_id;
    std::optional<TimelineMessage> message;  // type "message": the message as it is now
    // The customer's language when the session was started with one (the integration API's targetLanguage with
    // enableTranslation): live translations use it before the customer has written anything.
    std::optional<std::string> customer_language;
    std::string data_json;  // every other type: the event's own data, a JSON object
    TimePoint at{};
};

// The log the live event hub reads. Every instance sharing the database sees the same sequence, which is what
// lets a console connected to one instance see events raised on another. Thread-safe.
class LiveEventLog : public LiveEventSink {
  public:
    // Entries with seq > after, oldest first, at most `limit`.
    virtual Result<std::vector<LoggedEvent>> read_after(std::uint64_t after, int limit) = 0;
    // The highest seq logged so far (0 when the log is empty).
    virtual Result<std::uint64_t> latest() = 0;
    // Forgets entries older than `before`; returns how many went.
    virtual Result<std::uint64_t> prune(TimePoint before) = 0;
};

}  // namespace crossvoice::core::ports
