#include "http/response_head.hpp"

#include <gtest/gtest.h>

namespace crossvoice::http {
namespace {

TEST(ResponseHead, KeepAliveResponse) {
    Response response = Response::json(201, "{\"a\":1}");
    std::string head = "stale content is replaced";
    write_response_head(response, "req_1", false, head);
    EXPECT_EQ(head,
              "HTTP/1.1 201 Created\r\n"
              "Server: crossvoice\r\n"
              "Content-Type: application/json\r\n"
              "Content-Length: 7\r\n"
              "X-Request-Id: req_1\r\n"
              "\r\n");
}

TEST(ResponseHead, ExtraHeadersAndClose) {
    Response response = Response::text(405, "text/plain", "");
    response.headers.emplace_back("Allow", "GET, POST");
    std::string head;
    write_response_head(response, "abc", true, head);
    EXPECT_EQ(head,
              "HTTP/1.1 405 Method Not Allowed\r\n"
              "Server: crossvoice\r\n"
              "Content-Type: text/plain\r\n"
              "Content-Length: 0\r\n"
              "X-Request-Id: abc\r\n"
              "Allow: GET, POST\r\n"
              "Connection: close\r\n"
              "\r\n");
}

TEST(ResponseHead, ReasonPhrases) {
    EXPECT_EQ(reason_phrase(413), "Payload Too Large");
    EXPECT_EQ(reason_phrase(503), "Service Unavailable");
    EXPECT_EQ(reason_phrase(299), "<unknown-status>");
}

}  // namespace
}  // namespace crossvoice::http
