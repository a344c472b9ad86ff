#include "core/platform.hpp"

namespace crossvoice::core {

std::string_view to_string(Platform platform) {
    switch (platform) {
        case Platform::kTetrix: return "tetrix";
        case Platform::kJoromi: return "joromi";
    }
    return "unknown";
}

std::optional<Platform> parse_platform(std::string_view text) {
    for (Platform platform : kAllPlatforms) {
        if (to_string(platform) == text) return platform;
    }
    return std::nullopt;
}

}  // namespace crossvoice::core
