#include "services/message_json.hpp"

#include "core/time_format.hpp"

namespace crossvoice::services {

nlohmann::json message_json(const core::TimelineMessage& message) {
    using nlohmann::json;
    auto metadata = json::parse(message.metadata_json, nullptr, false);
    return {{"id", message.id},
            {"sessionId", message.session_id},
            {"channel", core::to_string(message.channel)},
            {"direction", core::to_string(message.direction)},
            {"author", core::to_string(message.author)},
            {"type", core::to_string(message.type)},
            {"content", message.content},
            {"language", message.language ? json(*message.language) : json()},
            {"status", core::to_string(message.status)},
            {"createdAt", core::format_rfc3339(message.created_at)},
            {"metadata", metadata.is_discarded() ? json::object() : metadata}};
}

}  // namespace crossvoice::services
