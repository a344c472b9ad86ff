#include "services/timeline_service.hpp"

namespace crossvoice::services {

core::Result<std::vector<core::TimelineMessage>> TimelineService::list(const core::Principal& caller,
                                                                       const std::string& session_id, int limit,
                                                                       std::optional<std::string> after_id) {
    if (limit < 1 || limit > 200) return core::Error::validation("limit", "limit must be from 1 to 200");
    auto session = sessions_.find(caller.platform, session_id);
    if (!session) return std::move(session).error();
    if (!session.value()) return core::Error::not_found("session", session_id);
    // The timeline is kept under the session's own platform, also when the caller continues it (a hand-off).
    return timeline_.list({session.value()->platform, session_id, limit, std::move(after_id)});
}

}  // namespace crossvoice::services
