#include "services/ivr_listener.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "observability/logging.hpp"

namespace crossvoice::services {
namespace {

bool cannot_be_heard(core::ErrorCode code) {
    return code == core::ErrorCode::kValidation || code == core::ErrorCode::kUnprocessable ||
           code == core::ErrorCode::kUnsupportedMediaType;
}

}  // namespace

core::Status IvrListener::run(const core::Job& job) {
    const auto payload = nlohmann::json::parse(job.payload_json, nullptr, false);
    if (!payload.is_object() || !payload.contains("callId") || !payload["callId"].is_string() ||
        !payload.contains("step") || !payload["step"].is_number_integer() || !payload.contains("url") ||
        !payload["url"].is_string()) {
        return core::Error::internal("ivr.listen payload needs callId, step and url");
    }
    const auto call_id = payload["callId"].get<std::string>();
    const auto step = payload["step"].get<int>();
    const auto language = payload.value("language", std::string("en-US"));

    // The URL came in a verified carrier webhook: the carrier's own storage (or the sandbox on loopback).
    core::ports::HttpRequest request;
    request.method = "GET";
    request.url = payload["url"].get<std::string>();
    request.attempt_timeout = std::chrono::seconds{20};
    request.max_response_bytes = kMaxTurnBytes;
    auto response = http_.send(request);
    if (!response) return std::move(response).error();
    if (response->status != 200) {
        return core::Error{core::ErrorCode::kVendor,
                           fmt::format("the caller's recording answered HTTP {}", response->status),
                           {{"status", std::to_string(response->status)}}};
    }

    std::string words;
    auto transcript = transcribe_(std::move(response->body), language);
    if (transcript) {
        words = transcript->text;
    } else if (cannot_be_heard(transcript.error().code)) {
        // Never the words themselves in the log: they are the caller's.
        observability::logger("ivr")->warn("call {}: the caller's turn could not be transcribed ({}); heard as silence",
                                           call_id, transcript.error().message);
    } else {
        return std::move(transcript).error();
    }
    return ivr_.hear(call_id, step, words);
}

}  // namespace crossvoice::services
