#include "http/message.hpp"

#include <array>

namespace crossvoice::http {
namespace {

constexpr std::array<std::pair<Method, std::string_view>, kMethodCount - 1> kMethods{{
    {Method::kGet, "GET"},
    {Method::kHead, "HEAD"},
    {Method::kPost, "POST"},
    {Method::kPut, "PUT"},
    {Method::kPatch, "PATCH"},
    {Method::kDelete, "DELETE"},
    {Method::kOptions, "OPTIONS"},
}};

int hex_value(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

}  // namespace

std::string_view to_string(Method method) {
    for (const auto& [candidate, name] : kMethods) {
        if (candidate == method) return name;
    }
    return "OTHER";
}

Method parse_method(std::string_view text) {
    for (const auto& [candidate, name] : kMethods) {
        if (name == text) return candidate;
    }
    return Method::kOther;
}

bool is_mutating(Method method) {
    return method == Method::kPost || method == Method::kPut || method == Method::kPatch || method == Method::kDelete;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return std::string_view(value);
    }
    return std::nullopt;
}

namespace {

// The raw (still encoded) value of the first `name=` pair in a query string.
std::optional<std::string_view> raw_query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const auto eq = pair.find('=');
        const auto key = percent_decode(pair.substr(0, eq), true);
        if (!key || *key != name) continue;
        return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> Request::query_param(std::string_view name) const {
    const auto raw = raw_query_value(query, name);
    if (!raw) return std::nullopt;
    return percent_decode(*raw, true);
}

bool Request::has_query_param(std::string_view name) const { return raw_query_value(query, name).has_value(); }

Response Response::json(int status, std::string body) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

Response Response::text(int status, std::string content_type, std::string body) {
    Response response;
    response.status = status;
    response.content_type = std::move(content_type);
    response.body = std::move(body);
    return response;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (ch == '%') {
            if (i + 2 >= text.size()) return std::nullopt;  // needs two hex digits after '%'
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (ch == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(ch);
        }
    }
    return out;
}

}  // namespace crossvoice::http
