#include "http/static_response.hpp"

#include "http/header_tokens.hpp"

namespace crossvoice::http {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// The q-value of one Accept-Encoding item ("gzip;q=0.5"): 1 without one, 0 for anything unreadable.
double quality(std::string_view parameters) {
    while (!parameters.empty()) {
        const auto semicolon = parameters.find(';');
        const auto parameter = trim(parameters.substr(0, semicolon));
        if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
            const auto value = parameter.substr(2);
            // q = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ): anything but zero counts as acceptable.
            if (value.empty() || (value[0] != '0' && value[0] != '1')) return 0;
            if (value[0] == '1') return 1;
            for (const char ch : value.substr(1)) {
                if (ch >= '1' && ch <= '9') return 0.5;
                if (ch != '.' && ch != '0') return 0;
            }
            return 0;
        }
        if (semicolon == std::string_view::npos) break;
        parameters.remove_prefix(semicolon + 1);
    }
    return 1;
}

std::string_view cache_control(CachePolicy policy) {
    switch (policy) {
        case CachePolicy::kImmutable: return "public, max-age=31536000, immutable";
        case CachePolicy::kShort: return "public, max-age=300";
        case CachePolicy::kRevalidate: break;
    }
    return "no-cache";
}

}  // namespace

bool accepts_gzip(std::optional<std::string_view> accept_encoding) {
    if (!accept_encoding) return false;
    bool gzip_named = false;
    double gzip_q = 0;
    double star_q = 0;
    for (const auto item : comma_separated(*accept_encoding)) {
        const auto semicolon = item.find(';');
        const auto coding = trim(item.substr(0, semicolon));
        const double q = semicolon == std::string_view::npos ? 1 : quality(item.substr(semicolon + 1));
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
            gzip_named = true;
            gzip_q = std::max(gzip_q, q);
        } else if (coding == "*") {
            star_q = q;
        }
    }
    return gzip_named ? gzip_q > 0 : star_q > 0;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    if (trim(if_none_match) == "*") return true;
    const auto opaque = [](std::string_view tag) {
        tag = trim(tag);
        if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
        return tag;
    };
    const auto wanted = opaque(etag);
    for (const auto item : comma_separated(if_none_match)) {
        if (opaque(item) == wanted) return true;
    }
    return false;
}

Response serve_static(const StaticFile& file, const Request& request, const StaticServeOptions& options) {
    const bool gzip = file.gzip.has_value() && accepts_gzip(request.header("accept-encoding"));
    const auto& etag = gzip ? file.gzip_etag : file.etag;

    Response response;
    response.content_type = file.content_type;
    auto& headers = response.headers;
    headers.emplace_back("ETag", etag);
    headers.emplace_back("Cache-Control", std::string(cache_control(options.cache)));
    if (file.gzip) headers.emplace_back("Vary", "Accept-Encoding");
    headers.emplace_back("X-Content-Type-Options", "nosniff");
    headers.emplace_back("Referrer-Policy", "no-referrer");
    if (options.cross_origin) headers.emplace_back("Access-Control-Allow-Origin", "*");
    if (file.content_type.rfind("text/html", 0) == 0) {
        headers.emplace_back("Content-Security-Policy", std::string(kHtmlContentSecurityPolicy));
        headers.emplace_back("X-Frame-Options", "DENY");
    }

    if (const auto condition = request.header("if-none-match"); condition && etag_matches(*condition, etag)) {
        response.status = 304;
        return response;
    }
    response.status = 200;
    if (gzip) {
        headers.emplace_back("Content-Encoding", "gzip");
        response.body = *file.gzip;
    } else {
        response.body = file.content;
    }
    return response;
}

}  // namespace crossvoice::http
