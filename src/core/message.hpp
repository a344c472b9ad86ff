#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/platform.hpp"
#include "core/session.hpp"

namespace crossvoice::core {

enum class MessageDirection { kInbound, kOutbound };
enum class MessageAuthor { kCaller, kAgent, kAssistant, kSystem };
enum class MessageType { kText, kTranscription, kTranslation, kVoice, kEvent };
enum class MessageStatus { kPending, kSent, kDelivered, kRead, kFailed };

std::string_view to_string(MessageDirection value);
std::string_view to_string(MessageAuthor value);
std::string_view to_string(MessageType value);
std::string_view to_string(MessageStatus value);
std::optional<MessageDirection> parse_message_direction(std::string_view text);
std::optional<MessageAuthor> parse_message_author(std::string_view text);
std::optional<MessageType> parse_message_type(std::string_view text);
std::optional<MessageStatus> parse_message_status(std::string_view text);

inline constexpr std::string_view kMessageIdPrefix = "msg";

// One entry of a session's timeline: a call turn, a transcript, a translation, an assistant answer, a chat,
// SMS or WhatsApp message. Ids sort by creation, so the timeline is ordered by id.
struct TimelineMessage {
    std::string id;
    std::string session_id;
    Platform platform = Platform::kTetrix;
    Channel channel = Channel::kVoice;
    MessageDirection direction = MessageDirection::kInbound;
    MessageAuthor author = MessageAuthor::kCaller;
    MessageType type = MessageType::kText;
    std::string content;
    std::optional<std::string> language;
    MessageStatus status = MessageStatus::kDelivered;
    TimePoint created_at{};
    std::string metadata_json = "{}";
};

}  // namespace crossvoice::core
