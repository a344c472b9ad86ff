#include "storage/postgres/pg_message_store.hpp"

#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "storage/postgres/pg_session_rows.hpp"
#include "storage/postgres/pg_timeline_rows.hpp"

#include "storage/message_status_order.hpp"

namespace crossvoice::storage {
namespace {

using core::MessageStatus;
using core::ports::StatusChange;

constexpr std::string_view kRememberEventSql =
    "INSERT INTO channel_events (event_id, received_at) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING";
constexpr std::string_view kContactSessionSql =
    "SELECT c.session_id FROM contacts c JOIN sessions s ON s.id = c.session_id "
    "WHERE c.platform = $1 AND c.channel = $2 AND c.identity = $3 AND s.status = 'active'";
constexpr std::string_view kSessionByNumberSql =
    "SELECT id FROM sessions WHERE platform = $1 AND phone_number = $2 AND status = 'active' ORDER BY id DESC LIMIT 1";
constexpr std::string_view kUpsertContactSql =
    "INSERT INTO contacts (platform, channel, identity, session_id, vendor_contact_id, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, channel, identity) DO UPDATE SET "
    "session_id = excluded.session_id, "
    "vendor_contact_id = COALESCE(excluded.vendor_contact_id, contacts.vendor_contact_id), "
    "updated_at = excluded.updated_at";
constexpr std::string_view kInsertDeliverySql =
    "INSERT INTO message_deliveries (message_id, platform, session_id, channel, recipient, vendor, "
    "vendor_message_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kFindDeliverySql =
    "SELECT message_id, platform, session_id, channel, recipient, vendor, vendor_message_id "
    "FROM message_deliveries WHERE message_id = $1";
constexpr std::string_view kSetVendorSql =
    "UPDATE message_deliveries SET vendor = $1, vendor_message_id = $2, updated_at = $3 WHERE message_id = $4";
constexpr std::string_view kByVendorSql =
    "SELECT message_id FROM message_deliveries WHERE vendor = $1 AND vendor_message_id = $2";
constexpr std::string_view kFindMessageSql =
    "SELECT id, session_id, platform, channel, direction, author, type, "
    "content, language, status, created_at, metadata FROM messages WHERE id = $1";
constexpr std::string_view kSetStatusSql = "UPDATE messages SET status = $1 WHERE id = $2";
constexpr std::string_view kSetStatusAndMetadataSql = "UPDATE messages SET status = $1, metadata = $2 WHERE id = $3";
// A customer's messages queue here (the two-key advisory lock, 0x6376 "cv", keyed by a hash of platform, channel
// and contact): two first messages of one new contact, delivered at once, must open one session, not two, which
// SQLite's single writer gave for free. Other contacts are not held up; a hash collision only makes two wait.
constexpr std::string_view kLockContactSql =
    "SELECT pg_advisory_xact_lock(25462, hashtext($1::text || '|' || $2::text || '|' || $3::text))";

// `lock`: FOR UPDATE, for a status change that reads the current status and then writes the next one.
core::Result<std::optional<core::TimelineMessage>> find_message(PgConnection& c, const std::string& id,
                                                                bool lock = false) {
    static const std::string kLockMessageSql = std::string(kFindMessageSql) + " FOR UPDATE";
    auto statement = lock ? c.prepare(kLockMessageSql, "find message") : c.prepare(kFindMessageSql, "find message");
    if (!statement) return std::move(statement).error();
    statement->bind_all(id);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return std::optional<core::TimelineMessage>();
    auto message = pg_read_timeline_message(*statement);
    if (!message) return std::move(message).error();
    return std::optional<core::TimelineMessage>(std::move(message).value());
}

core::Result<std::optional<std::string>> one_text(PgConnection& c, std::string_view sql, std::string_view operation,
                                                  const auto&... args) {
    auto statement = c.prepare(sql, operation);
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return std::optional<std::string>();
    return std::optional<std::string>(statement->text(0));
}

// The metadata with failureReason set, as SQLite's json_set writes it: compact, the other keys in their order.
core::Result<std::string> with_failure_reason(const std::string& metadata, const std::string& reason) {
    auto json = nlohmann::ordered_json::parse(metadata, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) {
        return core::Error::internal("database: stored message has unreadable metadata");
    }
    json["failureReason"] = reason;
    return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Moves one message's status inside the caller's transaction. The row is locked from the read on (FOR UPDATE):
// two reports of one message at once cannot both judge from the same status, so a status never moves back.
core::Result<StatusChange> change_status(PgConnection& c, const std::string& message_id, MessageStatus status,
                                         const std::optional<std::string>& reason) {
    auto found = find_message(c, message_id, /*lock=*/true);
    if (!found) return std::move(found).error();
    StatusChange out;
    if (!*found) return out;
    if (!message_status_may_follow((*found)->status, status)) {
        out.message = std::move(*found);
        return out;
    }
    const auto name = core::to_string(status);
    core::Status updated;
    if (reason) {
        auto metadata = with_failure_reason((*found)->metadata_json, *reason);
        if (!metadata) return std::move(metadata).error();
        updated = c.execute(kSetStatusAndMetadataSql, "update message status", name, *metadata, message_id);
    } else {
        updated = c.execute(kSetStatusSql, "update message status", name, message_id);
    }
    if (!updated) return std::move(updated).error();
    auto after = find_message(c, message_id);
    if (!after) return std::move(after).error();
    out.message = std::move(*after);
    out.changed = true;
    return out;
}

core::Status point_contact(PgConnection& c, core::Platform platform, core::Channel channel, const std::string& identity,
                           const std::string& session_id, const std::optional<std::string>& vendor_contact_id,
                           core::TimePoint at) {
    return c.execute(kUpsertContactSql, "save contact", core::to_string(platform), core::to_string(channel), identity,
                     session_id, vendor_contact_id, core::to_unix_ms(at));
}

}  // namespace

core::Result<core::ports::InboundOutcome> PgMessageStore::append_inbound(const core::ports::InboundMessage& inbound) {
    using Outcome = core::Result<core::ports::InboundOutcome>;
    return db_.with_connection([&](PgConnection& connection) -> Outcome {
        return connection.transaction("append inbound message", [&](PgConnection& c) -> Outcome {
            core::ports::InboundOutcome out;
            const auto at = inbound.message.created_at;
            if (auto remembered =
                    c.execute(kRememberEventSql, "remember channel event", inbound.event_id, core::to_unix_ms(at));
                !remembered) {
                return std::move(remembered).error();
            }
            if (c.changes() == 0) {
                out.duplicate = true;
                return out;
            }
            const auto platform = core::to_string(inbound.platform);
            if (auto locked = c.execute(kLockContactSql, "lock contact", platform, core::to_string(inbound.channel),
                                        inbound.contact);
                !locked) {
                return std::move(locked).error();
            }
            auto session_id = one_text(c, kContactSessionSql, "find contact", platform,
                                       core::to_string(inbound.channel), inbound.contact);
            if (!session_id) return std::move(session_id).error();
            if (!*session_id) {
                session_id = one_text(c, kSessionByNumberSql, "find session by number", platform, inbound.contact);
                if (!session_id) return std::move(session_id).error();
            }
            if (*session_id) {
                auto session = pg_find_session(c, inbound.platform, **session_id);
                if (!session) return std::move(session).error();
                if (!*session) return core::Error::internal("database: a contact points at a missing session");
                out.session = std::move(**session);
            } else {
                if (auto inserted = pg_insert_session(c, inbound.new_session); !inserted) {
                    return std::move(inserted).error();
                }
                out.session = inbound.new_session;
                out.opened = true;
            }
            if (auto pointed = point_contact(c, inbound.platform, inbound.channel, inbound.contact, out.session.id,
                                             inbound.vendor_contact_id, at);
                !pointed) {
                return std::move(pointed).error();
            }
            out.message = inbound.message;
            out.message.session_id = out.session.id;
            out.message.platform = inbound.platform;
            if (auto appended = pg_append_timeline(c, {out.message}); !appended) return std::move(appended).error();
            return out;
        });
    });
}

namespace {

core::Status insert_delivery(PgConnection& c, const core::ports::OutboundDelivery& delivery, core::TimePoint at) {
    if (auto recorded =
            c.execute(kInsertDeliverySql, "record delivery", delivery.message_id, core::to_string(delivery.platform),
                      delivery.session_id, core::to_string(delivery.channel), delivery.recipient, delivery.vendor,
                      delivery.vendor_message_id, core::to_unix_ms(at));
        !recorded) {
        return recorded;
    }
    // The web chat's "recipient" is the session itself: no contact to remember.
    if (delivery.channel == core::Channel::kChat) return {};
    return point_contact(c, delivery.platform, delivery.channel, delivery.recipient, delivery.session_id, std::nullopt,
                         at);
}

}  // namespace

core::Status PgMessageStore::append_outbound(const core::TimelineMessage& message,
                                             const core::ports::OutboundDelivery& delivery) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("append outbound message", [&](PgConnection& c) -> core::Status {
            const auto platform = core::to_string(delivery.platform);
            if (auto found = pg_require_session(c, platform, delivery.session_id); !found) return found;
            if (auto appended = pg_append_timeline(c, {message}); !appended) return appended;
            return insert_delivery(c, delivery, message.created_at);
        });
    });
}

