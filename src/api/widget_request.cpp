#include "api/widget_request.hpp"

#include <initializer_list>

#include "api/json_body.hpp"

namespace crossvoice::api {
namespace {

// The body as an object with only `allowed` members; an empty body counts as {} when `empty_ok`.
core::Result<nlohmann::json> object_with(const http::Request& request, std::initializer_list<std::string_view> allowed,
                                         bool empty_ok) {
    if (empty_ok && request.body.empty()) return nlohmann::json::object();
    auto body = parse_json_object(request);
    if (!body) return body;
    for (const auto& [name, value] : body->items()) {
        bool known = false;
        for (const auto field : allowed) known = known || name == field;
        if (!known) {
            (void)value;
            // A long name is not echoed (cutting it could split a UTF-8 sequence, and it says nothing more).
            if (name.size() > 64) return core::Error::validation("body", "the body has an unknown, overlong field");
            return core::Error::validation(name,
                                           "unknown field " + name + "; this request takes only the documented fields");
        }
    }
    return body;
}

}  // namespace

core::Result<services::VisitorStart> read_widget_start(const http::Request& request) {
    auto body = object_with(request, {"name", "language", "handoffToken"}, true);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    services::VisitorStart out;
    auto name = fields.optional_string("name");
    if (!name) return std::move(name).error();
    out.name = std::move(name).value();
    auto language = fields.optional_string("language");
    if (!language) return std::move(language).error();
    out.language = std::move(language).value();
    auto token = fields.optional_string("handoffToken");
    if (!token) return std::move(token).error();
    out.handoff_token = std::move(token).value();
    out.client = request.remote;
    return out;
}

core::Result<std::string> read_widget_text(const http::Request& request) {
    auto body = object_with(request, {"text"}, false);
    if (!body) return std::move(body).error();
    return Fields(*body).required_string("text");
}

core::Result<std::string> read_widget_phone(const http::Request& request) {
    auto body = object_with(request, {"phone"}, false);
    if (!body) return std::move(body).error();
    return Fields(*body).required_string("phone");
}

core::Result<std::string> visitor_token(const http::Request& request) {
    const auto header = request.header("authorization");
    if (!header) {
        return core::Error::unauthorized("missing Authorization header; send 'Authorization: Visitor <token>'");
    }
    constexpr std::string_view kScheme = "Visitor ";
    if (header->size() <= kScheme.size() || header->substr(0, kScheme.size()) != kScheme) {
        return core::Error::unauthorized("Authorization header must use the Visitor scheme: 'Visitor <token>'");
    }
    return std::string(header->substr(kScheme.size()));
}

}  // namespace crossvoice::api
