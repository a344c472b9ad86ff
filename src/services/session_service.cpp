#include "services/session_service.hpp"

#include <fmt/format.h>

#include "core/e164.hpp"
#include "core/ids.hpp"

namespace crossvoice::services {
namespace {

core::Error unknown_session(const std::string& id) { return core::Error::not_found("session", id); }

}  // namespace

core::Result<core::Session> SessionService::open(const core::Principal& caller, NewSession input) {
    const auto channel = core::parse_channel(input.channel);
    if (!channel) {
        return core::Error::validation("channel", "channel must be one of voice, chat, sms, whatsapp")
            .with("value", input.channel);
    }
    if (input.phone_number && !core::is_e164(*input.phone_number)) {
        return core::Error::validation("phoneNumber", "phoneNumber must be an E.164 number such as +15551234567");
    }
    if (input.user_id && (input.user_id->empty() || input.user_id->size() > kMaxUserIdLength)) {
        return core::Error::validation("userId", fmt::format("userId must be 1 to {} characters", kMaxUserIdLength));
    }
    if (input.metadata_json.size() > kMaxMetadataBytes) {
        return core::Error::validation("metadata", fmt::format("metadata must be at most {} bytes", kMaxMetadataBytes));
    }
    core::Session session;
    session.id = ids_.next(core::kSessionIdPrefix);
    session.platform = caller.platform;
    session.channel = *channel;
    session.phone_number = std::move(input.phone_number);
    session.user_id = std::move(input.user_id);
    session.metadata_json = std::move(input.metadata_json);
    session.start_time = clock_.now();
    session.created_by_key = caller.key_id;
    if (auto stored = store_.insert(session); !stored) return std::move(stored).error();
    return session;
}

core::Result<core::Session> SessionService::get(const core::Principal& caller, const std::string& id) {
    if (!core::is_valid_id(core::kSessionIdPrefix, id)) return unknown_session(id);
    auto found = store_.find(caller.platform, id);
    if (!found) return std::move(found).error();
    if (!found.value()) return unknown_session(id);
    return std::move(*found.value());
}

core::Result<SessionPage> SessionService::list(const core::Principal& caller, const SessionFilter& filter) {
    core::ports::SessionQuery query;
    query.platform = caller.platform;
    if (filter.status) {
        query.status = core::parse_session_status(*filter.status);
        if (!query.status) {
            return core::Error::validation("status", "status must be one of active, ended")
                .with("value", *filter.status);
        }
    }
    if (filter.channel) {
        query.channel = core::parse_channel(*filter.channel);
        if (!query.channel) {
            return core::Error::validation("channel", "channel must be one of voice, chat, sms, whatsapp")
                .with("value", *filter.channel);
        }
    }
    if (filter.limit < 1 || filter.limit > kMaxPageSize) {
        return core::Error::validation("limit", fmt::format("limit must be between 1 and {}", kMaxPageSize));
    }
    if (filter.cursor) {
        if (!core::is_valid_id(core::kSessionIdPrefix, *filter.cursor)) {
            return core::Error::validation("cursor", "cursor is not one this API returned");
        }
        query.before_id = filter.cursor;
    }
    query.limit = filter.limit + 1;  // one extra row tells whether another page follows
    auto rows = store_.list(query);
    if (!rows) return std::move(rows).error();
    SessionPage page;
    page.sessions = std::move(rows).value();
    if (static_cast<int>(page.sessions.size()) > filter.limit) {
        page.sessions.resize(static_cast<std::size_t>(filter.limit));
        page.next_cursor = page.sessions.back().id;
    }
    return page;
}

core::Result<core::Session> SessionService::end(const core::Principal& caller, const std::string& id) {
    if (!core::is_valid_id(core::kSessionIdPrefix, id)) return unknown_session(id);
    auto ended = store_.end(caller.platform, id, clock_.now());
    if (!ended) return std::move(ended).error();
    if (!ended.value()) return unknown_session(id);
    return std::move(*ended.value());
}

}  // namespace crossvoice::services
