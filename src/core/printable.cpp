#include "core/printable.hpp"

namespace crossvoice::core {

std::string printable(std::string_view text, std::size_t limit) {
    std::string out;
    bool pending_space = false;
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        if (byte <= 0x20 || byte == 0x7f) {
            pending_space = true;
            continue;
        }
        const bool space = pending_space && !out.empty();
        if (out.size() + (space ? 2 : 1) > limit) {
            out += "...";
            return out;
        }
        if (space) out.push_back(' ');
        pending_space = false;
        out.push_back(byte < 0x7f ? ch : '?');
    }
    return out;
}

}  // namespace crossvoice::core
