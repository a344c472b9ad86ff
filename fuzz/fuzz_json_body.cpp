// The JSON request body and query string readers that every handler goes through.
// Input: the first byte picks a Content-Type header; the rest is the body and, separately, the query string.
// Properties: parse_json_object yields an object or fails with bad_request / unsupported_media_type (the
// latter only for a non-JSON content type); field accessors succeed exactly when the field has the right
// type and fail with a validation error naming it; query_param agrees with has_query_param and query_int.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/json_body.hpp"
#include "fuzz_check.hpp"
#include "http/message.hpp"

namespace {

using crossvoice::core::Error;
using crossvoice::core::ErrorCode;

constexpr std::array<std::string_view, 6> kContentTypes{
    "",
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/json-patch+json",
    "APPLICATION/JSON",
};
constexpr std::array<std::string_view, 6> kFields{"channel",  "phoneNumber", "userId",
                                                  "metadata", "sessionId",   "action"};
constexpr std::array<std::string_view, 6> kQueryNames{"limit", "cursor", "channel", "phoneNumber", "", "a b"};

bool names_field(const Error& error, std::string_view name) {
    if (error.code != ErrorCode::kValidation) return false;
    for (const auto& [key, value] : error.details) {
        if (key == "field" && value == name) return true;
    }
    return false;
}

void check_fields(const nlohmann::json& object) {
    const crossvoice::api::Fields fields(object);
    for (const auto name : kFields) {
        const auto it = object.find(name);
        const bool present = it != object.end();
        FUZZ_CHECK(fields.has(name) == present);

        auto required = fields.required_string(name);
        FUZZ_CHECK(required.ok() == (present && it->is_string()));
        if (required) {
            FUZZ_CHECK(required.value() == it->get<std::string>());
        } else {
            FUZZ_CHECK(names_field(required.error(), name));
        }

        auto optional = fields.optional_string(name);
        const bool absent = !present || it->is_null();
        FUZZ_CHECK(optional.ok() == (absent || it->is_string()));
        if (optional) {
            FUZZ_CHECK(optional.value().has_value() == !absent);
        } else {
            FUZZ_CHECK(names_field(optional.error(), name));
        }

        auto text = fields.optional_object_text(name);
        FUZZ_CHECK(text.ok() == (absent || it->is_object()));
        if (text) {
            // Compact text of an object: parses back to the same object.
            const auto back = nlohmann::json::parse(text.value());
            FUZZ_CHECK(back.is_object());
            FUZZ_CHECK(absent ? back.empty() : back == *it);
        } else {
            FUZZ_CHECK(names_field(text.error(), name));
        }
    }
}

void check_query(std::string_view query) {
    crossvoice::http::Request request;
    request.query = std::string(query);
    for (const auto name : kQueryNames) {
        const auto value = request.query_param(name);
        const bool has = request.has_query_param(name);
        if (value) FUZZ_CHECK(has);

        auto as_string = crossvoice::api::query_string(request, name);
        FUZZ_CHECK(as_string.ok() == (value.has_value() || !has));
        if (as_string) FUZZ_CHECK(as_string.value() == value);

        auto as_int = crossvoice::api::query_int(request, name, -7);
        if (!has) FUZZ_CHECK(as_int.ok() && as_int.value() == -7);
        if (!as_int) FUZZ_CHECK(names_field(as_int.error(), name));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const auto content_type = kContentTypes[data[0] % kContentTypes.size()];
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);

    crossvoice::http::Request request;
    request.method = crossvoice::http::Method::kPost;
    if (!content_type.empty()) request.headers.emplace_back("content-type", std::string(content_type));
    request.body = std::string(rest);

    const auto parsed = crossvoice::api::parse_json_object(request);
    if (parsed) {
        FUZZ_CHECK(parsed.value().is_object());
        check_fields(parsed.value());
        // The success envelope renders whatever fields a handler hands it, as a JSON object.
        const auto response = crossvoice::api::success(201, parsed.value());
        FUZZ_CHECK(response.status == 201);
        const auto envelope = nlohmann::json::parse(response.body);
        FUZZ_CHECK(envelope.is_object() && envelope.contains("success"));
        if (!parsed.value().contains("success")) FUZZ_CHECK(envelope.at("success") == true);
    } else {
        const auto code = parsed.error().code;
        FUZZ_CHECK(code == ErrorCode::kBadRequest || code == ErrorCode::kUnsupportedMediaType);
        const bool json_type =
            content_type.empty() || content_type.substr(0, content_type.find(';')) == "application/json";
        FUZZ_CHECK((code == ErrorCode::kUnsupportedMediaType) == !json_type);
    }

    check_query(rest);
    return 0;
}
