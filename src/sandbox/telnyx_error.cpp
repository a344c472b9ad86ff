#include "sandbox/telnyx_error.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace crossvoice::sandbox {

http::Response render(const TelnyxError& error) {
    nlohmann::json entry{{"code", error.code}, {"title", error.title}, {"detail", error.detail}};
    if (error.pointer) entry["source"] = {{"pointer", *error.pointer}};
    const nlohmann::json body{{"errors", nlohmann::json::array({std::move(entry)})}};
    // `detail` can quote request text (a path segment is not guaranteed UTF-8): replace, never throw.
    auto response =
        http::Response::json(error.status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    response.headers = error.headers;
    return response;
}

TelnyxError authentication_failed(std::string detail) {
    return {401, "10009", "Authentication failed", std::move(detail), std::nullopt, {}};
}

TelnyxError invalid_json(std::string detail) {
    return {400, "10023", "Invalid JSON", std::move(detail), std::nullopt, {}};
}

TelnyxError missing_parameter(std::string pointer) {
    std::string detail = "The '" + pointer.substr(1) + "' parameter is required.";
    return {422, "10004", "Missing required parameter", std::move(detail), std::move(pointer), {}};
}

TelnyxError invalid_parameter(std::string pointer, std::string detail) {
    return {422, "10015", "Bad Request", std::move(detail), std::move(pointer), {}};
}

TelnyxError invalid_phone_number(std::string pointer, std::string detail) {
    return {422, "10016", "Phone number must be in +E.164 format", std::move(detail), std::move(pointer), {}};
}

TelnyxError not_found(std::string detail) {
    return {404, "10005", "Resource not found", std::move(detail), std::nullopt, {}};
}

TelnyxError call_ended() {
    return {.status = 422,
            .code = "90018",
            .title = "Call has already ended",
            .detail = "This call is no longer active and can't receive commands."};
}

TelnyxError invalid_call_state(std::string detail) {
    return {422, "90045", "Invalid call state", std::move(detail), std::nullopt, {}};
}

}  // namespace crossvoice::sandbox
