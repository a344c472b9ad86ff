#include "services/recording_jobs.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace crossvoice::services {
namespace {

// Recognises the containers carriers deliver: RIFF/WAVE, MP3 (ID3 tag or an MPEG frame sync), Ogg, FLAC.
// A body that is none of them is an error page, not a recording.
std::optional<std::string_view> audio_extension(std::string_view bytes) {
    if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WAVE") return "wav";
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "ID3") return "mp3";
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
        (static_cast<unsigned char>(bytes[1]) & 0xE0) == 0xE0) {
        return "mp3";
    }
    if (bytes.size() >= 4 && bytes.substr(0, 4) == "OggS") return "ogg";
    if (bytes.size() >= 4 && bytes.substr(0, 4) == "fLaC") return "flac";
    return std::nullopt;
}

std::optional<std::string> string_field(const nlohmann::json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
}

// Event ids are the carrier's (Telnyx UUIDs, or "texml-recording:<RecordingSid>" for TeXML): only letters,
// digits, '.', '-' and '_' go into a file name; anything else becomes '_'.
std::string file_name_part(std::string_view id) {
    std::string out(id);
    for (auto& c : out) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || c == '.';
        if (!safe) c = '_';
    }
    if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
    return out;
}

}  // namespace

core::Status RecordingFetcher::run(const core::Job& job) {
    const auto payload = nlohmann::json::parse(job.payload_json, nullptr, false);
    if (!payload.is_object()) return core::Error::internal("recording.fetch payload is not a JSON object");
    const auto call_id = string_field(payload, "callId");
    const auto event_id = string_field(payload, "eventId");
    auto url = string_field(payload, "wavUrl");
    if (!url) url = string_field(payload, "mp3Url");
    if (!call_id || !event_id || !url) {
        return core::Error::internal("recording.fetch payload needs callId, eventId and wavUrl or mp3Url");
    }

    core::ports::HttpRequest request;
    request.method = "GET";
    request.url = *url;
    request.attempt_timeout = std::chrono::seconds{60};
    request.max_response_bytes = kMaxRecordingBytes;
    auto response = http_.send(request);
    if (!response) return std::move(response).error();
    if (response->status != 200) {
        return core::Error{core::ErrorCode::kVendor,
                           fmt::format("recording download answered HTTP {}", response->status),
                           {{"status", std::to_string(response->status)}}};
    }
    const auto extension = audio_extension(response->body);
    if (!extension) return core::Error{core::ErrorCode::kVendor, "recording download is not an audio file", {}};

    const std::string key =
        fmt::format("recordings/{}/{}.{}", file_name_part(*call_id), file_name_part(*event_id), *extension);
    if (auto stored = blobs_.put(key, response->body); !stored) return stored;
    if (auto noted = calls_.mark_recording_archived(*event_id, key); !noted) return noted;

    if (payload.value("transcribe", false)) {
        nlohmann::json next{{"callId", *call_id}, {"eventId", *event_id}, {"recording", key}};
        for (const char* name : {"sessionId", "platform", "language", "channels"}) {
            if (auto value = string_field(payload, name)) next[name] = *value;
        }
        NewJob transcribe;
        transcribe.kind = std::string(kRecordingTranscribeJob);
        transcribe.payload_json = next.dump();
        transcribe.platform = job.platform;
        transcribe.dedupe_key = "transcribe:" + *event_id;
        auto submitted = jobs_.submit(std::move(transcribe));
        if (!submitted) return std::move(submitted).error();
    }
    return {};
}

}  // namespace crossvoice::services
