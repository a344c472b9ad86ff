#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/message.hpp"
#include "core/result.hpp"
#include "core/session.hpp"

namespace crossvoice::core::ports {

struct SessionQuery {
    Platform platform = Platform::kTetrix;
    std::optional<SessionStatus> status;
    std::optional<Channel> channel;
    int limit = 50;
    std::optional<std::string> before_id;  // cursor: return sessions with a smaller (older) id
};

// Sessions, always scoped to one platform: a lookup never crosses platforms, except to a session continued on
// the asking platform through a claimed hand-off (link), which both platforms then see.
class SessionStore {
  public:
    virtual ~SessionStore() = default;
    virtual Status insert(const Session& session) = 0;
    virtual Result<std::optional<Session>> find(Platform platform, const std::string& id) = 0;
    // Newest first.
    virtual Result<std::vector<Session>> list(const SessionQuery& query) = 0;
    // Marks an active session ended at `at`; an already ended session is left as it is.
    // Returns the session after the change, or nullopt when it does not exist on this platform.
    virtual Result<std::optional<Session>> end(Platform platform, const std::string& id, TimePoint at) = 0;
    // One unit of work: the session (which event.platform, its own platform, can see) becomes visible to
    // `platform` as well, and `event` joins its timeline. Linking twice changes nothing more than the event.
    // kNotFound (nothing written) when the session does not exist.
    virtual Status link(Platform platform, const std::string& session_id, const TimelineMessage& event,
                        TimePoint at) = 0;
};

}  // namespace crossvoice::core::ports
