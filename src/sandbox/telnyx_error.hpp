#pragma once

#include <optional>
#include <string>

#include "http/message.hpp"

namespace crossvoice::sandbox {

// One Telnyx API error, rendered as {"errors":[{code, title, detail, source:{pointer}}]} (vendor-apis.md A.6).
// Codes come from Telnyx's public error catalogue where one fits; the two marked "sandbox choice" below are
// plausible stand-ins, since the catalogue does not pin down what Call Control answers in those cases.
struct TelnyxError {
    int status = 422;
    std::string code;
    std::string title;
    std::string detail;
    // Defaulted explicitly, so that designated initialisers may leave them out (-Wmissing-field-initializers).
    std::optional<std::string> pointer = std::nullopt;  // JSON pointer of the offending field: "/to"
    http::Headers headers = {};                         // e.g. Retry-After on a 429
};

http::Response render(const TelnyxError& error);

// 401, code 10009: no usable Bearer key.
TelnyxError authentication_failed(std::string detail);
// 400, code 10023: the body is not a JSON object.
TelnyxError invalid_json(std::string detail);
// 422, code 10004: a required field is absent or empty.
TelnyxError missing_parameter(std::string pointer);
// 422, code 10015 "Bad Request": a field of the wrong type or out of range; `detail` says what is expected.
TelnyxError invalid_parameter(std::string pointer, std::string detail);
// 422, code 10016: a phone number that is not E.164 (or a sip: URI where one is allowed).
TelnyxError invalid_phone_number(std::string pointer, std::string detail);
// 404, code 10005 "Resource not found": an unknown call_control_id, action or recording (sandbox choice of code).
TelnyxError not_found(std::string detail);
// 422, code 90018: the call has already ended.
TelnyxError call_ended();
// 422, code 90045: the call exists but is not in a state that allows the command, e.g. speak before it is
// answered, or answer on an outgoing call (sandbox choice of code).
TelnyxError invalid_call_state(std::string detail);

}  // namespace crossvoice::sandbox
