#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/platform.hpp"

namespace crossvoice::core {

enum class Channel { kVoice, kChat, kSms, kWhatsapp };
enum class SessionStatus { kActive, kEnded };

std::string_view to_string(Channel channel);
std::optional<Channel> parse_channel(std::string_view text);
std::string_view to_string(SessionStatus status);
std::optional<SessionStatus> parse_session_status(std::string_view text);

inline constexpr std::string_view kSessionIdPrefix = "ses";

// One conversation with one party, on one platform, across the channels it uses.
struct Session {
    std::string id;
    Platform platform = Platform::kTetrix;
    Channel channel = Channel::kVoice;
    SessionStatus status = SessionStatus::kActive;
    std::optional<std::string> phone_number;  // E.164
    std::optional<std::string> user_id;
    std::string metadata_json = "{}";  // a JSON object, validated at the edge
    TimePoint start_time{};
    std::optional<TimePoint> end_time;
    bool has_transcription = false;
    bool has_recording = false;
    std::string created_by_key;  // API key id that opened it
};

}  // namespace crossvoice::core