core::Status PgMessageStore::record_delivery(const core::ports::OutboundDelivery& delivery, core::TimePoint at) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("record delivery", [&](PgConnection& c) -> core::Status {
            if (auto found = pg_require_session(c, core::to_string(delivery.platform), delivery.session_id); !found) {
                return found;
            }
            return insert_delivery(c, delivery, at);
        });
    });
}

core::Result<std::optional<core::ports::OutboundDelivery>> PgMessageStore::find_delivery(
    const std::string& message_id) {
    using Outcome = core::Result<std::optional<core::ports::OutboundDelivery>>;
    return db_.with_connection([&](PgConnection& c) -> Outcome {
        auto statement = c.prepare(kFindDeliverySql, "find delivery");
        if (!statement) return std::move(statement).error();
        statement->bind_all(message_id);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return std::optional<core::ports::OutboundDelivery>();
        core::ports::OutboundDelivery out;
        out.message_id = statement->text(0);
        const auto platform = core::parse_platform(statement->text(1));
        const auto channel = core::parse_channel(statement->text(3));
        if (!platform || !channel) {
            return core::Error::internal("database: stored delivery has an unreadable platform or channel");
        }
        out.platform = *platform;
        out.session_id = statement->text(2);
        out.channel = *channel;
        out.recipient = statement->text(4);
        out.vendor = statement->optional_text(5);
        out.vendor_message_id = statement->optional_text(6);
        return std::optional<core::ports::OutboundDelivery>(std::move(out));
    });
}

