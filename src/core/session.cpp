#include "core/session.hpp"

#include <array>
#include <utility>

namespace crossvoice::core {
namespace {

constexpr std::array<std::pair<Channel, std::string_view>, 4> kChannels{{
    {Channel::kVoice, "voice"},
    {Channel::kChat, "chat"},
    {Channel::kSms, "sms"},
    {Channel::kWhatsapp, "whatsapp"},
}};
constexpr std::array<std::pair<SessionStatus, std::string_view>, 2> kStatuses{{
    {SessionStatus::kActive, "active"},
    {SessionStatus::kEnded, "ended"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) return name;
    }
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view text) {
    for (const auto& [candidate, name] : table) {
        if (name == text) return candidate;
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(Channel channel) { return name_of(kChannels, channel); }
std::optional<Channel> parse_channel(std::string_view text) { return value_of(kChannels, text); }
std::string_view to_string(SessionStatus status) { return name_of(kStatuses, status); }
std::optional<SessionStatus> parse_session_status(std::string_view text) { return value_of(kStatuses, text); }

}  // namespace crossvoice::core
