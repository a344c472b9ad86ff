#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace crossvoice::telnyx {

// How error messages of the Telnyx parsers name what they found instead of what they expected.
inline std::string_view json_type_name(const nlohmann::json& value) {
    if (value.is_null()) return "null";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number()) return "a number";
    if (value.is_string()) return "a string";
    if (value.is_array()) return "an array";
    if (value.is_binary()) return "binary";
    return "an object";
}

}  // namespace crossvoice::telnyx
