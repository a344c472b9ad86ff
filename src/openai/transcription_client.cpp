#include "openai/transcription_client.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/printable.hpp"
#include "openai/multipart_writer.hpp"

namespace crossvoice::openai {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxExcerpt = 200;

bool is_success(int status) { return status >= 200 && status < 300; }

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// OpenAI decides the format by the file name's extension, so the name must match the bytes.
std::string filename_for(std::string_view content_type) {
    const std::string type = lower(trim(content_type.substr(0, content_type.find(';'))));
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kExtensions{{
        {"audio/wav", "wav"},
        {"audio/x-wav", "wav"},
        {"audio/wave", "wav"},
        {"audio/vnd.wave", "wav"},
        {"audio/mpeg", "mp3"},
        {"audio/mp3", "mp3"},
        {"audio/flac", "flac"},
        {"audio/x-flac", "flac"},
        {"audio/ogg", "ogg"},
        {"audio/opus", "ogg"},
        {"audio/webm", "webm"},
        {"audio/mp4", "m4a"},
        {"audio/x-m4a", "m4a"},
        {"video/mp4", "mp4"},
        {"audio/basic", "au"},
    }};
    for (const auto& [candidate, extension] : kExtensions) {
        if (candidate == type) return "audio." + std::string(extension);
    }
    return "audio.bin";
}

// Whisper names languages ("english"); the rest of the pipeline speaks ISO 639-1.
std::optional<std::string> language_code(std::string_view given) {
    const std::string name = lower(trim(given));
    if (name.empty()) return std::nullopt;
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 40> kNames{{
        {"english", "en"},    {"spanish", "es"}, {"french", "fr"},    {"german", "de"},     {"italian", "it"},
        {"portuguese", "pt"}, {"dutch", "nl"},   {"russian", "ru"},   {"chinese", "zh"},    {"japanese", "ja"},
        {"korean", "ko"},     {"arabic", "ar"},  {"hindi", "hi"},     {"turkish", "tr"},    {"polish", "pl"},
        {"ukrainian", "uk"},  {"swedish", "sv"}, {"norwegian", "no"}, {"danish", "da"},     {"finnish", "fi"},
        {"greek", "el"},      {"czech", "cs"},   {"romanian", "ro"},  {"hungarian", "hu"},  {"hebrew", "he"},
        {"indonesian", "id"}, {"malay", "ms"},   {"thai", "th"},      {"vietnamese", "vi"}, {"catalan", "ca"},
        {"tagalog", "tl"},    {"urdu", "ur"},    {"bengali", "bn"},   {"tamil", "ta"},      {"persian", "fa"},
        {"swahili", "sw"},    {"yoruba", "yo"},  {"croatian", "hr"},  {"serbian", "sr"},    {"afrikaans", "af"},
    }};
    for (const auto& [candidate, code] : kNames) {
        if (candidate == name) return std::string(code);
    }
    // Already a code ("en", "en-US", "yue"): kept as given.
    const bool tag_like = name.size() <= 12 && std::all_of(name.begin(), name.end(), [](char ch) {
                              return std::isalpha(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
                          });
    const auto primary = name.substr(0, name.find_first_of("-_"));
    if (tag_like && primary.size() >= 2 && primary.size() <= 3) return std::string(trim(given));
    return std::nullopt;
}

// The ISO 639-1 part of a BCP 47 tag: the transcription API takes "en", not "en-US".
std::string primary_subtag(std::string_view tag) { return lower(tag.substr(0, tag.find_first_of("-_"))); }

// Members of the type we expect, or nothing: OpenAI-compatible servers differ in what they add and omit.
std::optional<double> number_of(const json& object, std::string_view key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number()) return std::nullopt;
    const double value = it->get<double>();
    if (!std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<std::string> string_of(const json& object, std::string_view key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

const json* array_of(const json& object, std::string_view key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_array()) return nullptr;
    return &*it;
}

// "Hello," → "hello": the recognised word without the punctuation Whisper attaches to it.
std::string bare_word(std::string_view punctuated) {
    const auto is_mark = [](char ch) {
        const auto byte = static_cast<unsigned char>(ch);
        return byte < 0x80 && std::ispunct(byte) && ch != '\'';
    };
    std::string_view word = punctuated;
    while (!word.empty() && is_mark(word.front())) word.remove_prefix(1);
    while (!word.empty() && is_mark(word.back())) word.remove_suffix(1);
    return lower(word.empty() ? punctuated : word);
}

// exp(avg_logprob): the mean per-token probability, the closest thing Whisper has to a confidence.
double confidence_from_logprob(double avg_logprob) {
    return std::clamp(std::exp(std::min(avg_logprob, 0.0)), 0.0, 1.0);
}

core::Error shape_error(std::string what) {
    return core::Error{core::ErrorCode::kVendor,
                       "The transcription engine answered with an unexpected shape: " + what,
                       {{"vendor", "openai"}, {"field", what}}};
}

core::Result<core::Transcript> map_reply(std::string_view body) {
    const json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return shape_error("not JSON");
    if (!document.is_object()) return shape_error("document");
    const auto text = string_of(document, "text");
    if (!text) return shape_error("text");

    core::Transcript transcript;
    transcript.text = std::string(trim(*text));
    if (const auto language = string_of(document, "language")) {
        transcript.language = language_code(*language);
        if (transcript.language) transcript.language_source = "engine";
    }

    double confidence_sum = 0;
    double last_end = 0;
    if (const json* segments = array_of(document, "segments")) {
        for (const json& item : *segments) {
            if (!item.is_object()) continue;
            core::Utterance utterance;
            utterance.start = number_of(item, "start").value_or(0);
            utterance.end = number_of(item, "end").value_or(utterance.start);
            utterance.text = std::string(trim(string_of(item, "text").value_or("")));
            utterance.confidence = confidence_from_logprob(number_of(item, "avg_logprob").value_or(0));
            last_end = std::max(last_end, utterance.end);
            confidence_sum += utterance.confidence;
            transcript.utterances.push_back(std::move(utterance));
        }
    }
    if (!transcript.utterances.empty()) {
        transcript.confidence = confidence_sum / static_cast<double>(transcript.utterances.size());
    }

    if (const json* words = array_of(document, "words")) {
        for (const json& item : *words) {
            if (!item.is_object()) continue;
            const auto said = string_of(item, "word");
            if (!said || trim(*said).empty()) continue;
            core::TranscriptWord word;
            word.punctuated = std::string(trim(*said));
            word.word = bare_word(word.punctuated);
            word.start = number_of(item, "start").value_or(0);
            word.end = number_of(item, "end").value_or(word.start);
            // Servers that know a word's probability (faster-whisper) say so; OpenAI does not, and then the
            // segment that holds the word speaks for it.
            auto own = number_of(item, "probability");
            if (!own) own = number_of(item, "confidence");
            if (own) {
                word.confidence = std::clamp(*own, 0.0, 1.0);
            } else {
                word.confidence = transcript.confidence;
                for (const auto& utterance : transcript.utterances) {
                    if (word.start >= utterance.start && word.start < utterance.end) {
                        word.confidence = utterance.confidence;
                        break;
                    }
                }
            }
            last_end = std::max(last_end, word.end);
            transcript.words.push_back(std::move(word));
        }
    }
    transcript.duration = std::max(0.0, number_of(document, "duration").value_or(last_end));
    return transcript;
}

core::Error map_error(int status, std::string_view body) {
    const json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    std::optional<std::string> message;
    std::optional<std::string> type;
    std::optional<std::string> code;
    if (document.is_object()) {
        const auto error = document.find("error");
        if (error != document.end() && error->is_object()) {  // OpenAI: {"error":{message, type, param, code}}
            message = string_of(*error, "message");
            type = string_of(*error, "type");
            code = string_of(*error, "code");
        } else if (error != document.end() && error->is_string()) {  // whisper.cpp's server
            message = error->get<std::string>();
        } else {
            message = string_of(document, "detail");  // FastAPI-based servers
        }
    }
    std::string said = core::printable(message.value_or(std::string(body)), message ? 300 : kMaxExcerpt);

    core::ErrorCode kind = core::ErrorCode::kVendor;
    std::string text;
    if (status == 401 || status == 403) {
        text = fmt::format("The transcription engine refused the API key ({})", status);
    } else {
        text = fmt::format("The transcription engine answered {}", status);
        const std::string lowered = lower(said);
        if (status == 400 &&
            (lowered.find("file format") != std::string::npos || lowered.find("unsupported") != std::string::npos)) {
            kind = core::ErrorCode::kUnsupportedMediaType;
        } else if (status == 413) {
            kind = core::ErrorCode::kPayloadTooLarge;
        } else if (status == 429) {
            kind = core::ErrorCode::kRateLimited;
        }
    }
    if (!said.empty()) text += ": " + said;
    core::Error result{kind, std::move(text), {{"vendor", "openai"}, {"status", std::to_string(status)}}};
    if (!said.empty()) result = std::move(result).with("vendor_message", said);
    if (type) result = std::move(result).with("vendor_type", core::printable(*type, 100));
    if (code) result = std::move(result).with("vendor_code", core::printable(*code, 100));
    return result;
}

}  // namespace

TranscriptionClient::TranscriptionClient(TranscriptionOptions options, core::ports::HttpClient& http)
    : options_(std::move(options)), http_(http) {
    while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
}

core::Result<core::Transcript> TranscriptionClient::transcribe(const core::ports::SttRequest& request) {
    if (request.audio.empty()) {
        if (request.url) {
            return core::Error::validation("url", "the OpenAI-compatible engine takes audio bytes, not a URL");
        }
        return core::Error::validation("audio", "audio is required");
    }
    const std::string model = request.model && !request.model->empty() ? *request.model : options_.model;

    MultipartWriter form;
    form.add_file("file", filename_for(request.content_type), request.content_type, request.audio);
    form.add_field("model", model);
    if (request.language && !request.language->empty()) form.add_field("language", primary_subtag(*request.language));
    form.add_field("response_format", "verbose_json");
    form.add_field("timestamp_granularities[]", "word");
    form.add_field("timestamp_granularities[]", "segment");
    if (!request.keywords.empty()) {
        // Whisper has no keyword boosting; words in the prompt make their spelling more likely.
        std::string prompt;
        for (const auto& keyword : request.keywords) {
            if (keyword.empty()) continue;
            if (!prompt.empty()) prompt += ", ";
            prompt += keyword;
        }
        if (!prompt.empty()) form.add_field("prompt", std::move(prompt));
    }
    auto encoded = form.encode();

    core::ports::HttpRequest http_request;
    http_request.method = "POST";
    http_request.url = options_.base_url + "/v1/audio/transcriptions";
    http_request.headers = {{"Content-Type", std::move(encoded.content_type)}, {"Accept", "application/json"}};
    if (options_.api_key && !options_.api_key->empty()) {
        http_request.headers.emplace_back("Authorization", "Bearer " + *options_.api_key);
    }
    http_request.body = std::move(encoded.body);
    http_request.attempt_timeout = options_.timeout;
    // Transcribing twice changes nothing but the bill: a 5xx or a lost connection is worth another try.
    http_request.retry.max_attempts = std::max(1, options_.max_attempts);
    http_request.retry.retry_if_maybe_processed = true;

    auto response = http_.send(http_request);
    if (!response) return std::move(response).error().with("vendor", "openai");
    if (!is_success(response->status)) return map_error(response->status, response->body);

    auto transcript = map_reply(response->body);
    if (!transcript) return transcript;
    transcript->provider = "openai";
    transcript->model = model;
    if (!transcript->language && request.language && !request.language->empty()) {
        transcript->language = *request.language;
        transcript->language_source = "requested";
        transcript->language_confidence = 1;
    }
    return transcript;
}

}  // namespace crossvoice::openai
