#include "core/client_state.hpp"

#include <array>

#include "core/call.hpp"
#include "core/ids.hpp"
#include "core/session.hpp"

namespace crossvoice::core {
namespace {

constexpr std::string_view kVersion = "cv1";

}  // namespace

std::string encode_client_state(const CallClientState& state) {
    std::string text(kVersion);
    text += '|';
    text += to_string(state.platform);
    text += '|';
    text += state.session_id;
    text += '|';
    text += state.call_id;
    return text;
}

std::optional<CallClientState> decode_client_state(std::string_view text) {
    std::array<std::string_view, 4> parts;
    std::size_t count = 0;
    while (count < parts.size()) {
        const auto bar = text.find('|');
        parts[count++] = text.substr(0, bar);
        if (bar == std::string_view::npos) {
            text = {};
            break;
        }
        text.remove_prefix(bar + 1);
    }
    if (count != parts.size() || !text.empty() || parts[0] != kVersion) return std::nullopt;
    const auto platform = parse_platform(parts[1]);
    if (!platform || !is_valid_id(kSessionIdPrefix, parts[2]) || !is_valid_id(kCallIdPrefix, parts[3])) {
        return std::nullopt;
    }
    return CallClientState{*platform, std::string(parts[2]), std::string(parts[3])};
}

}  // namespace crossvoice::core
