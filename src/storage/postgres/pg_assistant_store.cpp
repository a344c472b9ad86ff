#include "storage/postgres/pg_assistant_store.hpp"

#include <string_view>
#include <utility>

#include "storage/postgres/pg_timeline_rows.hpp"

namespace crossvoice::storage {
namespace {

using core::ports::AssistantConversation;
using core::ports::ConversationOwner;

constexpr std::string_view kFindSql =
    "SELECT session_id, platform, persona, owner, agent_id, turns, updated_at FROM assistant_conversations "
    "WHERE platform = $1 AND session_id = $2";
constexpr std::string_view kUpsertSql =
    "INSERT INTO assistant_conversations (session_id, platform, persona, owner, agent_id, turns, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id) DO UPDATE SET persona = excluded.persona, "
    "owner = excluded.owner, agent_id = excluded.agent_id, turns = excluded.turns, updated_at = excluded.updated_at";

std::string_view owner_name(ConversationOwner owner) {
    return owner == ConversationOwner::kAgent ? "agent" : "assistant";
}

}  // namespace

core::Result<std::optional<AssistantConversation>> PgAssistantStore::find(core::Platform platform,
                                                                          const std::string& session_id) {
    using Outcome = core::Result<std::optional<AssistantConversation>>;
    return db_.with_connection([&](PgConnection& connection) -> Outcome {
        auto statement = connection.prepare(kFindSql, "find assistant conversation");
        if (!statement) return std::move(statement).error();
        statement->bind_all(core::to_string(platform), session_id);
        auto row = statement->step();
        if (!row) return std::move(row).error();
        if (!row.value()) return std::optional<AssistantConversation>();
        AssistantConversation out;
        out.session_id = statement->text(0);
        out.platform = platform;
        out.persona = statement->text(2);
        const std::string owner = statement->text(3);
        if (owner != "agent" && owner != "assistant") {
            return core::Error::internal("database: stored assistant conversation has an unreadable owner");
        }
        out.owner = owner == "agent" ? ConversationOwner::kAgent : ConversationOwner::kAssistant;
        out.agent_id = statement->optional_text(4);
        out.turns = static_cast<int>(statement->int64(5));
        out.updated_at = core::from_unix_ms(statement->int64(6));
        return std::optional<AssistantConversation>(std::move(out));
    });
}

core::Status PgAssistantStore::save_turn(const AssistantConversation& conversation,
                                         const std::vector<core::TimelineMessage>& timeline) {
    return db_.with_connection([&](PgConnection& connection) {
        return connection.transaction("save assistant turn", [&](PgConnection& c) -> core::Status {
            const auto platform = core::to_string(conversation.platform);
            if (auto found = pg_require_session(c, platform, conversation.session_id); !found) return found;
            if (auto saved = c.execute(kUpsertSql, "save assistant conversation", conversation.session_id, platform,
                                       conversation.persona, owner_name(conversation.owner), conversation.agent_id,
                                       conversation.turns, core::to_unix_ms(conversation.updated_at));
                !saved) {
                return saved;
            }
            return pg_append_timeline(c, timeline);
        });
    });
}

}  // namespace crossvoice::storage
