#include "api/transcription_request_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "api/json_body.hpp"
#include "api/multipart.hpp"

namespace crossvoice::api {
namespace {

using nlohmann::json;
using services::TranscribeRequest;
using services::TranscriptionOptions;

constexpr std::array kRequestFields{"audioUrl", "recordingId", "callId", "sessionId",
                                    "language", "callbackUrl", "options"};
constexpr std::array kOptionFields{"provider", "model",       "diarize", "detectLanguage", "entities",
                                   "redact",   "translateTo", "analyze", "multichannel",   "keywords"};

template <std::size_t N>
core::Status only_known(const json& object, const std::array<const char*, N>& known, const std::string& where) {
    for (const auto& item : object.items()) {
        const std::string& key = item.key();
        if (std::none_of(known.begin(), known.end(), [&key](const char* name) { return key == name; })) {
            std::string names;
            for (const char* name : known) names += (names.empty() ? "" : ", ") + std::string(name);
            return core::Error::validation(where + key,
                                           fmt::format("unknown field {}{}; known fields: {}", where, key, names));
        }
    }
    return {};
}

// An array of strings, or one comma-separated string (form fields and query parameters).
core::Result<std::vector<std::string>> string_list(const json& object, const char* name, const std::string& where) {
    std::vector<std::string> out;
    const auto found = object.find(name);
    if (found == object.end() || found->is_null()) return out;
    const auto add = [&out](std::string_view text) {
        while (!text.empty()) {
            const auto comma = text.find(',');
            auto item = text.substr(0, comma);
            while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
            while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
            if (!item.empty()) out.emplace_back(item);
            if (comma == std::string_view::npos) break;
            text.remove_prefix(comma + 1);
        }
    };
    if (found->is_string()) {
        add(found->get_ref<const std::string&>());
        return out;
    }
    if (!found->is_array()) {
        return core::Error::validation(where + name, fmt::format("{}{} must be an array of strings", where, name));
    }
    for (const auto& item : *found) {
        if (!item.is_string()) {
            return core::Error::validation(where + name, fmt::format("{}{} must be an array of strings", where, name));
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

// Fields' errors name the field as it appears in its own object; here they must say where that object is
// ("options.diarize", "items[2].options.diarize").
core::Error located(core::Error error, const std::string& where) {
    if (where.empty()) return error;
    for (auto& [key, value] : error.details) {
        if (key == "field") {
            if (error.message.starts_with(value)) error.message = where + error.message;
            value = where + value;
        }
    }
    return error;
}

core::Result<TranscriptionOptions> read_options(const json& object, const std::string& where) {
    TranscriptionOptions options;
    if (!object.is_object()) return core::Error::validation(where, where + " must be an object");
    const std::string inside = where + ".";
    if (auto known = only_known(object, kOptionFields, inside); !known) return std::move(known).error();
    const Fields fields(object);
    for (auto [name, target] : {std::pair{"provider", &options.provider}, std::pair{"model", &options.model},
                                std::pair{"translateTo", &options.translate_to}}) {
        auto value = fields.optional_string(name);
        if (!value) return located(std::move(value).error(), inside);
        *target = std::move(value).value();
    }
    for (auto [name, target] :
         {std::pair{"diarize", &options.diarize}, std::pair{"detectLanguage", &options.detect_language},
          std::pair{"entities", &options.entities}, std::pair{"analyze", &options.analyze}}) {
        auto value = fields.optional_bool(name, *target);
        if (!value) return located(std::move(value).error(), inside);
        *target = *value;
    }
    auto multichannel = fields.optional_bool("multichannel");
    if (!multichannel) return located(std::move(multichannel).error(), inside);
    options.multichannel = *multichannel;
    auto redact = string_list(object, "redact", inside);
    if (!redact) return std::move(redact).error();
    options.redact = std::move(redact).value();
    auto keywords = string_list(object, "keywords", inside);
    if (!keywords) return std::move(keywords).error();
    options.keywords = std::move(keywords).value();
    return options;
}

// Form fields and query parameters are all text: booleans are "true"/"false", options may be JSON text.
core::Result<json> fields_from_text(const std::vector<std::pair<std::string, std::string>>& pairs) {
    json object = json::object();
    json options = json::object();
    for (const auto& [name, value] : pairs) {
        if (name == "options") {
            auto parsed = json::parse(value, nullptr, false);
            if (!parsed.is_object()) return core::Error::validation("options", "options must be a JSON object");
            for (auto& [key, item] : parsed.items()) options[key] = item;
        } else if (std::find(kOptionFields.begin(), kOptionFields.end(), name) != kOptionFields.end()) {
            if (value == "true" || value == "false") {
                options[name] = value == "true";
            } else {
                options[name] = value;
            }
        } else {
            object[name] = value;
        }
    }
    if (!options.empty()) object["options"] = std::move(options);
    return object;
}

std::optional<core::ports::RawAudioFormat> raw_format(std::string_view media, const http::Request& request) {
    core::ports::RawAudioFormat format;
    if (media == "audio/basic" || media == "audio/pcmu" || media == "audio/x-mulaw") {
        format.encoding = core::ports::RawEncoding::kMulaw;
    } else if (media == "audio/pcma" || media == "audio/x-alaw") {
        format.encoding = core::ports::RawEncoding::kAlaw;
    } else if (media == "audio/l16" || media == "audio/pcm") {
        // audio/L16 is big-endian (RFC 2586) and is swapped by the caller; audio/pcm is the little-endian
        // signed 16-bit that telephony APIs and engines exchange.
        format.encoding = core::ports::RawEncoding::kLinear16;
        format.sample_rate = 16'000;
    } else {
        return std::nullopt;
    }
    for (auto [name, target] :
         {std::pair{"sampleRate", &format.sample_rate}, std::pair{"channels", &format.channels}}) {
        if (auto text = request.query_param(name)) {
            int value = 0;
            const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
            if (ec == std::errc{} && end == text->data() + text->size()) *target = value;
        }
    }
    return format;
}

// audio/L16 samples arrive in network byte order; the decoder reads little-endian.
void swap_to_little_endian(std::string& bytes) {
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) std::swap(bytes[i], bytes[i + 1]);
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

core::Result<TranscribeRequest> read_transcribe_object(const json& object, const std::string& prefix) {
    if (!object.is_object()) return core::Error::validation(prefix, prefix + " must be an object");
    if (auto known = only_known(object, kRequestFields, prefix); !known) return std::move(known).error();
    const Fields fields(object);
    TranscribeRequest request;
    for (auto [name, target] :
         {std::pair{"audioUrl", &request.audio_url}, std::pair{"recordingId", &request.recording_id},
          std::pair{"callId", &request.call_id}, std::pair{"sessionId", &request.session_id},
          std::pair{"language", &request.language}, std::pair{"callbackUrl", &request.callback_url}}) {
        auto value = fields.optional_string(name);
        if (!value) return located(std::move(value).error(), prefix);
        *target = std::move(value).value();
    }
    if (const auto found = object.find("options"); found != object.end() && !found->is_null()) {
        auto options = read_options(*found, prefix + "options");
        if (!options) return std::move(options).error();
        request.options = std::move(options).value();
    }
    return request;
}

core::Result<TranscribeRequest> read_transcribe_request(const http::Request& request) {
    const auto type = request.header("content-type").value_or("");
    const auto media = lower(type.substr(0, type.find(';')));
    if (media == "application/json" || media.empty()) {
        auto body = parse_json_object(request);
        if (!body) return std::move(body).error();
        return read_transcribe_object(*body);
    }
    if (media == "multipart/form-data") {
        auto boundary = multipart_boundary(type);
        if (!boundary) return std::move(boundary).error();
        auto parts = parse_multipart(request.body, *boundary);
        if (!parts) return std::move(parts).error();
        std::vector<std::pair<std::string, std::string>> pairs;
        std::optional<services::AudioUpload> upload;
        for (const auto& part : *parts) {
            if (part.name == "file" || part.name == "audio") {
                if (upload) return core::Error::validation(part.name, "upload one audio file per request");
                const auto part_media = lower(part.content_type.substr(0, part.content_type.find(';')));
                upload =
                    services::AudioUpload{std::string(part.data), part.content_type, raw_format(part_media, request)};
                if (part_media == "audio/l16") swap_to_little_endian(upload->bytes);
            } else if (part.filename) {
                return core::Error::validation(part.name, "the audio file goes in a part named file");
            } else {
                pairs.emplace_back(part.name, std::string(part.data));
            }
        }
        if (!upload) return core::Error::validation("file", "multipart upload without a file part (name it file)");
        auto object = fields_from_text(pairs);
        if (!object) return std::move(object).error();
        auto read = read_transcribe_object(*object);
        if (!read) return std::move(read).error();
        read->upload = std::move(upload);
        return read;
    }
    if (media.starts_with("audio/") || media == "application/octet-stream") {
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const char* name :
             {"sessionId", "language", "callbackUrl", "provider", "model", "diarize", "detectLanguage", "entities",
              "redact", "translateTo", "analyze", "multichannel", "keywords"}) {
            if (auto value = request.query_param(name)) pairs.emplace_back(name, std::string(*value));
        }
        auto object = fields_from_text(pairs);
        if (!object) return std::move(object).error();
        auto read = read_transcribe_object(*object);
        if (!read) return std::move(read).error();
        read->upload = services::AudioUpload{request.body, std::string(media), raw_format(media, request)};
        if (media == "audio/l16") swap_to_little_endian(read->upload->bytes);
        return read;
    }
    return core::Error{core::ErrorCode::kUnsupportedMediaType,
                       "send JSON (audioUrl, recordingId or callId), a multipart upload, or the audio itself (audio/*)",
                       {{"contentType", std::string(media)}}};
}

}  // namespace crossvoice::api
