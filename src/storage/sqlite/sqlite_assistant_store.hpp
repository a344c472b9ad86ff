#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ports/assistant_store.hpp"
#include "storage/sqlite/database.hpp"

namespace crossvoice::storage {

// AssistantStore on `assistant_conversations` and the `messages` timeline: a turn's conversation row and its
// timeline messages are written in one transaction.
class SqliteAssistantStore final : public core::ports::AssistantStore {
  public:
    explicit SqliteAssistantStore(SqliteDatabase& db) : db_(db) {}

    core::Result<std::optional<core::ports::AssistantConversation>> find(core::Platform platform,
                                                                         const std::string& session_id) override;
    core::Status save_turn(const core::ports::AssistantConversation& conversation,
                           const std::vector<core::TimelineMessage>& timeline) override;

  private:
    SqliteDatabase& db_;
};

}  // namespace crossvoice::storage
