#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "http/message.hpp"

// What a live event client asks for, read from its request (outside input: headers and query).
namespace crossvoice::api {

inline constexpr std::string_view kLiveEventsSubprotocol = "crossvoice.v1";

struct LiveEventRequest {
    std::optional<std::uint64_t> after;     // Last-Event-ID (or ?lastEventId=): resume after this event
    std::optional<std::string> session_id;  // ?sessionId=: one session only
};

// kValidation naming Last-Event-ID or sessionId when either is not what it must be.
core::Result<LiveEventRequest> read_live_event_request(const http::Request& request);

// True when a comma-separated Sec-WebSocket-Protocol offer contains `protocol`.
bool offers_subprotocol(std::string_view offered, std::string_view protocol);

}  // namespace crossvoice::api
