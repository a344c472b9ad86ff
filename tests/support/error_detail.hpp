#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace crossvoice::testing {

// The value of one of an error's details, for assertions; nullopt when it has none by that key.
inline std::optional<std::string> detail(const core::Error& error, std::string_view key) {
    for (const auto& [name, value] : error.details) {
        if (name == key) return value;
    }
    return std::nullopt;
}

}  // namespace crossvoice::testing
