#include "api/multipart.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace crossvoice::api {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxBoundaryLength = 70;
constexpr std::size_t kMaxShownBytes = 64;

char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

// RFC 2046 bchars: DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" / ":" / "=" / "?" / " ",
// and the last one not a space.
bool valid_boundary(std::string_view boundary) {
    if (boundary.empty() || boundary.size() > kMaxBoundaryLength || boundary.back() == ' ') return false;
    return std::all_of(boundary.begin(), boundary.end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
               std::string_view("'()+_,-./:=? ").find(ch) != std::string_view::npos;
    });
}

// A header's parameters: `; name=value` or `; name="quoted \"value\""`. Names lower-cased; the first of a
// repeated name wins.
struct Parameter {
    std::string name;
    std::string value;
};

core::Result<std::vector<Parameter>> parse_parameters(std::string_view text) {
    std::vector<Parameter> out;
    std::size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && (is_blank(text[at]) || text[at] == ';')) ++at;
        if (at == text.size()) break;
        const std::size_t equals = text.find('=', at);
        const std::size_t semicolon = text.find(';', at);
        if (equals == std::string_view::npos || (semicolon != std::string_view::npos && semicolon < equals)) {
            // A bare word ("form-data; foo; name=x"): ignored, like unknown parameters.
            at = semicolon == std::string_view::npos ? text.size() : semicolon;
            continue;
        }
        Parameter parameter;
        for (const char ch : trim(text.substr(at, equals - at))) parameter.name.push_back(lower(ch));
        at = equals + 1;
        while (at < text.size() && is_blank(text[at])) ++at;
        if (at < text.size() && text[at] == '"') {
            ++at;
            bool closed = false;
            while (at < text.size()) {
                const char ch = text[at++];
                if (ch == '"') {
                    closed = true;
                    break;
                }
                if (ch == '\\' && at < text.size()) {
                    parameter.value.push_back(text[at++]);
                } else {
                    parameter.value.push_back(ch);
                }
            }
            if (!closed) {
                return core::Error::bad_request(fmt::format("parameter '{}' has an unterminated quoted value",
                                                            parameter.name.substr(0, kMaxShownBytes)));
            }
        } else {
            const std::size_t end = std::min(text.find(';', at), text.size());
            parameter.value = std::string(trim(text.substr(at, end - at)));
            at = end;
        }
        const bool seen =
            std::any_of(out.begin(), out.end(), [&](const Parameter& p) { return p.name == parameter.name; });
        if (!seen) out.push_back(std::move(parameter));
    }
    return out;
}

const Parameter* find_parameter(const std::vector<Parameter>& parameters, std::string_view name) {
    const auto found =
        std::find_if(parameters.begin(), parameters.end(), [&](const Parameter& p) { return p.name == name; });
    return found == parameters.end() ? nullptr : &*found;
}

// A delimiter line is "--boundary", then either "--" (the close) or optional transport padding (spaces,
// tabs) and CRLF. `at` points just past "--boundary". Returns where the next part's headers start, or
// npos when this is not a delimiter line after all; sets `closing` for the close delimiter.
std::size_t delimiter_line_end(std::string_view body, std::size_t at, bool& closing) {
    closing = false;
    if (body.substr(at, 2) == "--") {
        closing = true;
        return at + 2;
    }
    while (at < body.size() && is_blank(body[at])) ++at;
    if (body.substr(at, kCrlf.size()) != kCrlf) return std::string_view::npos;
    return at + kCrlf.size();
}

// The next delimiter at or after `from`: CRLF "--boundary" followed by a valid delimiter line end. A match
// followed by anything else ("--boundaryX") is data, however unwise the sender's choice of boundary.
struct Delimiter {
    std::size_t start = std::string_view::npos;  // where the CRLF before "--" begins
    std::size_t next = 0;                        // past the delimiter line
    bool closing = false;
};

Delimiter find_delimiter(std::string_view body, std::string_view dash_boundary, std::size_t from) {
    while (from <= body.size()) {
        const std::size_t crlf = body.find(kCrlf, from);
        if (crlf == std::string_view::npos) break;
        const std::size_t marker = crlf + kCrlf.size();
        if (body.substr(marker, dash_boundary.size()) == dash_boundary) {
            bool closing = false;
            const std::size_t next = delimiter_line_end(body, marker + dash_boundary.size(), closing);
            if (next != std::string_view::npos) return Delimiter{crlf, next, closing};
        }
        from = crlf + 1;
    }
    return Delimiter{};
}

