#include "api/audit_handlers.hpp"

#include <charconv>

#include "api/json_body.hpp"
#include "core/time_format.hpp"

namespace crossvoice::api {
namespace {

constexpr int kMaxPageSize = 200;

nlohmann::json entry_json(const core::AuditEntry& entry) {
    return {
        {"id", entry.id},
        {"time", core::format_rfc3339(entry.time)},
        {"platform", entry.platform ? nlohmann::json(core::to_string(*entry.platform)) : nlohmann::json()},
        {"keyId", entry.key_id},
        {"action", entry.action},
        {"target", entry.target},
        {"requestId", entry.request_id},
        {"outcome", entry.outcome},
        {"status", entry.status},
    };
}

http::HandlerResult list_audit(http::RequestContext& context, services::AuditService& audit) {
    auto limit = query_int(context.request, "limit", 50);
    if (!limit) return std::move(limit).error();
    if (*limit < 1 || *limit > kMaxPageSize) {
        return core::Error::validation("limit", "limit must be between 1 and " + std::to_string(kMaxPageSize));
    }
    auto cursor_text = query_string(context.request, "cursor");
    if (!cursor_text) return std::move(cursor_text).error();
    std::optional<std::int64_t> cursor;
    if (const auto& text = cursor_text.value()) {
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc{} || ptr != text->data() + text->size() || value <= 0) {
            return core::Error::validation("cursor", "cursor is not one this API returned");
        }
        cursor = value;
    }
    auto page = audit.list(context.caller().platform, *limit, cursor);
    if (!page) return std::move(page).error();
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& entry : page->entries) entries.push_back(entry_json(entry));
    return success(200, {{"entries", std::move(entries)},
                         {"count", page->entries.size()},
                         {"nextCursor",
                          page->next_cursor ? nlohmann::json(std::to_string(*page->next_cursor)) : nlohmann::json()}});
}

}  // namespace

void add_audit_routes(http::Router& router, services::AuditService& audit) {
    router.add({http::Method::kGet, "/api/audit", "List the platform's audit log", http::Access::kApiKey,
                http::Execution::kWorker,
                [&audit](http::RequestContext& context) { return list_audit(context, audit); }});
}

}  // namespace crossvoice::api
