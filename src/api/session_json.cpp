#include "api/session_json.hpp"

#include "core/time_format.hpp"

namespace crossvoice::api {

nlohmann::json session_json(const core::Session& session) {
    auto metadata = nlohmann::json::parse(session.metadata_json, nullptr, false);
    if (metadata.is_discarded()) metadata = nlohmann::json::object();
    return {
        {"sessionId", session.id},
        {"platform", core::to_string(session.platform)},
        {"channel", core::to_string(session.channel)},
        {"status", core::to_string(session.status)},
        {"phoneNumber", session.phone_number ? nlohmann::json(*session.phone_number) : nlohmann::json(nullptr)},
        {"userId", session.user_id ? nlohmann::json(*session.user_id) : nlohmann::json(nullptr)},
        {"metadata", std::move(metadata)},
        {"startTime", core::format_rfc3339(session.start_time)},
        {"endTime",
         session.end_time ? nlohmann::json(core::format_rfc3339(*session.end_time)) : nlohmann::json(nullptr)},
        {"hasTranscription", session.has_transcription},
        {"hasRecording", session.has_recording},
    };
}

}  // namespace crossvoice::api
