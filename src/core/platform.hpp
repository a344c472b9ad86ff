#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace crossvoice::core {

// The web platforms crossvoice serves. Every key, session and audit row belongs to exactly one.
enum class Platform { kTetrix, kJoromi };

inline constexpr std::array<Platform, 2> kAllPlatforms{Platform::kTetrix, Platform::kJoromi};

std::string_view to_string(Platform platform);
std::optional<Platform> parse_platform(std::string_view text);

}  // namespace crossvoice::core
