// The multipart/form-data reader of audio uploads (client input, straight from the socket).
// Input: the first line (LF or CRLF) is the Content-Type header value, the rest is the body.
// Properties: multipart_boundary fails only with 415 or 400 and otherwise yields a valid boundary; parse_multipart
// fails only with bad_request, and otherwise yields at most max_parts parts, each with a name, a content type,
// and data that lies inside the body and holds no delimiter line of its own boundary.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/multipart.hpp"
#include "fuzz_check.hpp"

namespace {

constexpr std::size_t kMaxParts = 8;

bool inside(std::string_view part, std::string_view whole) {
    if (part.empty()) return true;  // an empty view's pointer is not meaningful
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using crossvoice::core::ErrorCode;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    std::string_view content_type = input.substr(0, newline);
    if (content_type.ends_with('\r')) content_type.remove_suffix(1);
    const std::string_view body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);

    const auto boundary = crossvoice::api::multipart_boundary(content_type);
    if (!boundary) {
        FUZZ_CHECK(boundary.error().code == ErrorCode::kUnsupportedMediaType ||
                   boundary.error().code == ErrorCode::kBadRequest);
        return 0;
    }
    FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);

    const auto parts = crossvoice::api::parse_multipart(body, *boundary, kMaxParts);
    if (!parts) {
        FUZZ_CHECK(parts.error().code == ErrorCode::kBadRequest);
        return 0;
    }
    FUZZ_CHECK(parts->size() <= kMaxParts);
    const std::string delimiter = "\r\n--" + *boundary;
    for (const auto& part : *parts) {
        FUZZ_CHECK(!part.name.empty());
        FUZZ_CHECK(!part.content_type.empty());
        FUZZ_CHECK(inside(part.data, body));
        FUZZ_CHECK(part.data.find(delimiter + "\r\n") == std::string_view::npos);
        FUZZ_CHECK(part.data.find(delimiter + "--") == std::string_view::npos);
    }
    return 0;
}
