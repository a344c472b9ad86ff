#include "api/widget_json.hpp"

#include "core/time_format.hpp"
#include "services/visitor_service.hpp"

namespace crossvoice::api {
namespace {

using nlohmann::json;

std::string_view from_author(std::string_view author) {
    if (author == "caller") return "visitor";
    if (author == "assistant") return "shango";
    if (author == "agent") return "agent";
    return "system";
}

std::string string_field(const json& object, const char* name) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::string_view owner_name(core::ports::ConversationOwner owner) {
    return owner == core::ports::ConversationOwner::kAgent ? "agent" : "shango";
}

json visitor_message_json(const core::TimelineMessage& message) {
    return {{"id", message.id},
            {"from", from_author(core::to_string(message.author))},
            {"kind", message.type == core::MessageType::kEvent ? "event" : "text"},
            {"text", message.content},
            {"createdAt", core::format_rfc3339(message.created_at)}};
}

std::optional<json> visitor_message_from_event(const json& data) {
    if (!data.is_object()) return std::nullopt;
    const auto type = core::parse_message_type(string_field(data, "type"));
    if (!type || !services::VisitorService::visible_to_visitor(*type)) return std::nullopt;
    const auto id = string_field(data, "id");
    if (id.empty()) return std::nullopt;
    const std::string author = string_field(data, "author");
    json out{{"id", id},
             {"from", from_author(author)},
             {"kind", *type == core::MessageType::kEvent ? "event" : "text"},
             {"text", string_field(data, "content")},
             {"createdAt", string_field(data, "createdAt")}};
    // The staff's and SHANGO's words in the visitor's language (the visitor's own words stay as written).
    if (author != "caller") {
        if (const auto translation = data.find("translation"); translation != data.end() && translation->is_object()) {
            const auto text = string_field(*translation, "content");
            if (!text.empty()) {
                out["translation"] = {{"language", string_field(*translation, "language")}, {"text", text}};
            }
        }
    }
    return out;
}

std::optional<json> visitor_event_data(std::string_view type, const std::string& data_json) {
    const auto data = json::parse(data_json, nullptr, false);
    if (!data.is_object()) return std::nullopt;
    if (type == "message") return visitor_message_from_event(data);
    if (type == "conversation.owner") {
        const auto owner = string_field(data, "owner");
        return json{{"owner", owner == "agent" ? "agent" : "shango"}};
    }
    if (type == "session.status") return json{{"status", string_field(data, "status")}};
    if (type == "call.state")
        return json{{"callId", string_field(data, "callId")}, {"state", string_field(data, "state")}};
    return std::nullopt;
}

}  // namespace crossvoice::api
