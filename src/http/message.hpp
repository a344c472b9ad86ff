#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crossvoice::http {

class StreamSource;
enum class StreamProtocol;

// Our own request and response types: handlers never see Beast, which keeps api/ light to compile
// and lets handlers be tested without sockets.

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
inline constexpr std::size_t kMethodCount = 8;

std::string_view to_string(Method method);
Method parse_method(std::string_view text);
// POST, PUT, PATCH and DELETE change state and are audited.
bool is_mutating(Method method);

using Headers = std::vector<std::pair<std::string, std::string>>;  // names in lower case

struct Request {
    Method method = Method::kGet;
    std::string target;  // as received: path and query
    std::string path;    // target before '?'
    std::string query;   // target after '?', without it
    Headers headers;
    std::string body;
    std::string remote;  // peer address

    // Case-insensitive lookup; `name` must be given in lower case.
    std::optional<std::string_view> header(std::string_view name) const;
    // The first value of a query parameter, percent-decoded; nullopt when absent or badly encoded.
    std::optional<std::string> query_param(std::string_view name) const;
    // True when the query names `name`, whatever its value and even if that value is badly encoded.
    bool has_query_param(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    Headers headers;
    std::string body;
    // Set by handlers whose response stays open (Server-Sent Events, WebSocket): the connection hands its socket
    // to a stream session instead of writing `body`. Only a 2xx response streams.
    std::shared_ptr<StreamSource> stream;
    StreamProtocol stream_protocol{};

    static Response json(int status, std::string body);
    static Response text(int status, std::string content_type, std::string body);
};

// Percent-decodes `text` ('+' stays '+'; only query strings use form encoding). nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace crossvoice::http
