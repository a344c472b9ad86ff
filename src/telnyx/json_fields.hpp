#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/result.hpp"

// The field readers both Telnyx webhook parsers (call events, message events) use. `name` is the field as the
// error names it, spelled by the caller (a dotted path for call events, a JSON pointer for message events).
namespace crossvoice::telnyx::json_fields {

core::Error missing(const std::string& name);
core::Error wrong_type(const std::string& name, std::string_view wanted, const nlohmann::json& got);

// Absent or null: nullopt. A string: its value. Anything else names the field.
core::Result<std::optional<std::string>> optional_string(const nlohmann::json& object, std::string_view key,
                                                         const std::string& name);
// Present, a string and not empty.
core::Result<std::string> required_string(const nlohmann::json& object, std::string_view key, const std::string& name);
// Absent or null: nullopt; otherwise an RFC 3339 date-time.
core::Result<std::optional<core::TimePoint>> optional_time(const nlohmann::json& object, std::string_view key,
                                                           const std::string& name);
// Absent or null: nullptr; otherwise it must be an object.
core::Result<const nlohmann::json*> optional_object(const nlohmann::json& object, std::string_view key,
                                                    const std::string& name);

}  // namespace crossvoice::telnyx::json_fields
