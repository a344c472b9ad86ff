#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace crossvoice::http {

// Writes the status line and headers of `response` (HTTP/1.1, ending with the blank line) into `out`.
// Every response carries Server, Content-Type, Content-Length and X-Request-Id, and "Connection: close"
// when the connection ends after it. Header values come from our own code (request ids are checked on the
// way in), never raw from a client, so no CR or LF can reach the head.
void write_response_head(const Response& response, std::string_view request_id, bool close, std::string& out);

// The head of a streamed response (text/event-stream): no Content-Length, since the body ends when the
// connection does; no caching, and no buffering by nginx (X-Accel-Buffering), so each event reaches the client
// as it is written.
void write_stream_head(const Response& response, std::string_view request_id, std::string& out);

// The reason phrase of a status code ("Not Found"), or "<unknown-status>" (Beast's table).
std::string_view reason_phrase(int status);

}  // namespace crossvoice::http
