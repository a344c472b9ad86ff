#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "http/message.hpp"

namespace crossvoice::api {

// The request body as a JSON object: 415 for a non-JSON content type, 400 naming the parse error or
// the wrong top-level type.
core::Result<nlohmann::json> parse_json_object(const http::Request& request);

// Typed access to the fields of a JSON object, each failure a validation error naming the field.
class Fields {
  public:
    explicit Fields(const nlohmann::json& object) : object_(object) {}

    bool has(std::string_view name) const;
    core::Result<std::string> required_string(std::string_view name) const;
    core::Result<std::optional<std::string>> optional_string(std::string_view name) const;
    // Absent or null gives `fallback`.
    core::Result<bool> optional_bool(std::string_view name, bool fallback) const;
    core::Result<std::optional<bool>> optional_bool(std::string_view name) const;
    // A whole number within [min, max]; absent or null gives `fallback`.
    core::Result<int> optional_int(std::string_view name, int fallback, int min, int max) const;
    // A JSON object, returned as compact text; absent gives "{}".
    core::Result<std::string> optional_object_text(std::string_view name) const;

  private:
    const nlohmann::json& object_;
};

// Query parameters with the same error style.
core::Result<int> query_int(const http::Request& request, std::string_view name, int fallback);
core::Result<std::optional<std::string>> query_string(const http::Request& request, std::string_view name);

// {"success":true, …fields} with the given status.
http::Response success(int status, nlohmann::json fields);

}  // namespace crossvoice::api
