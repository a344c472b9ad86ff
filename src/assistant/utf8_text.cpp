#include "assistant/utf8_text.hpp"

#include <cstdint>

namespace crossvoice::assistant {
namespace {

// Length of the well-formed UTF-8 sequence starting at `at` (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), or 0 when the bytes there are not one.
std::size_t sequence_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[at + i]); };
    const auto continuation = [&](std::size_t i) { return at + i < text.size() && (byte(i) & 0xC0U) == 0x80U; };
    const std::uint8_t lead = byte(0);
    if (lead < 0x80U) return 1;
    if (lead >= 0xC2U && lead <= 0xDFU) return continuation(1) ? 2 : 0;
    if (lead >= 0xE0U && lead <= 0xEFU) {
        if (!continuation(1) || !continuation(2)) return 0;
        if (lead == 0xE0U && byte(1) < 0xA0U) return 0;   // overlong
        if (lead == 0xEDU && byte(1) >= 0xA0U) return 0;  // surrogate
        return 3;
    }
    if (lead >= 0xF0U && lead <= 0xF4U) {
        if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
        if (lead == 0xF0U && byte(1) < 0x90U) return 0;   // overlong
        if (lead == 0xF4U && byte(1) >= 0x90U) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

std::string clean_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t length = sequence_length(text, at);
        if (length == 0) {
            ++at;
            continue;
        }
        if (length == 1) {
            const auto ch = static_cast<std::uint8_t>(text[at]);
            out.push_back(ch == '\n' || (ch >= 0x20U && ch != 0x7FU) ? text[at] : ' ');
        } else {
            const auto second = static_cast<std::uint8_t>(text[at + 1]);
            // C1 controls (U+0080..U+009F) are as unprintable as the ASCII ones.
            if (static_cast<std::uint8_t>(text[at]) == 0xC2U && second < 0xA0U) {
                out.push_back(' ');
            } else {
                out.append(text.substr(at, length));
            }
        }
        at += length;
    }
    return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<std::uint8_t>(text[end]) & 0xC0U) == 0x80U) --end;
    return text.substr(0, end);
}

}  // namespace crossvoice::assistant
