// Raw bytes from a client, read the way http/connection.cpp reads them: Beast's request_parser with our
// limits (16 KiB of header, 1 MiB of body), fed incrementally from a buffer that grows by one network
// read at a time, pipelined requests one after another, then converted to our http::Request.
// Input: the first byte sets the read size; the rest is the byte stream.
// Properties: a finished message's body respects the limit and its Content-Length; the conversion splits
// the target into path and query exactly; header names come out lower case; parse_method round-trips.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "fuzz_check.hpp"
#include "http/message.hpp"

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace chttp = crossvoice::http;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr std::uint64_t kBodyLimit = 1024 * 1024;
constexpr int kMaxPipelined = 8;

std::string_view view(beast::string_view text) { return {text.data(), text.size()}; }

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The same conversion as connection.cpp's convert().
chttp::Request convert(bhttp::request<bhttp::string_body>& message) {
    chttp::Request out;
    out.method = chttp::parse_method(view(message.method_string()));
    out.target = std::string(message.target());
    const auto question = out.target.find('?');
    out.path = out.target.substr(0, question);
    out.query = question == std::string::npos ? std::string{} : out.target.substr(question + 1);
    for (const auto& field : message) {
        out.headers.emplace_back(lower(view(field.name_string())), std::string(field.value()));
    }
    out.body = std::move(message.body());
    return out;
}

void check_request(bhttp::request_parser<bhttp::string_body>& parser) {
    const auto content_length = parser.content_length();
    const bool chunked = parser.chunked();
    auto& message = parser.get();
    (void)message.keep_alive();
    (void)beast::iequals(message[bhttp::field::expect], "100-continue");
    FUZZ_CHECK(message.body().size() <= kBodyLimit);
    if (content_length && !chunked) FUZZ_CHECK(message.body().size() == *content_length);

    const auto method_text = std::string(view(message.method_string()));
    const auto target = std::string(view(message.target()));
    const auto request = convert(message);

    const auto method = chttp::parse_method(method_text);
    FUZZ_CHECK(request.method == method);
    if (method != chttp::Method::kOther) FUZZ_CHECK(chttp::to_string(method) == method_text);
    FUZZ_CHECK(request.target == target);
    FUZZ_CHECK(request.path.find('?') == std::string::npos);
    FUZZ_CHECK(request.path.size() == target.size() || request.path + "?" + request.query == target);
    if (request.path.size() == target.size()) FUZZ_CHECK(request.query.empty());
    for (const auto& [name, value] : request.headers) {
        FUZZ_CHECK(name == lower(name));
        FUZZ_CHECK(request.header(name).has_value());
    }
    (void)request.query_param("phoneNumber");
    (void)request.header("x-request-id");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::size_t read_size = 1 + data[0] % 64;  // bytes per simulated network read
    const char* stream = reinterpret_cast<const char*>(data + 1);
    const std::size_t stream_size = size - 1;

    std::size_t consumed = 0;  // bytes the parsers have taken off the stream
    std::size_t received = 0;  // bytes "read from the socket" so far; the buffer is [consumed, received)
    for (int n = 0; n < kMaxPipelined && consumed < stream_size; ++n) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(kHeaderLimit);
        parser.body_limit(kBodyLimit);
        beast::error_code ec;
        bool starved = received == consumed;  // the parser needs bytes the buffer does not hold yet
        while (!parser.is_done()) {
            if (starved) {
                if (received == stream_size) {
                    parser.put_eof(ec);  // the peer closed
                    break;
                }
                received = std::min(stream_size, received + read_size);
            }
            ec = {};
            const auto used = parser.put(boost::asio::const_buffer(stream + consumed, received - consumed), ec);
            FUZZ_CHECK(used <= received - consumed);
            consumed += used;
            if (ec == bhttp::error::need_more) ec = {};
            if (ec) break;
            starved = used == 0 || received == consumed;
            // Between header and body the server checks Content-Length, as on_header() does.
            if (parser.is_header_done() && !parser.is_done()) {
                const auto length = parser.content_length();
                if (length && *length > kBodyLimit) return 0;  // 413, connection closed
            }
        }
        if (ec) return 0;  // 400 or 413, connection closed
        if (!parser.is_done()) return 0;
        check_request(parser);
        if (!parser.keep_alive()) return 0;
    }
    return 0;
}
