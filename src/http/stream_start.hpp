#pragma once

// Internal to http/: how a connection hands its socket to a stream session, without compiling the sessions'
// templates (WebSocket's above all) into connection.cpp.

#include <memory>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/link.hpp"
#include "http/message.hpp"
#include "http/server_state.hpp"
#include "http/stream.hpp"

namespace crossvoice::http {

// Writes `head` (write_stream_head), then the source's events.
void start_event_stream(ConnectionStream&& stream, Server::State& state, std::shared_ptr<StreamSource> source,
                        std::string head);

// Completes the WebSocket handshake of `upgrade` (adding `headers` to the 101 answer), then carries messages.
void start_websocket(ConnectionStream&& stream, Server::State& state, std::shared_ptr<StreamSource> source,
                     boost::beast::http::request<boost::beast::http::string_body>&& upgrade, Headers headers);

}  // namespace crossvoice::http
