#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace crossvoice::core {

// ULID-style identifiers: "<prefix>_" + 26 Crockford base32 characters, 48 bits of milliseconds
// then 80 random bits. They sort by creation time, which gives stable cursor pagination.
using IdEntropy = std::array<std::uint8_t, 10>;

std::string make_id(std::string_view prefix, TimePoint created, const IdEntropy& entropy);

// True when `id` is "<prefix>_" followed by 26 Crockford base32 characters.
bool is_valid_id(std::string_view prefix, std::string_view id);

}  // namespace crossvoice::core
