#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sandbox/telnyx_error.hpp"
#include "sandbox/texml_session.hpp"

namespace crossvoice::sandbox {

// The caller of a simulated call when the request names none (a fictional 555-01xx number).
inline constexpr std::string_view kDefaultSandboxCaller = "+12025550199";
inline constexpr std::size_t kMaxScriptActions = 100;
inline constexpr std::size_t kMaxActionText = 1000;  // characters of one `say` or `record`

// Reads the body of POST {prefix}/sandbox/texml/calls into `out`:
//   {"from"?: E.164 or sip: (default kDefaultSandboxCaller), "to": E.164 or sip:,
//    "url"?: http(s) URL of the TeXML application (default `default_url`),
//    "method"?: "POST" | "GET" (POST), "statusCallback"?: http(s) URL (default `default_status_url`),
//    "script"?: [{"press": "1#"} | {"say": "billing"} | {"record": "Hi, call me back"} | {"silence": true}, ...]}
// The first problem comes back as a Telnyx-style error whose pointer names the field ("/script/2/press"); a URL
// that is neither given nor configured is a missing parameter.
std::optional<TelnyxError> read_texml_call(const nlohmann::json& body, const std::optional<std::string>& default_url,
                                           const std::optional<std::string>& default_status_url, TexmlCall& out);

}  // namespace crossvoice::sandbox
