#include "http/error_response.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace crossvoice::http {

int http_status(core::ErrorCode code) {
    using core::ErrorCode;
    switch (code) {
        case ErrorCode::kBadRequest: return 400;
        case ErrorCode::kValidation: return 400;
        case ErrorCode::kUnauthorized: return 401;
        case ErrorCode::kForbidden: return 403;
        case ErrorCode::kNotFound: return 404;
        case ErrorCode::kMethodNotAllowed: return 405;
        case ErrorCode::kConflict: return 409;
        case ErrorCode::kPayloadTooLarge: return 413;
        case ErrorCode::kUnsupportedMediaType: return 415;
        case ErrorCode::kUnprocessable: return 422;
        case ErrorCode::kRateLimited: return 429;
        case ErrorCode::kInternal: return 500;
        case ErrorCode::kVendor: return 502;
        case ErrorCode::kUnavailable: return 503;
        case ErrorCode::kTimeout: return 504;
    }
    return 500;
}

Response render_error(const core::Error& error) {
    nlohmann::json details = nlohmann::json::object();
    for (const auto& [key, value] : error.details) details[key] = value;
    nlohmann::json body{
        {"success", false},
        {"error", error.message},
        {"code", core::to_string(error.code)},
        {"details", std::move(details)},
    };
    // Invalid UTF-8 echoed from input is replaced rather than failing the error response itself.
    auto response =
        Response::json(http_status(error.code), body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    // A refusal that knows when to come back says so the standard way (rate limits, a carrier's 429).
    for (const auto& [key, value] : error.details) {
        const bool digits = !value.empty() && value.size() <= 9 &&
                            value.find_first_not_of("0123456789") == std::string::npos;  // never echo raw text
        if (key == "retry_after_seconds" && digits) response.headers.emplace_back("retry-after", value);
    }
    return response;
}

}  // namespace crossvoice::http
