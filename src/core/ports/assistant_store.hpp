#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/message.hpp"
#include "core/platform.hpp"
#include "core/result.hpp"

namespace crossvoice::core::ports {

// Who answers a conversation now: SHANGO, or (after a hand-off) a person of the platform.
enum class ConversationOwner { kAssistant, kAgent };

// SHANGO's memory of one session: the persona it speaks as and who owns the conversation.
struct AssistantConversation {
    std::string session_id;
    Platform platform = Platform::kTetrix;
    std::string persona = "shango-general";
    ConversationOwner owner = ConversationOwner::kAssistant;
    std::optional<std::string> agent_id;  // the platform's agent asked for, or who took it over
    int turns = 0;                        // answers SHANGO has given
    TimePoint updated_at{};
};

class AssistantStore {
  public:
    virtual ~AssistantStore() = default;
    virtual Result<std::optional<AssistantConversation>> find(Platform platform, const std::string& session_id) = 0;
    // One unit of work: creates or replaces the conversation and appends `timeline` to the session's timeline.
    // kNotFound (nothing written) when the session does not exist on the platform.
    virtual Status save_turn(const AssistantConversation& conversation,
                             const std::vector<TimelineMessage>& timeline) = 0;
};

}  // namespace crossvoice::core::ports