core::Result<StatusChange> PgMessageStore::mark_sent(const std::string& message_id, const std::string& vendor,
                                                     const std::string& vendor_message_id) {
    using Outcome = core::Result<StatusChange>;
    return db_.with_connection([&](PgConnection& connection) -> Outcome {
        return connection.transaction("mark message sent", [&](PgConnection& c) -> Outcome {
            auto message = find_message(c, message_id);
            if (!message) return std::move(message).error();
            if (!*message) return StatusChange{};
            if (auto saved = c.execute(kSetVendorSql, "save vendor id", vendor, vendor_message_id,
                                       core::to_unix_ms((*message)->created_at), message_id);
                !saved) {
                return std::move(saved).error();
            }
            return change_status(c, message_id, MessageStatus::kSent, std::nullopt);
        });
    });
}

core::Result<StatusChange> PgMessageStore::report_status(const std::string& vendor,
                                                         const std::string& vendor_message_id,
                                                         const std::optional<std::string>& our_message_id,
                                                         MessageStatus status,
                                                         const std::optional<std::string>& reason) {
    using Outcome = core::Result<StatusChange>;
    return db_.with_connection([&](PgConnection& connection) -> Outcome {
        return connection.transaction("report message status", [&](PgConnection& c) -> Outcome {
            auto id = one_text(c, kByVendorSql, "find message by vendor id", vendor, vendor_message_id);
            if (!id) return std::move(id).error();
            // A report can overtake our own record of the vendor's id: the echoed correlation id still finds it.
            if (!*id && our_message_id) {
                auto delivery = one_text(c, "SELECT message_id FROM message_deliveries WHERE message_id = $1",
                                         "find delivery", *our_message_id);
                if (!delivery) return std::move(delivery).error();
                id = std::move(delivery);
            }
            if (!*id) return StatusChange{};
            return change_status(c, **id, status, reason);
        });
    });
}

core::Result<StatusChange> PgMessageStore::set_status(const std::string& message_id, MessageStatus status,
                                                      const std::optional<std::string>& reason) {
    using Outcome = core::Result<StatusChange>;
    return db_.with_connection([&](PgConnection& connection) -> Outcome {
        return connection.transaction("set message status", [&](PgConnection& c) -> Outcome {
            return change_status(c, message_id, status, reason);
        });
    });
}

core::Result<std::optional<std::string>> PgMessageStore::session_of_contact(core::Platform platform,
                                                                            core::Channel channel,
                                                                            const std::string& contact) {
    return db_.with_connection([&](PgConnection& c) {
        return one_text(c, kContactSessionSql, "find contact", core::to_string(platform), core::to_string(channel),
                        contact);
    });
}

core::Result<std::optional<std::pair<core::Channel, std::string>>> PgMessageStore::contact_of_session(
    core::Platform platform, const std::string& session_id, std::optional<core::Channel> channel) {
    using Outcome = core::Result<std::optional<std::pair<core::Channel, std::string>>>;
    return db_.with_connection([&](PgConnection& c) -> Outcome {
        std::string sql = "SELECT channel, identity FROM contacts WHERE platform = $1 AND session_id = $2";
        if (channel) sql += " AND channel = $3";
        sql += " ORDER BY updated_at DESC LIMIT 1";
        auto statement = c.prepare(sql, "find contact of session");
        if (!statement) return std::move(statement).error();
        if (channel) {
            statement->bind_all(core::to_string(platform), session_id, core::to_string(*channel));
        } else {
            statement->bind_all(core::to_string(platform), session_id);
        }
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return std::optional<std::pair<core::Channel, std::string>>();
        const auto found = core::parse_channel(statement->text(0));
        if (!found) return core::Error::internal("database: stored contact has an unreadable channel");
        return std::optional<std::pair<core::Channel, std::string>>(std::make_pair(*found, statement->text(1)));
    });
}

}  // namespace crossvoice::storage
