#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace crossvoice::api {

// One part of a multipart/form-data body (RFC 7578). Views point into the body passed to parse_multipart.
struct MultipartPart {
    std::string name;                     // Content-Disposition name
    std::optional<std::string> filename;  // Content-Disposition filename, when a file
    std::string content_type;             // the part's Content-Type; "text/plain" when absent
    std::string_view data;
};

// The boundary parameter of a "multipart/form-data; boundary=…" Content-Type (quoted or not).
// kUnsupportedMediaType when the type is not multipart/form-data; kBadRequest when the boundary is missing
// or invalid (RFC 2046: 1..70 characters of the allowed set).
core::Result<std::string> multipart_boundary(std::string_view content_type);

// Splits `body` into its parts. kBadRequest naming the problem for anything malformed (no opening boundary,
// no closing boundary, a part without headers end or without Content-Disposition name, more than
// `max_parts` parts). Never reads outside `body`.
core::Result<std::vector<MultipartPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                         std::size_t max_parts = 64);

}  // namespace crossvoice::api
