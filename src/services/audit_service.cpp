#include "services/audit_service.hpp"

namespace crossvoice::services {

core::Status AuditService::record(core::AuditEntry entry) {
    entry.time = clock_.now();
    auto id = store_.append(entry);
    if (!id) return std::move(id).error();
    return {};
}

core::Result<AuditPage> AuditService::list(core::Platform platform, int limit, std::optional<std::int64_t> before_id) {
    // Ask for one more than the page to know whether another page follows.
    auto rows = store_.list({platform, limit + 1, before_id});
    if (!rows) return std::move(rows).error();
    AuditPage page;
    page.entries = std::move(rows).value();
    if (static_cast<int>(page.entries.size()) > limit) {
        page.entries.resize(static_cast<std::size_t>(limit));
        page.next_cursor = page.entries.back().id;
    }
    return page;
}

}  // namespace crossvoice::services
