// What a web page's visitor sends the widget's API: the Authorization header (visitor_token, then the visitor token
// itself opened by SodiumVisitorSealer), the Origin and Host headers (WidgetOrigins), and a JSON body read as each of
// the widget's requests (read_widget_start, read_widget_text, read_widget_phone).
// Input: three lines (authorization, origin, host), then the body.
// Properties: an accepted token is the header after "Visitor "; a token that is not ours is refused as
// kUnauthorized; an origin is allowed cross-origin only when listed; body refusals are 400/415-kinds naming what is
// wrong, and every refusal renders as JSON without throwing.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/widget_origins.hpp"
#include "api/widget_request.hpp"
#include "fuzz_check.hpp"
#include "http/error_response.hpp"
#include "infra/sodium_visitor_sealer.hpp"

namespace {

using crossvoice::core::ErrorCode;

std::string_view next_line(std::string_view& rest) {
    const auto newline = rest.find('\n');
    const auto line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    return line;
}

bool body_refusal(ErrorCode code) {
    return code == ErrorCode::kValidation || code == ErrorCode::kBadRequest || code == ErrorCode::kUnsupportedMediaType;
}

void renders(const crossvoice::core::Error& error) {
    const auto response = crossvoice::http::render_error(error);
    FUZZ_CHECK(response.status >= 400 && !response.body.empty());
}

crossvoice::infra::SodiumVisitorSealer& sealer() {
    static const auto made =
        crossvoice::infra::SodiumVisitorSealer::create(std::string_view("fuzz-visitor-secret-0123456789abcdef0123"));
    return *made.value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    const auto authorization = next_line(rest);
    const auto origin = next_line(rest);
    const auto host = next_line(rest);

    crossvoice::http::Request request;
    request.method = crossvoice::http::Method::kPost;
    request.path = "/api/widget/tetrix/conversations";
    request.target = request.path;
    request.remote = "192.0.2.1";
    request.body = std::string(rest);
    request.headers.emplace_back("content-type", "application/json");
    if (!authorization.empty()) request.headers.emplace_back("authorization", std::string(authorization));
    if (!origin.empty()) request.headers.emplace_back("origin", std::string(origin));
    if (!host.empty()) request.headers.emplace_back("host", std::string(host));

    if (auto token = crossvoice::api::visitor_token(request)) {
        FUZZ_CHECK(!token->empty());
        FUZZ_CHECK(authorization.substr(0, 8) == "Visitor " && authorization.substr(8) == *token);
        auto claims = sealer().open(*token, crossvoice::core::from_unix_ms(1'790'000'000'000));
        if (!claims) {
            FUZZ_CHECK(claims.error().code == ErrorCode::kUnauthorized);
            renders(claims.error());
        }
    } else {
        FUZZ_CHECK(token.error().code == ErrorCode::kUnauthorized);
    }

    const crossvoice::api::WidgetOrigins origins({"https://shop.example"});
    if (auto allowed = origins.check(request)) {
        if (*allowed) {
            // Only the listed origin (in any case) is echoed back.
            std::string lower = **allowed;
            for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            FUZZ_CHECK(lower == "https://shop.example" && **allowed == origin);
        }
    } else {
        FUZZ_CHECK(allowed.error().code == ErrorCode::kForbidden && !origin.empty());
        renders(allowed.error());
    }

    if (auto start = crossvoice::api::read_widget_start(request)) {
        FUZZ_CHECK(start->client == "192.0.2.1");
    } else {
        FUZZ_CHECK(body_refusal(start.error().code));
        renders(start.error());
    }
    if (auto text = crossvoice::api::read_widget_text(request); !text) {
        FUZZ_CHECK(body_refusal(text.error().code));
        renders(text.error());
    }
    if (auto phone = crossvoice::api::read_widget_phone(request); !phone) {
        FUZZ_CHECK(body_refusal(phone.error().code));
        renders(phone.error());
    }
    return 0;
}
