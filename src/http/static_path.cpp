#include "http/static_path.hpp"

#include "http/message.hpp"

namespace crossvoice::http {

std::optional<std::string> safe_static_path(std::string_view encoded) {
    if (encoded.size() > kMaxStaticPath) return std::nullopt;
    auto decoded = percent_decode(encoded, false);
    if (!decoded) return std::nullopt;
    for (const char ch : *decoded) {
        const auto byte = static_cast<unsigned char>(ch);
        if (byte < 0x20 || byte == 0x7f || ch == '\\' || ch == '%') return std::nullopt;
    }
    std::string_view rest = *decoded;
    if (rest.empty()) return std::string();
    while (true) {
        const auto slash = rest.find('/');
        const auto segment = rest.substr(0, slash);
        if (segment.empty() || segment.front() == '.') return std::nullopt;  // "", ".", "..", ".env"
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return decoded;
}

}  // namespace crossvoice::http
