#include "api/json_body.hpp"

#include <fmt/format.h>

#include <charconv>

namespace crossvoice::api {
namespace {

std::string_view type_name(const nlohmann::json& value) {
    if (value.is_null()) return "null";
    if (value.is_boolean()) return "a boolean";
    if (value.is_number()) return "a number";
    if (value.is_string()) return "a string";
    if (value.is_array()) return "an array";
    return "an object";
}

core::Error wrong_type(std::string_view name, std::string_view wanted, const nlohmann::json& got) {
    return core::Error::validation(std::string(name),
                                   fmt::format("{} must be {}, not {}", name, wanted, type_name(got)));
}

}  // namespace

core::Result<nlohmann::json> parse_json_object(const http::Request& request) {
    if (const auto type = request.header("content-type")) {
        const auto media = type->substr(0, type->find(';'));
        if (media != "application/json") {
            return core::Error{core::ErrorCode::kUnsupportedMediaType,
                               "request body must be application/json",
                               {{"contentType", std::string(media)}}};
        }
    }
    if (request.body.empty()) return core::Error::bad_request("request body is empty; send a JSON object");
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::exception& e) {
        // parse_error, and out_of_range for a number beyond a double ({"a":1e400}); what() says where and why.
        return core::Error::bad_request("request body is not valid JSON").with("parseError", e.what());
    }
    if (!parsed.is_object()) {
        return core::Error::bad_request(fmt::format("request body must be a JSON object, not {}", type_name(parsed)));
    }
    return parsed;
}

bool Fields::has(std::string_view name) const { return object_.contains(name); }

core::Result<std::optional<bool>> Fields::optional_bool(std::string_view name) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return std::optional<bool>{};
    if (!it->is_boolean()) return wrong_type(name, "true or false", *it);
    return std::optional<bool>{it->get<bool>()};
}

core::Result<bool> Fields::optional_bool(std::string_view name, bool fallback) const {
    auto value = optional_bool(name);
    if (!value) return std::move(value).error();
    return value->value_or(fallback);
}

core::Result<int> Fields::optional_int(std::string_view name, int fallback, int min, int max) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return fallback;
    const auto out_of_range = [&] {
        return core::Error::validation(std::string(name),
                                       fmt::format("{} must be a whole number from {} to {}", name, min, max));
    };
    if (it->is_number_integer()) {
        // get<int64_t> is exact for every integer nlohmann stores (it keeps uint64 separately).
        if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
            return out_of_range();
        }
        const auto value = it->get<std::int64_t>();
        if (value < min || value > max) return out_of_range();
        return static_cast<int>(value);
    }
    if (it->is_number_float()) return out_of_range();
    return wrong_type(name, "a whole number", *it);
}

core::Result<std::string> Fields::required_string(std::string_view name) const {
    const auto it = object_.find(name);
    if (it == object_.end()) return core::Error::validation(std::string(name), fmt::format("{} is required", name));
    if (!it->is_string()) return wrong_type(name, "a string", *it);
    return it->get<std::string>();
}

core::Result<std::optional<std::string>> Fields::optional_string(std::string_view name) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return wrong_type(name, "a string", *it);
    return std::optional<std::string>{it->get<std::string>()};
}

core::Result<std::string> Fields::optional_object_text(std::string_view name) const {
    const auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return std::string("{}");
    if (!it->is_object()) return wrong_type(name, "an object", *it);
    return it->dump();
}

core::Result<int> query_int(const http::Request& request, std::string_view name, int fallback) {
    auto found = query_string(request, name);
    if (!found) return std::move(found).error();
    const auto& text = found.value();
    if (!text) return fallback;
    int value = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc{} || ptr != end || text->empty()) {
        return core::Error::validation(std::string(name), fmt::format("{} must be an integer", name));
    }
    return value;
}

core::Result<std::optional<std::string>> query_string(const http::Request& request, std::string_view name) {
    // A parameter that is present but badly percent-encoded is an error, not "absent".
    auto value = request.query_param(name);
    if (!value && request.has_query_param(name)) {
        return core::Error::validation(std::string(name), fmt::format("{} is not correctly percent-encoded", name));
    }
    return value;
}

http::Response success(int status, nlohmann::json fields) {
    nlohmann::json body = nlohmann::json::object();
    body["success"] = true;
    for (auto& [key, value] : fields.items()) body[key] = std::move(value);
    return http::Response::json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace crossvoice::api
