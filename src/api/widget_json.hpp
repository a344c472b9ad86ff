#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/message.hpp"
#include "core/ports/assistant_store.hpp"

// What a widget visitor is shown: timeline entries without internal fields (no metadata, sources, persona,
// confidence, key ids or delivery records), the staff's words in the visitor's language when a translation exists.
namespace crossvoice::api {

// {id, from: visitor|shango|agent|system, kind: text|event, text, createdAt}.
nlohmann::json visitor_message_json(const core::TimelineMessage& message);

// The same from a live event's message (services::message_json with its optional translation); nullopt for an
// entry visitors do not see (transcripts, translations, call turns) or data that is not a message.
std::optional<nlohmann::json> visitor_message_from_event(const nlohmann::json& data);

// A live event as the widget receives it: nullopt for events visitors do not get. Messages become
// visitor_message_json; conversation.owner keeps {owner}; session.status keeps {status}; call.state keeps
// {callId, state}.
std::optional<nlohmann::json> visitor_event_data(std::string_view type, const std::string& data_json);

std::string_view owner_name(core::ports::ConversationOwner owner);

}  // namespace crossvoice::api
