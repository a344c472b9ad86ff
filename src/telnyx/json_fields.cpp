#include "telnyx/json_fields.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "telnyx/json_type_name.hpp"

namespace crossvoice::telnyx::json_fields {

using nlohmann::json;

core::Error missing(const std::string& name) {
    return core::Error::validation(name, fmt::format("{} is required", name));
}

core::Error wrong_type(const std::string& name, std::string_view wanted, const json& got) {
    return core::Error::validation(name, fmt::format("{} must be {}, not {}", name, wanted, json_type_name(got)));
}

core::Result<std::optional<std::string>> optional_string(const json& object, std::string_view key,
                                                         const std::string& name) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return wrong_type(name, "a string", *it);
    return std::optional<std::string>{it->get<std::string>()};
}

core::Result<std::string> required_string(const json& object, std::string_view key, const std::string& name) {
    auto value = optional_string(object, key, name);
    if (!value) return std::move(value).error();
    if (!value.value() || value.value()->empty()) return missing(name);
    return std::move(*value.value());
}

core::Result<std::optional<core::TimePoint>> optional_time(const json& object, std::string_view key,
                                                           const std::string& name) {
    auto text = optional_string(object, key, name);
    if (!text) return std::move(text).error();
    if (!text.value()) return std::optional<core::TimePoint>{};
    const auto parsed = core::parse_rfc3339(*text.value());
    if (!parsed) {
        return core::Error::validation(
            name, fmt::format("{} must be an RFC 3339 date-time like 2026-11-24T09:30:00.123Z", name));
    }
    return std::optional<core::TimePoint>{*parsed};
}

core::Result<const json*> optional_object(const json& object, std::string_view key, const std::string& name) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_object()) return wrong_type(name, "an object", *it);
    return &*it;
}

}  // namespace crossvoice::telnyx::json_fields
