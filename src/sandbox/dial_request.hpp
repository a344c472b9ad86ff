#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/telnyx_error.hpp"

namespace crossvoice::sandbox {

// The fields of POST /v2/calls the sandbox acts on (vendor-apis.md A.2). Fields it accepts but ignores
// (webhook_url_method, stream codecs, transcription, record_max_length) are still type-checked where Telnyx
// would refuse them.
struct DialRequest {
    std::string connection_id;
    std::string to;    // E.164 or sip: URI
    std::string from;  // E.164
    std::optional<std::string> webhook_url;
    std::optional<std::string> client_state;  // base64, as given
    std::optional<std::string> command_id;
    std::optional<int> timeout_secs;     // 5..600
    std::optional<int> time_limit_secs;  // 1..14400
    bool record = false;                 // record: "record-from-answer"
    std::string record_channels = "dual";
    std::optional<std::string> answering_machine_detection;
    std::optional<std::string> stream_url;
};

// Checks `body` like Telnyx: the first problem as a 422 naming the field in source.pointer.
std::optional<TelnyxError> read_dial_request(const nlohmann::json& body, DialRequest& out);

}  // namespace crossvoice::sandbox
