#include "deepgram/deepgram_client.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

#include "deepgram/listen_query.hpp"
#include "deepgram/response_mapper.hpp"

namespace crossvoice::deepgram {
namespace {

bool is_success(int status) { return status >= 200 && status < 300; }

}  // namespace

DeepgramClient::DeepgramClient(DeepgramOptions options, core::ports::HttpClient& http)
    : options_(std::move(options)), http_(http) {
    while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
}

core::Result<core::Transcript> DeepgramClient::transcribe(const core::ports::SttRequest& request) {
    const bool by_url = request.audio.empty() && request.url && !request.url->empty();
    if (request.audio.empty() && !by_url) return core::Error::validation("audio", "audio or a URL is required");

    core::ports::HttpRequest http_request;
    http_request.method = "POST";
    http_request.url = options_.base_url + "/v1/listen?" + listen_query(request, options_.model);
    http_request.headers = {{"Authorization", "Token " + options_.api_key}, {"Accept", "application/json"}};
    if (by_url) {
        // Deepgram fetches the audio itself; only the address travels.
        http_request.headers.emplace_back("Content-Type", "application/json");
        http_request.body = nlohmann::json{{"url", *request.url}}.dump();
    } else {
        // Deepgram sniffs the container itself when the type says nothing more specific.
        http_request.headers.emplace_back(
            "Content-Type", request.content_type.empty() ? "application/octet-stream" : request.content_type);
        http_request.body = request.audio;
    }
    http_request.attempt_timeout = options_.timeout;
    // A transcription changes nothing on Deepgram's side: repeating one after a 5xx or a lost connection is safe.
    http_request.retry.max_attempts = std::max(1, options_.max_attempts);
    http_request.retry.retry_if_maybe_processed = true;

    auto response = http_.send(http_request);
    if (!response) return std::move(response).error().with("vendor", "deepgram");
    if (!is_success(response->status)) return map_listen_error(response->status, response->body);

    auto transcript = map_listen_response(response->body);
    if (!transcript) return std::move(transcript).error().with("status", std::to_string(response->status));
    transcript->provider = "deepgram";
    if (transcript->model.empty()) transcript->model = request.model.value_or(options_.model);
    if (!transcript->language && request.language && !request.language->empty()) {
        transcript->language = *request.language;
        transcript->language_source = "requested";
        transcript->language_confidence = 1;
    }
    return transcript;
}

}  // namespace crossvoice::deepgram
