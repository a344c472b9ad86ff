#pragma once

#include "core/ports/message_store.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// MessageStore on the contacts, message_deliveries and channel_events tables beside the timeline's messages.
class PgMessageStore final : public core::ports::MessageStore {
  public:
    explicit PgMessageStore(PgDatabase& db) : db_(db) {}

    core::Result<core::ports::InboundOutcome> append_inbound(const core::ports::InboundMessage& inbound) override;
    core::Status append_outbound(const core::TimelineMessage& message,
                                 const core::ports::OutboundDelivery& delivery) override;
    core::Status record_delivery(const core::ports::OutboundDelivery& delivery, core::TimePoint at) override;
    core::Result<std::optional<core::ports::OutboundDelivery>> find_delivery(const std::string& message_id) override;
    core::Result<core::ports::StatusChange> mark_sent(const std::string& message_id, const std::string& vendor,
                                                      const std::string& vendor_message_id) override;
    core::Result<core::ports::StatusChange> report_status(const std::string& vendor,
                                                          const std::string& vendor_message_id,
                                                          const std::optional<std::string>& our_message_id,
                                                          core::MessageStatus status,
                                                          const std::optional<std::string>& reason) override;
    core::Result<core::ports::StatusChange> set_status(const std::string& message_id, core::MessageStatus status,
                                                       const std::optional<std::string>& reason) override;
    core::Result<std::optional<std::string>> session_of_contact(core::Platform platform, core::Channel channel,
                                                                const std::string& contact) override;
    core::Result<std::optional<std::pair<core::Channel, std::string>>> contact_of_session(
        core::Platform platform, const std::string& session_id, std::optional<core::Channel> channel) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
