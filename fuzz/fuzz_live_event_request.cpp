// What a live event client sends before its stream opens: the Authorization and Sec-WebSocket-Protocol headers
// (bearer_secret, with the key offered as a "bearer.<key>" subprotocol), Last-Event-ID and the query
// (read_live_event_request), and the comma-separated header lists (comma_separated, offers_subprotocol).
// Input: four lines, in that order: authorization, sec-websocket-protocol, last-event-id, query string.
// Properties: list items are non-empty, trimmed and comma-free; a secret is non-empty and taken from one of the two
// headers; an accepted Last-Event-ID is all digits and the value they spell; a refusal is kValidation naming the
// field; an accepted session id is 1 to 64 bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/live_event_request.hpp"
#include "fuzz_check.hpp"
#include "http/header_tokens.hpp"
#include "http/pipeline.hpp"

namespace {

std::string_view next_line(std::string_view& rest) {
    const auto newline = rest.find('\n');
    const auto line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    const auto authorization = next_line(rest);
    const auto protocols = next_line(rest);
    const auto last_event_id = next_line(rest);
    const auto query = next_line(rest);

    for (const auto item : crossvoice::http::comma_separated(protocols)) {
        FUZZ_CHECK(!item.empty());
        FUZZ_CHECK(item.front() != ' ' && item.front() != '\t' && item.back() != ' ' && item.back() != '\t');
        FUZZ_CHECK(item.find(',') == std::string_view::npos);
        FUZZ_CHECK(crossvoice::api::offers_subprotocol(protocols, item));
    }

    crossvoice::http::Request request;
    request.path = "/api/events";
    request.query = std::string(query);
    request.target = request.path + "?" + request.query;
    if (!authorization.empty()) request.headers.emplace_back("authorization", std::string(authorization));
    if (!protocols.empty()) request.headers.emplace_back("sec-websocket-protocol", std::string(protocols));
    if (!last_event_id.empty()) request.headers.emplace_back("last-event-id", std::string(last_event_id));

    if (auto secret = crossvoice::http::bearer_secret(request)) {
        FUZZ_CHECK(!secret->empty());
        FUZZ_CHECK(authorization.find(*secret) != std::string_view::npos ||
                   protocols.find(*secret) != std::string_view::npos);
    } else {
        FUZZ_CHECK(secret.error().code == crossvoice::core::ErrorCode::kUnauthorized);
    }

    auto wanted = crossvoice::api::read_live_event_request(request);
    if (!wanted) {
        FUZZ_CHECK(wanted.error().code == crossvoice::core::ErrorCode::kValidation);
        return 0;
    }
    if (wanted->after && !last_event_id.empty()) {
        FUZZ_CHECK(last_event_id.find_first_not_of("0123456789") == std::string_view::npos);
        std::uint64_t spelled = 0;
        for (const char digit : last_event_id) spelled = spelled * 10 + static_cast<std::uint64_t>(digit - '0');
        FUZZ_CHECK(spelled == *wanted->after);
    }
    if (wanted->session_id) FUZZ_CHECK(!wanted->session_id->empty() && wanted->session_id->size() <= 64);
    return 0;
}
