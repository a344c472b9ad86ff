#include "sandbox/url_form.hpp"

namespace crossvoice::sandbox {
namespace {

bool unreserved(unsigned char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
           ch == '_' || ch == '~';
}

void append_encoded(std::string& out, std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    for (const char raw : text) {
        const auto ch = static_cast<unsigned char>(raw);
        if (unreserved(ch)) {
            out += raw;
        } else if (ch == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHex[ch >> 4U];
            out += kHex[ch & 0x0FU];
        }
    }
}

// Where the scheme ends ("https:" -> 6), or npos when `url` has none (a scheme is letters, digits, + - . before
// the first ':', and comes before any '/', '?' or '#').
std::size_t scheme_end(std::string_view url) {
    const auto colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::string_view::npos;
    const auto delimiter = url.find_first_of("/?#");
    if (delimiter != std::string_view::npos && delimiter < colon) return std::string_view::npos;
    for (std::size_t i = 0; i < colon; ++i) {
        const auto ch = static_cast<unsigned char>(url[i]);
        const bool alpha = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
        const bool other = (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.';
        if (!alpha && !(i > 0 && other)) return std::string_view::npos;
    }
    return colon + 1;
}

std::string_view without_fragment(std::string_view url) { return url.substr(0, url.find('#')); }

}  // namespace

std::string encode_form(const FormFields& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out += '&';
        append_encoded(out, name);
        out += '=';
        append_encoded(out, value);
    }
    return out;
}

std::string with_query(std::string_view url, std::string_view query) {
    std::string out(without_fragment(url));
    if (query.empty()) return out;
    if (out.find('?') == std::string::npos) {
        out += '?';
    } else if (out.back() != '?' && out.back() != '&') {
        out += '&';
    }
    out += query;
    return out;
}

std::string_view query_of(std::string_view url) {
    url = without_fragment(url);
    const auto mark = url.find('?');
    return mark == std::string_view::npos ? std::string_view() : url.substr(mark + 1);
}

std::string resolve_url(std::string_view base, std::string_view reference) {
    base = without_fragment(base);
    if (reference.empty()) return std::string(base);
    if (scheme_end(reference) != std::string_view::npos) return std::string(reference);
    const auto scheme = scheme_end(base);
    if (scheme == std::string_view::npos) return std::string(reference);  // nothing to resolve against
    if (reference.starts_with("//")) return std::string(base.substr(0, scheme)) + std::string(reference);

    // base = scheme "//" authority path [? query]
    std::size_t path_start = base.size();
    if (base.substr(scheme).starts_with("//")) {
        path_start = base.find_first_of("/?", scheme + 2);
        if (path_start == std::string_view::npos) path_start = base.size();
    } else {
        path_start = scheme;
    }
    const auto origin = base.substr(0, path_start);
    const auto path_and_query = base.substr(path_start);
    const auto path = path_and_query.substr(0, path_and_query.find('?'));

    if (reference.front() == '/') return std::string(origin) + std::string(reference);
    if (reference.front() == '?') return std::string(origin) + std::string(path) + std::string(reference);
    const auto slash = path.rfind('/');
    const auto directory = slash == std::string_view::npos ? std::string_view("/") : path.substr(0, slash + 1);
    return std::string(origin) + std::string(directory) + std::string(reference);
}

bool is_http_url(std::string_view url) {
    std::string_view rest;
    if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else {
        return false;
    }
    const auto host_end = rest.find_first_of("/?#");
    const auto authority = rest.substr(0, host_end);
    return !authority.empty() && authority.front() != ':' &&
           authority.find_first_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace crossvoice::sandbox
