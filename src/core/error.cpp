#include "core/error.hpp"

namespace crossvoice::core {

std::string_view to_string(ErrorCode code) {
    switch (code) {
        case ErrorCode::kBadRequest: return "bad_request";
        case ErrorCode::kValidation: return "validation_failed";
        case ErrorCode::kUnauthorized: return "unauthorized";
        case ErrorCode::kForbidden: return "forbidden";
        case ErrorCode::kNotFound: return "not_found";
        case ErrorCode::kMethodNotAllowed: return "method_not_allowed";
        case ErrorCode::kConflict: return "conflict";
        case ErrorCode::kPayloadTooLarge: return "payload_too_large";
        case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
        case ErrorCode::kUnprocessable: return "unprocessable_content";
        case ErrorCode::kRateLimited: return "rate_limited";
        case ErrorCode::kInternal: return "internal_error";
        case ErrorCode::kVendor: return "vendor_error";
        case ErrorCode::kUnavailable: return "unavailable";
        case ErrorCode::kTimeout: return "timeout";
    }
    return "internal_error";
}

Error Error::with(std::string key, std::string value) && {
    details.emplace_back(std::move(key), std::move(value));
    return std::move(*this);
}

Error Error::bad_request(std::string message) { return Error{ErrorCode::kBadRequest, std::move(message), {}}; }

Error Error::validation(std::string field, std::string message) {
    return Error{ErrorCode::kValidation, std::move(message), {{"field", std::move(field)}}};
}

Error Error::unauthorized(std::string message) { return Error{ErrorCode::kUnauthorized, std::move(message), {}}; }

Error Error::not_found(std::string what, std::string id) {
    std::string message = what + " not found";
    return Error{ErrorCode::kNotFound, std::move(message), {{"resource", std::move(what)}, {"id", std::move(id)}}};
}

Error Error::conflict(std::string message) { return Error{ErrorCode::kConflict, std::move(message), {}}; }

Error Error::internal(std::string message) { return Error{ErrorCode::kInternal, std::move(message), {}}; }

Error Error::unavailable(std::string message) { return Error{ErrorCode::kUnavailable, std::move(message), {}}; }

}  // namespace crossvoice::core