core::Result<MultipartPart> parse_headers(std::string_view headers, std::size_t number) {
    MultipartPart part;
    part.content_type = "text/plain";
    bool named = false;
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < headers.size()) {
        std::size_t end = headers.find(kCrlf, at);
        if (end == std::string_view::npos) end = headers.size();
        const auto line = headers.substr(at, end - at);
        at = end + kCrlf.size();
        if (!line.empty() && is_blank(line.front()) && !lines.empty()) {
            lines.back().append(" ").append(trim(line));  // an obsolete folded continuation
        } else {
            lines.emplace_back(line);
        }
    }
    for (const auto& line : lines) {
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0) {
            return core::Error::bad_request(fmt::format("multipart part {} has a malformed header line '{}'", number,
                                                        line.substr(0, kMaxShownBytes)));
        }
        const std::string_view name = trim(std::string_view(line).substr(0, colon));
        const std::string_view value = trim(std::string_view(line).substr(colon + 1));
        if (equals_ignoring_case(name, "content-type")) {
            if (!value.empty()) part.content_type = std::string(value);
        } else if (equals_ignoring_case(name, "content-disposition")) {
            const std::size_t semicolon = std::min(value.find(';'), value.size());
            if (!equals_ignoring_case(trim(value.substr(0, semicolon)), "form-data")) {
                return core::Error::bad_request(
                    fmt::format("multipart part {} is not form-data (Content-Disposition: {})", number,
                                std::string(value.substr(0, kMaxShownBytes))));
            }
            auto parameters = parse_parameters(value.substr(semicolon));
            if (!parameters) {
                auto error = std::move(parameters).error();
                error.message = fmt::format("multipart part {}: {}", number, error.message);
                return error;
            }
            if (const auto* name_parameter = find_parameter(*parameters, "name")) {
                part.name = name_parameter->value;
                named = true;
            }
            if (const auto* filename = find_parameter(*parameters, "filename")) part.filename = filename->value;
        }
    }
    if (!named || part.name.empty()) {
        return core::Error::bad_request(
            fmt::format("multipart part {} has no Content-Disposition: form-data with a name", number));
    }
    return part;
}

}  // namespace

core::Result<std::string> multipart_boundary(std::string_view content_type) {
    const std::size_t semicolon = std::min(content_type.find(';'), content_type.size());
    const std::string_view media_type = trim(content_type.substr(0, semicolon));
    if (!equals_ignoring_case(media_type, "multipart/form-data")) {
        return core::Error{
            core::ErrorCode::kUnsupportedMediaType,
            fmt::format("expected multipart/form-data, got '{}'", std::string(media_type.substr(0, kMaxShownBytes))),
            {{"content_type", std::string(media_type.substr(0, kMaxShownBytes))}}};
    }
    auto parameters = parse_parameters(content_type.substr(semicolon));
    if (!parameters) return std::move(parameters).error();
    const auto* boundary = find_parameter(*parameters, "boundary");
    if (boundary == nullptr) return core::Error::bad_request("multipart/form-data without a boundary parameter");
    if (!valid_boundary(boundary->value)) {
        return core::Error::bad_request("the multipart boundary must be 1 to 70 characters of RFC 2046's set");
    }
    return boundary->value;
}

core::Result<std::vector<MultipartPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                         std::size_t max_parts) {
    if (boundary.empty()) return core::Error::bad_request("empty multipart boundary");
    const std::string dash_boundary = "--" + std::string(boundary);

    // The first delimiter may open the body or follow a preamble, which is ignored.
    Delimiter current;
    if (body.substr(0, dash_boundary.size()) == dash_boundary) {
        bool closing = false;
        const std::size_t next = delimiter_line_end(body, dash_boundary.size(), closing);
        if (next != std::string_view::npos) current = Delimiter{0, next, closing};
    }
    if (current.start == std::string_view::npos) current = find_delimiter(body, dash_boundary, 0);
    if (current.start == std::string_view::npos) {
        return core::Error::bad_request("the multipart body has no opening boundary");
    }

    std::vector<MultipartPart> parts;
    while (!current.closing) {
        const std::size_t number = parts.size() + 1;
        if (parts.size() == max_parts) {
            return core::Error::bad_request(fmt::format("the multipart body has more than {} parts", max_parts));
        }
        // Headers run to an empty line; a part with no headers at all starts with that empty line.
        const std::size_t headers_start = current.next;
        std::size_t data_start = 0;
        std::string_view headers;
        if (body.substr(headers_start, kCrlf.size()) == kCrlf) {
            data_start = headers_start + kCrlf.size();
        } else {
            const std::size_t blank_line = body.find("\r\n\r\n", headers_start);
            if (blank_line == std::string_view::npos) {
                return core::Error::bad_request(fmt::format("multipart part {} has no end of headers", number));
            }
            headers = body.substr(headers_start, blank_line - headers_start);
            data_start = blank_line + 4;
        }
        auto part = parse_headers(headers, number);
        if (!part) return std::move(part).error();
        // The CRLF before the next delimiter belongs to it, so data may be empty and a search from the
        // data's first byte finds it.
        const Delimiter next = find_delimiter(body, dash_boundary, data_start - kCrlf.size());
        if (next.start == std::string_view::npos) {
            return core::Error::bad_request("the multipart body has no closing boundary");
        }
        part->data = next.start >= data_start ? body.substr(data_start, next.start - data_start) : std::string_view{};
        parts.push_back(std::move(part).value());
        current = next;
    }
    return parts;
}

}  // namespace crossvoice::api
