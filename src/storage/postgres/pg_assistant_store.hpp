#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/assistant_store.hpp"
#include "storage/postgres/pg_database.hpp"

namespace crossvoice::storage {

// AssistantStore on `assistant_conversations` and the `messages` timeline: a turn's conversation row and its
// timeline messages are written in one transaction.
class PgAssistantStore final : public core::ports::AssistantStore {
  public:
    explicit PgAssistantStore(PgDatabase& db) : db_(db) {}

    core::Result<std::optional<core::ports::AssistantConversation>> find(core::Platform platform,
                                                                         const std::string& session_id) override;
    core::Status save_turn(const core::ports::AssistantConversation& conversation,
                           const std::vector<core::TimelineMessage>& timeline) override;

  private:
    PgDatabase& db_;
};

}  // namespace crossvoice::storage
