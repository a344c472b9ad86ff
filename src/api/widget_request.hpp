#pragma once

#include <string>

#include "core/result.hpp"
#include "http/message.hpp"
#include "services/visitor_service.hpp"

// The widget's request bodies and its credential (outside input from any web page).
namespace crossvoice::api {

// POST /api/widget/{platform}/conversations: {name?, language?, handoffToken?}; an empty body is {}. Unknown
// fields are refused (400 naming the field), so a typo never silently starts the wrong conversation.
core::Result<services::VisitorStart> read_widget_start(const http::Request& request);

// {text}: the visitor's message.
core::Result<std::string> read_widget_text(const http::Request& request);

// {phone}: the number to call back.
core::Result<std::string> read_widget_phone(const http::Request& request);

// The token of "Authorization: Visitor <token>": kUnauthorized saying what to send when absent or malformed.
core::Result<std::string> visitor_token(const http::Request& request);

}  // namespace crossvoice::api
