#include "http/response_head.hpp"

#include <fmt/format.h>

#include <boost/beast/http/status.hpp>

namespace crossvoice::http {

std::string_view reason_phrase(int status) {
    const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
    return {reason.data(), reason.size()};
}

void write_response_head(const Response& response, std::string_view request_id, bool close, std::string& out) {
    // Serialised by hand rather than through Beast's message and serializer: one string, no per-field
    // allocations, which is a measurable share of a small response's cost.
    out.clear();
    auto it = std::back_inserter(out);
    fmt::format_to(it, "HTTP/1.1 {} {}\r\nServer: crossvoice\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
                   response.status, reason_phrase(response.status), response.content_type, response.body.size());
    fmt::format_to(it, "X-Request-Id: {}\r\n", request_id);
    for (const auto& [name, value] : response.headers) fmt::format_to(it, "{}: {}\r\n", name, value);
    if (close) out += "Connection: close\r\n";
    out += "\r\n";
}

void write_stream_head(const Response& response, std::string_view request_id, std::string& out) {
    out.clear();
    auto it = std::back_inserter(out);
    fmt::format_to(it, "HTTP/1.1 {} {}\r\nServer: crossvoice\r\nContent-Type: {}\r\nX-Request-Id: {}\r\n",
                   response.status, reason_phrase(response.status), response.content_type, request_id);
    for (const auto& [name, value] : response.headers) fmt::format_to(it, "{}: {}\r\n", name, value);
    out += "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\n";
}

}  // namespace crossvoice::http
