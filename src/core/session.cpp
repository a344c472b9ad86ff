#include "core/session.hpp"

#include <utility>

#include "core/enum_names.hpp"

namespace crossvoice::core {
namespace {

constexpr EnumNames<Channel, 4> kChannels{{
    {Channel::kVoice, "voice"},
    {Channel::kChat, "chat"},
    {Channel::kSms, "sms"},
    {Channel::kWhatsapp, "whatsapp"},
}};
constexpr EnumNames<SessionStatus, 2> kStatuses{{
    {SessionStatus::kActive, "active"},
    {SessionStatus::kEnded, "ended"},
}};

}  // namespace

std::string_view to_string(Channel channel) { return name_of(kChannels, channel); }
std::optional<Channel> parse_channel(std::string_view text) { return value_of(kChannels, text); }
std::string_view to_string(SessionStatus status) { return name_of(kStatuses, status); }
std::optional<SessionStatus> parse_session_status(std::string_view text) { return value_of(kStatuses, text); }

}  // namespace crossvoice::core
