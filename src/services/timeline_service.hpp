#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/message.hpp"
#include "core/ports/session_store.hpp"
#include "core/ports/transcript_store.hpp"
#include "core/result.hpp"

namespace crossvoice::services {

// Reading a session's timeline, scoped to the caller's platform.
class TimelineService {
  public:
    TimelineService(core::ports::SessionStore& sessions, core::ports::TimelineStore& timeline)
        : sessions_(sessions), timeline_(timeline) {}

    // Oldest first; `after_id` continues from the last message of the previous page. kNotFound for a session
    // that does not exist on the caller's platform; kValidation for a limit outside 1..200.
    core::Result<std::vector<core::TimelineMessage>> list(const core::Principal& caller, const std::string& session_id,
                                                          int limit, std::optional<std::string> after_id);

  private:
    core::ports::SessionStore& sessions_;
    core::ports::TimelineStore& timeline_;
};

}  // namespace crossvoice::services
