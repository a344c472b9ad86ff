// The static files' path check and header readers, which see request paths and headers straight from clients.
// Input: free text, used as the encoded path below /console/, as an Accept-Encoding and as an If-None-Match value.
// Properties: an accepted path decodes to one that has no "." or ".." segment, no empty segment, no dotfile, no
// NUL, control character, backslash or '%', and stays below the folder when joined to it; the header readers never
// crash and "*" / an exact tag always match.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/static_path.hpp"
#include "http/static_response.hpp"

namespace {

namespace http = crossvoice::http;

void check_path(std::string_view text) {
    const auto safe = http::safe_static_path(text);
    if (!safe) return;
    FUZZ_CHECK(safe->size() <= text.size());
    for (const char ch : *safe) {
        const auto byte = static_cast<unsigned char>(ch);
        FUZZ_CHECK(byte >= 0x20 && byte != 0x7f && ch != '\\' && ch != '%');
    }
    if (safe->empty()) return;
    FUZZ_CHECK(safe->front() != '/' && safe->back() != '/');
    std::string_view rest = *safe;
    while (true) {
        const auto slash = rest.find('/');
        const auto segment = rest.substr(0, slash);
        FUZZ_CHECK(!segment.empty() && segment.front() != '.');
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    const std::filesystem::path root = "/srv/web";
    const auto joined = (root / *safe).lexically_normal();
    const auto relative = joined.lexically_relative(root);
    FUZZ_CHECK(!relative.empty() && *relative.begin() != "..");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_path(text);
    (void)http::accepts_gzip(text);
    FUZZ_CHECK(http::etag_matches("*", text));
    if (text.find(',') == std::string_view::npos && text.find_first_not_of(" \t") != std::string_view::npos) {
        const auto tag = "\"" + std::string(text) + "\"";
        if (text.find_first_of(" \t") == std::string_view::npos) FUZZ_CHECK(http::etag_matches(tag, tag));
    }
    return 0;
}
