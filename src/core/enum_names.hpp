#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace crossvoice::core {

// A table of an enum's values and their stable wire names, and the two lookups every enum needs.
template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const EnumNames<Enum, N>& table, Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) return name;
    }
    return "unknown";
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_of(const EnumNames<Enum, N>& table, std::string_view text) {
    for (const auto& [candidate, name] : table) {
        if (name == text) return candidate;
    }
    return std::nullopt;
}

}  // namespace crossvoice::core
