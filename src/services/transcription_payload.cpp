#include "services/transcription_payload.hpp"

namespace crossvoice::services {
namespace {

using nlohmann::json;

template <typename T>
json optional(const std::optional<T>& value) {
    return value ? json(*value) : json();
}

std::optional<std::string> text(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
}

std::vector<std::string> texts(const json& object, const char* name) {
    std::vector<std::string> out;
    const auto found = object.find(name);
    if (found == object.end() || !found->is_array()) return out;
    for (const auto& item : *found) {
        if (item.is_string()) out.push_back(item.get<std::string>());
    }
    return out;
}

const char* encoding_name(core::ports::RawEncoding encoding) {
    switch (encoding) {
        case core::ports::RawEncoding::kMulaw: return "mulaw";
        case core::ports::RawEncoding::kAlaw: return "alaw";
        case core::ports::RawEncoding::kLinear16: return "linear16";
    }
    return "mulaw";
}

}  // namespace

json request_payload(const TranscribeRequest& request) {
    const auto& options = request.options;
    json out{
        {"audioUrl", optional(request.audio_url)},
        {"recordingId", optional(request.recording_id)},
        {"callId", optional(request.call_id)},
        {"sessionId", optional(request.session_id)},
        {"language", optional(request.language)},
        {"callbackUrl", optional(request.callback_url)},
        {"options",
         {{"provider", optional(options.provider)},
          {"model", optional(options.model)},
          {"diarize", options.diarize},
          {"detectLanguage", options.detect_language},
          {"entities", options.entities},
          {"redact", options.redact},
          {"translateTo", optional(options.translate_to)},
          {"analyze", options.analyze},
          {"multichannel", optional(options.multichannel)},
          {"keywords", options.keywords}}},
    };
    if (request.upload && request.upload->raw) {
        const auto& raw = *request.upload->raw;
        out["raw"] = {
            {"encoding", encoding_name(raw.encoding)}, {"sampleRate", raw.sample_rate}, {"channels", raw.channels}};
    }
    return out;
}

core::Result<TranscribeRequest> request_from_payload(const json& payload) {
    if (!payload.is_object()) return core::Error::internal("transcription payload is not a JSON object");
    TranscribeRequest request;
    request.audio_url = text(payload, "audioUrl");
    request.recording_id = text(payload, "recordingId");
    request.call_id = text(payload, "callId");
    request.session_id = text(payload, "sessionId");
    request.language = text(payload, "language");
    request.callback_url = text(payload, "callbackUrl");
    const auto options = payload.value("options", json::object());
    if (!options.is_object()) return core::Error::internal("transcription payload options is not an object");
    auto& out = request.options;
    out.provider = text(options, "provider");
    out.model = text(options, "model");
    out.diarize = options.value("diarize", true);
    out.detect_language = options.value("detectLanguage", true);
    out.entities = options.value("entities", true);
    out.redact = texts(options, "redact");
    out.translate_to = text(options, "translateTo");
    out.analyze = options.value("analyze", true);
    if (const auto found = options.find("multichannel"); found != options.end() && found->is_boolean()) {
        out.multichannel = found->get<bool>();
    }
    out.keywords = texts(options, "keywords");
    if (const auto raw = payload.find("raw"); raw != payload.end() && raw->is_object()) {
        core::ports::RawAudioFormat format;
        const auto encoding = raw->value("encoding", std::string("mulaw"));
        format.encoding = encoding == "alaw"       ? core::ports::RawEncoding::kAlaw
                          : encoding == "linear16" ? core::ports::RawEncoding::kLinear16
                                                   : core::ports::RawEncoding::kMulaw;
        format.sample_rate = raw->value("sampleRate", 8000);
        format.channels = raw->value("channels", 1);
        request.upload = AudioUpload{{}, {}, format};
    }
    return request;
}

}  // namespace crossvoice::services
