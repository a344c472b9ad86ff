#include "core/message.hpp"

#include "core/enum_names.hpp"

namespace crossvoice::core {
namespace {

constexpr EnumNames<MessageDirection, 2> kDirections{{
    {MessageDirection::kInbound, "inbound"},
    {MessageDirection::kOutbound, "outbound"},
}};
constexpr EnumNames<MessageAuthor, 4> kAuthors{{
    {MessageAuthor::kCaller, "caller"},
    {MessageAuthor::kAgent, "agent"},
    {MessageAuthor::kAssistant, "assistant"},
    {MessageAuthor::kSystem, "system"},
}};
constexpr EnumNames<MessageType, 5> kTypes{{
    {MessageType::kText, "text"},
    {MessageType::kTranscription, "transcription"},
    {MessageType::kTranslation, "translation"},
    {MessageType::kVoice, "voice"},
    {MessageType::kEvent, "event"},
}};
constexpr EnumNames<MessageStatus, 5> kStatuses{{
    {MessageStatus::kPending, "pending"},
    {MessageStatus::kSent, "sent"},
    {MessageStatus::kDelivered, "delivered"},
    {MessageStatus::kRead, "read"},
    {MessageStatus::kFailed, "failed"},
}};

}  // namespace

std::string_view to_string(MessageDirection value) { return name_of(kDirections, value); }
std::string_view to_string(MessageAuthor value) { return name_of(kAuthors, value); }
std::string_view to_string(MessageType value) { return name_of(kTypes, value); }
std::string_view to_string(MessageStatus value) { return name_of(kStatuses, value); }
std::optional<MessageDirection> parse_message_direction(std::string_view text) { return value_of(kDirections, text); }
std::optional<MessageAuthor> parse_message_author(std::string_view text) { return value_of(kAuthors, text); }
std::optional<MessageType> parse_message_type(std::string_view text) { return value_of(kTypes, text); }
std::optional<MessageStatus> parse_message_status(std::string_view text) { return value_of(kStatuses, text); }

}  // namespace crossvoice::core
