#include "services/audio_fetcher.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace crossvoice::services {
namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

// The URL without its query, which may carry a signature or token.
std::string shown(std::string_view url) { return std::string(url.substr(0, url.find('?'))); }

}  // namespace

core::Result<FetchedAudio> AudioFetcher::fetch(const std::string& url, const std::string& field) const {
    if (!starts_with_ignoring_case(url, "http://") && !starts_with_ignoring_case(url, "https://")) {
        return core::Error::validation(field, fmt::format("{} must be an http or https URL", field));
    }
    core::ports::HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.attempt_timeout = limits_.timeout;
    request.retry.max_attempts = 2;
    request.max_response_bytes = limits_.max_bytes;
    request.max_redirects = 3;
    request.min_bytes_per_second = limits_.min_bytes_per_second;
    const bool trusted = std::any_of(limits_.trusted_prefixes.begin(), limits_.trusted_prefixes.end(),
                                     [&url](const std::string& prefix) { return url.starts_with(prefix); });
    request.address_policy = trusted ? core::ports::AddressPolicy::kAny : core::ports::AddressPolicy::kPublicOnly;

    auto response = http_.send(request);
    if (!response) {
        auto error = std::move(response).error();
        switch (error.code) {
            case core::ErrorCode::kForbidden:
                return core::Error::validation(field, fmt::format("{} points at a private, loopback or reserved "
                                                                  "address; give a public URL",
                                                                  field));
            case core::ErrorCode::kValidation: return core::Error::validation(field, field + ": " + error.message);
            case core::ErrorCode::kTimeout:
                return core::Error{core::ErrorCode::kTimeout,
                                   fmt::format("{}: {} did not send the audio in time", field, shown(url)),
                                   {{"field", field}}};
            default: break;
        }
        for (const auto& [key, value] : error.details) {
            if (key == "reason" && value == "response_too_large") {
                return core::Error{core::ErrorCode::kPayloadTooLarge,
                                   fmt::format("{}: the audio is larger than {} bytes", field, limits_.max_bytes),
                                   {{"field", field}, {"limit", std::to_string(limits_.max_bytes)}}};
            }
        }
        return core::Error{core::ErrorCode::kUnprocessable,
                           fmt::format("{}: could not fetch {}: {}", field, shown(url), error.message),
                           {{"field", field}}};
    }
    if (response->status != 200) {
        return core::Error{core::ErrorCode::kUnprocessable,
                           fmt::format("{}: {} answered HTTP {}", field, shown(url), response->status),
                           {{"field", field}, {"status", std::to_string(response->status)}}};
    }
    FetchedAudio audio;
    audio.content_type = std::string(response->header("content-type").value_or(""));
    audio.bytes = std::move(response->body);
    return audio;
}

}  // namespace crossvoice::services
