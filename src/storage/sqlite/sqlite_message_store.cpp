#include "storage/sqlite/sqlite_message_store.hpp"

#include <string_view>
#include <utility>

#include "storage/sqlite/session_rows.hpp"
#include "storage/sqlite/timeline_rows.hpp"

#include "storage/message_status_order.hpp"

namespace crossvoice::storage {
namespace {

using core::MessageStatus;
using core::ports::StatusChange;

constexpr std::string_view kRememberEventSql =
    "INSERT INTO channel_events (event_id, received_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING";
constexpr std::string_view kContactSessionSql =
    "SELECT c.session_id FROM contacts c JOIN sessions s ON s.id = c.session_id "
    "WHERE c.platform = ? AND c.channel = ? AND c.identity = ? AND s.status = 'active'";
constexpr std::string_view kSessionByNumberSql =
    "SELECT id FROM sessions WHERE platform = ? AND phone_number = ? AND status = 'active' ORDER BY id DESC LIMIT 1";
constexpr std::string_view kUpsertContactSql =
    "INSERT INTO contacts (platform, channel, identity, session_id, vendor_contact_id, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, channel, identity) DO UPDATE SET "
    "session_id = excluded.session_id, "
    "vendor_contact_id = COALESCE(excluded.vendor_contact_id, contacts.vendor_contact_id), "
    "updated_at = excluded.updated_at";
constexpr std::string_view kInsertDeliverySql =
    "INSERT INTO message_deliveries (message_id, platform, session_id, channel, recipient, vendor, "
    "vendor_message_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindDeliverySql =
    "SELECT message_id, platform, session_id, channel, recipient, vendor, vendor_message_id "
    "FROM message_deliveries WHERE message_id = ?";
constexpr std::string_view kSetVendorSql =
    "UPDATE message_deliveries SET vendor = ?, vendor_message_id = ?, updated_at = ? WHERE message_id = ?";
constexpr std::string_view kByVendorSql =
    "SELECT message_id FROM message_deliveries WHERE vendor = ? AND vendor_message_id = ?";
constexpr std::string_view kFindMessageSql =
    "SELECT id, session_id, platform, channel, direction, author, type, "
    "content, language, status, created_at, metadata FROM messages WHERE id = ?";
constexpr std::string_view kSetStatusSql = "UPDATE messages SET status = ? WHERE id = ?";
constexpr std::string_view kSetStatusAndReasonSql =
    "UPDATE messages SET status = ?, metadata = json_set(metadata, '$.failureReason', ?) WHERE id = ?";

core::Result<std::optional<core::TimelineMessage>> find_message(Connection& c, const std::string& id) {
    auto statement = c.prepare(kFindMessageSql, "find message");
    if (!statement) return std::move(statement).error();
    statement->bind_all(id);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return std::optional<core::TimelineMessage>();
    auto message = read_timeline_message(*statement);
    if (!message) return std::move(message).error();
    return std::optional<core::TimelineMessage>(std::move(message).value());
}

core::Result<std::optional<std::string>> one_text(Connection& c, std::string_view sql, std::string_view operation,
                                                  const auto&... args) {
    auto statement = c.prepare(sql, operation);
    if (!statement) return std::move(statement).error();
    statement->bind_all(args...);
    auto row = statement->step();
    if (!row) return std::move(row).error();
    if (!row.value()) return std::optional<std::string>();
    return std::optional<std::string>(statement->text(0));
}

// Moves one message's status inside the caller's transaction.
core::Result<StatusChange> change_status(Connection& c, const std::string& message_id, MessageStatus status,
                                         const std::optional<std::string>& reason) {
    auto found = find_message(c, message_id);
    if (!found) return std::move(found).error();
    StatusChange out;
    if (!*found) return out;
    if (!message_status_may_follow((*found)->status, status)) {
        out.message = std::move(*found);
        return out;
    }
    const auto name = core::to_string(status);
    const auto updated = reason ? c.execute(kSetStatusAndReasonSql, "update message status", name, *reason, message_id)
                                : c.execute(kSetStatusSql, "update message status", name, message_id);
    if (!updated) return std::move(updated).error();
    auto after = find_message(c, message_id);
    if (!after) return std::move(after).error();
    out.message = std::move(*after);
    out.changed = true;
    return out;
}

core::Status point_contact(Connection& c, core::Platform platform, core::Channel channel, const std::string& identity,
                           const std::string& session_id, const std::optional<std::string>& vendor_contact_id,
                           core::TimePoint at) {
    return c.execute(kUpsertContactSql, "save contact", core::to_string(platform), core::to_string(channel), identity,
                     session_id, vendor_contact_id, core::to_unix_ms(at));
}

}  // namespace

core::Result<core::ports::InboundOutcome> SqliteMessageStore::append_inbound(
    const core::ports::InboundMessage& inbound) {
    using Outcome = core::Result<core::ports::InboundOutcome>;
    return db_.with_connection([&](Connection& connection) -> Outcome {
        return connection.transaction("append inbound message", [&](Connection& c) -> Outcome {
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
            auto session_id = one_text(c, kContactSessionSql, "find contact", platform,
                                       core::to_string(inbound.channel), inbound.contact);
            if (!session_id) return std::move(session_id).error();
            if (!*session_id) {
                session_id = one_text(c, kSessionByNumberSql, "find session by number", platform, inbound.contact);
                if (!session_id) return std::move(session_id).error();
            }
            if (*session_id) {
                auto session = find_session(c, inbound.platform, **session_id);
                if (!session) return std::move(session).error();
                if (!*session) return core::Error::internal("database: a contact points at a missing session");
                out.session = std::move(**session);
            } else {
                if (auto inserted = insert_session(c, inbound.new_session); !inserted) {
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
            if (auto appended = append_timeline(c, {out.message}); !appended) return std::move(appended).error();
            return out;
        });
    });
}

namespace {

core::Status insert_delivery(Connection& c, const core::ports::OutboundDelivery& delivery, core::TimePoint at) {
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

core::Status SqliteMessageStore::append_outbound(const core::TimelineMessage& message,
                                                 const core::ports::OutboundDelivery& delivery) {
    return db_.with_connection([&](Connection& connection) {
        return connection.transaction("append outbound message", [&](Connection& c) -> core::Status {
            const auto platform = core::to_string(delivery.platform);
            if (auto found = require_session(c, platform, delivery.session_id); !found) return found;
            if (auto appended = append_timeline(c, {message}); !appended) return appended;
            return insert_delivery(c, delivery, message.created_at);
        });
    });
}

core::Status SqliteMessageStore::record_delivery(const core::ports::OutboundDelivery& delivery, core::TimePoint at) {
    return db_.with_connection([&](Connection& connection) {
        return connection.transaction("record delivery", [&](Connection& c) -> core::Status {
            if (auto found = require_session(c, core::to_string(delivery.platform), delivery.session_id); !found) {
                return found;
            }
            return insert_delivery(c, delivery, at);
        });
    });
}

core::Result<std::optional<core::ports::OutboundDelivery>> SqliteMessageStore::find_delivery(
    const std::string& message_id) {
    using Outcome = core::Result<std::optional<core::ports::OutboundDelivery>>;
    return db_.with_connection([&](Connection& c) -> Outcome {
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

core::Result<StatusChange> SqliteMessageStore::mark_sent(const std::string& message_id, const std::string& vendor,
                                                         const std::string& vendor_message_id) {
    using Outcome = core::Result<StatusChange>;
    return db_.with_connection([&](Connection& connection) -> Outcome {
        return connection.transaction("mark message sent", [&](Connection& c) -> Outcome {
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

core::Result<StatusChange> SqliteMessageStore::report_status(const std::string& vendor,
                                                             const std::string& vendor_message_id,
                                                             const std::optional<std::string>& our_message_id,
                                                             MessageStatus status,
                                                             const std::optional<std::string>& reason) {
    using Outcome = core::Result<StatusChange>;
    return db_.with_connection([&](Connection& connection) -> Outcome {
        return connection.transaction("report message status", [&](Connection& c) -> Outcome {
            auto id = one_text(c, kByVendorSql, "find message by vendor id", vendor, vendor_message_id);
            if (!id) return std::move(id).error();
            // A report can overtake our own record of the vendor's id: the echoed correlation id still finds it.
            if (!*id && our_message_id) {
                auto delivery = one_text(c, "SELECT message_id FROM message_deliveries WHERE message_id = ?",
                                         "find delivery", *our_message_id);
                if (!delivery) return std::move(delivery).error();
                id = std::move(delivery);
            }
            if (!*id) return StatusChange{};
            return change_status(c, **id, status, reason);
        });
    });
}

core::Result<StatusChange> SqliteMessageStore::set_status(const std::string& message_id, MessageStatus status,
                                                          const std::optional<std::string>& reason) {
    using Outcome = core::Result<StatusChange>;
    return db_.with_connection([&](Connection& connection) -> Outcome {
        return connection.transaction("set message status", [&](Connection& c) -> Outcome {
            return change_status(c, message_id, status, reason);
        });
    });
}

core::Result<std::optional<std::string>> SqliteMessageStore::session_of_contact(core::Platform platform,
                                                                                core::Channel channel,
                                                                                const std::string& contact) {
    return db_.with_connection([&](Connection& c) {
        return one_text(c, kContactSessionSql, "find contact", core::to_string(platform), core::to_string(channel),
                        contact);
    });
}

core::Result<std::optional<std::pair<core::Channel, std::string>>> SqliteMessageStore::contact_of_session(
    core::Platform platform, const std::string& session_id, std::optional<core::Channel> channel) {
    using Outcome = core::Result<std::optional<std::pair<core::Channel, std::string>>>;
    return db_.with_connection([&](Connection& c) -> Outcome {
        std::string sql = "SELECT channel, identity FROM contacts WHERE platform = ? AND session_id = ?";
        if (channel) sql += " AND channel = ?";
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
