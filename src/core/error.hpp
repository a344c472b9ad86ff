#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crossvoice::core {

// Machine-readable error kinds. Exactly one place (http/error_response.cpp) maps them to HTTP statuses.
enum class ErrorCode {
    kBadRequest,            // the request could not be read at all (malformed JSON, bad encoding)
    kValidation,            // readable, but a field is missing, of the wrong type or out of range
    kUnauthorized,          // no credentials, or credentials that are unknown or revoked
    kForbidden,             // credentials are fine but may not do this
    kNotFound,              // no such resource (or not visible to this platform)
    kMethodNotAllowed,      // the path exists, the method does not
    kConflict,              // the resource's state forbids the change
    kPayloadTooLarge,       // the body exceeds the configured limit
    kUnsupportedMediaType,  // the body is not in a format this route reads
    kUnprocessable,         // well-formed and supported, but its content cannot be used (corrupt or empty audio)
    kRateLimited,           // too many requests; retry later
    kInternal,              // a bug or an unexpected failure of ours
    kVendor,                // an upstream vendor (carrier, STT, channel) refused or failed
    kUnavailable,           // a dependency (database, queue) is not reachable right now
    kTimeout,               // a dependency did not answer within its deadline
};

// The stable snake_case code rendered in error bodies, e.g. "validation_failed".
std::string_view to_string(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    // Flat key/value details ("field" → "channel"); rendered as a JSON object of strings.
    std::vector<std::pair<std::string, std::string>> details;

    Error with(std::string key, std::string value) &&;

    static Error bad_request(std::string message);
    static Error validation(std::string field, std::string message);
    static Error unauthorized(std::string message);
    static Error not_found(std::string what, std::string id);
    static Error conflict(std::string message);
    static Error internal(std::string message);
    static Error unavailable(std::string message);
};

}  // namespace crossvoice::core
