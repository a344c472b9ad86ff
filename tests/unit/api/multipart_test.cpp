#include "api/multipart.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace crossvoice::api {
namespace {

using core::ErrorCode;
using namespace std::string_literals;

std::string crlf(std::string_view text) {
    std::string out;
    for (const char ch : text) {
        if (ch == '\n') out += '\r';
        out += ch;
    }
    return out;
}

TEST(MultipartBoundaryTest, ReadsPlainAndQuotedBoundaries) {
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc123").value(), "abc123");
    EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c=d?\"").value(), "a b:c=d?");
    EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; BOUNDARY=----WebKitFormBoundary7MA4YWxk").value(),
              "----WebKitFormBoundary7MA4YWxk");
}

TEST(MultipartBoundaryTest, AnotherMediaTypeIsUnsupported) {
    for (const char* type : {"application/json", "multipart/mixed; boundary=x", "", "text/plain; boundary=x"}) {
        const auto boundary = multipart_boundary(type);
        ASSERT_FALSE(boundary.ok()) << type;
        EXPECT_EQ(boundary.error().code, ErrorCode::kUnsupportedMediaType) << type;
    }
}

TEST(MultipartBoundaryTest, AMissingOrInvalidBoundaryIsABadRequest) {
    for (const std::string& type :
         {"multipart/form-data"s, "multipart/form-data; boundary="s, "multipart/form-data; boundary=\"\""s,
          "multipart/form-data; boundary=\"abc"s, "multipart/form-data; boundary=\"ends with space \""s,
          "multipart/form-data; boundary=bad<char>"s, "multipart/form-data; boundary=" + std::string(71, 'x')}) {
        const auto boundary = multipart_boundary(type);
        ASSERT_FALSE(boundary.ok()) << type;
        EXPECT_EQ(boundary.error().code, ErrorCode::kBadRequest) << type;
    }
    EXPECT_TRUE(multipart_boundary("multipart/form-data; boundary=" + std::string(70, 'x')).ok());
}

TEST(MultipartTest, SplitsFieldsAndAFile) {
    const std::string body = crlf(
        "--XyZ\n"
        "Content-Disposition: form-data; name=\"language\"\n"
        "\n"
        "es\n"
        "--XyZ\n"
        "Content-Disposition: form-data; name=\"audio\"; filename=\"call.wav\"\n"
        "Content-Type: audio/wav\n"
        "\n"
        "RIFF....WAVE\n"
        "--XyZ\n"
        "content-disposition: FORM-DATA; name=empty\n"
        "\n"
        "\n"
        "--XyZ--\n");
    const auto parts = parse_multipart(body, "XyZ");
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 3U);
    EXPECT_EQ((*parts)[0].name, "language");
    EXPECT_EQ((*parts)[0].data, "es");
    EXPECT_EQ((*parts)[0].content_type, "text/plain");
    EXPECT_FALSE((*parts)[0].filename.has_value());
    EXPECT_EQ((*parts)[1].name, "audio");
    EXPECT_EQ((*parts)[1].filename, "call.wav");
    EXPECT_EQ((*parts)[1].content_type, "audio/wav");
    EXPECT_EQ((*parts)[1].data, "RIFF....WAVE");
    EXPECT_EQ((*parts)[2].name, "empty");
    EXPECT_EQ((*parts)[2].data, "");
    // Views into the body, not copies.
    EXPECT_GE((*parts)[1].data.data(), body.data());
    EXPECT_LE((*parts)[1].data.data() + (*parts)[1].data.size(), body.data() + body.size());
}

TEST(MultipartTest, AQuotedBoundaryFromTheContentTypeSplitsTheBody) {
    const auto boundary = multipart_boundary("multipart/form-data; boundary=\"with space'(x)\"");
    ASSERT_TRUE(boundary.ok());
    const std::string body = crlf(
        "--with space'(x)\n"
        "Content-Disposition: form-data; name=\"a\"\n"
        "\n"
        "1\n"
        "--with space'(x)--");
    const auto parts = parse_multipart(body, *boundary);
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 1U);
    EXPECT_EQ((*parts)[0].data, "1");
}

TEST(MultipartTest, FilenameWithEscapedQuoteAndSemicolon) {
    const std::string body = crlf(
        "--b\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"my \\\"best\\\" call; v2.wav\"\n"
        "\n"
        "x\n"
        "--b--\n");
    const auto parts = parse_multipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 1U);
    EXPECT_EQ((*parts)[0].filename, "my \"best\" call; v2.wav");
}

TEST(MultipartTest, BinaryDataWithLineBreaksAndPartialBoundariesIsKeptExactly) {
    const std::string data = "\r\n--bound\r\n\0\xff--boundary-not\r\n--boundaryX\r\n\r\n--"s;
    const std::string body =
        "--boundary\r\nContent-Disposition: form-data; name=\"blob\"; filename=\"b.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n" +
        data + "\r\n--boundary--\r\n";
    const auto parts = parse_multipart(body, "boundary");
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 1U);
    EXPECT_EQ((*parts)[0].data, data);
    EXPECT_EQ((*parts)[0].content_type, "application/octet-stream");
}

TEST(MultipartTest, PreambleEpilogueAndTransportPaddingAreIgnored) {
    const std::string body = crlf(
        "This is the preamble; --b is mentioned but not at a line start.\n"
        "--b \t\n"
        "Content-Disposition: form-data; name=\"a\"\n"
        "\n"
        "one\n"
        "--b\n"
        "Content-Disposition: form-data; name=\"b\"\n"
        "\n"
        "two\n"
        "--b--\n"
        "epilogue --b\n"
        "--b\n");
    const auto parts = parse_multipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    ASSERT_EQ(parts->size(), 2U);
    EXPECT_EQ((*parts)[0].data, "one");
    EXPECT_EQ((*parts)[1].data, "two");
}

TEST(MultipartTest, FoldedHeaderLinesAreJoined) {
    const std::string body = crlf(
        "--b\n"
        "Content-Disposition: form-data;\n"
        " name=\"folded\"\n"
        "\n"
        "v\n"
        "--b--");
    const auto parts = parse_multipart(body, "b");
    ASSERT_TRUE(parts.ok()) << parts.error().message;
    EXPECT_EQ((*parts)[0].name, "folded");
}

void expect_bad_request(const std::string& body, std::string_view boundary, std::string_view message_part,
                        std::size_t max_parts = 64) {
    const auto parts = parse_multipart(body, boundary, max_parts);
    ASSERT_FALSE(parts.ok()) << "accepted: " << body;
    EXPECT_EQ(parts.error().code, ErrorCode::kBadRequest);
    EXPECT_NE(parts.error().message.find(message_part), std::string::npos) << parts.error().message;
}

TEST(MultipartTest, MalformedBodiesAreRefusedNamingTheProblem) {
    expect_bad_request("", "b", "no opening boundary");
    expect_bad_request(crlf("just text\n--c\n"), "b", "no opening boundary");
    expect_bad_request(crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\nvalue without a close"), "b",
                       "no closing boundary");
    expect_bad_request(crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--bb--"), "b",
                       "no closing boundary");
    expect_bad_request(crlf("--b\nContent-Disposition: form-data; name=\"a\""), "b", "no end of headers");
    expect_bad_request(crlf("--b\nContent-Type: text/plain\n\nv\n--b--"), "b", "part 1 has no Content-Disposition");
    expect_bad_request(crlf("--b\nContent-Disposition: form-data; filename=\"x\"\n\nv\n--b--"), "b",
                       "part 1 has no Content-Disposition");
    expect_bad_request(crlf("--b\nContent-Disposition: form-data; name=\"\"\n\nv\n--b--"), "b",
                       "no Content-Disposition");
    expect_bad_request(crlf("--b\nContent-Disposition: attachment; name=\"a\"\n\nv\n--b--"), "b", "not form-data");
    expect_bad_request(crlf("--b\nContent-Disposition: form-data; name=\"a\n\nv\n--b--"), "b", "unterminated");
    expect_bad_request(crlf("--b\nno colon here\n\nv\n--b--"), "b", "malformed header");
    expect_bad_request(crlf("--b\n\nno headers at all\n--b--"), "b", "no Content-Disposition");
}

TEST(MultipartTest, MoreThanMaxPartsIsRefused) {
    std::string body;
    for (int i = 0; i < 4; ++i) body += crlf("--b\nContent-Disposition: form-data; name=\"f\"\n\nv\n");
    body += "--b--";
    EXPECT_TRUE(parse_multipart(body, "b", 4).ok());
    expect_bad_request(body, "b", "more than 3 parts", 3);
}

TEST(MultipartTest, AClosedBodyWithoutPartsIsEmpty) {
    const auto parts = parse_multipart("--b--\r\n", "b");
    ASSERT_TRUE(parts.ok());
    EXPECT_TRUE(parts->empty());
}

TEST(MultipartTest, TruncatedBodiesNeverReadPastTheEnd) {
    // Every prefix of a valid body is either refused or parsed into views inside it (ASan watches the reads).
    const std::string full = crlf(
        "--b\n"
        "Content-Disposition: form-data; name=\"a\"; filename=\"q\\\"x\"\n"
        "Content-Type: text/csv\n"
        "\n"
        "1,2\n"
        "--b--\n");
    for (std::size_t size = 0; size <= full.size(); ++size) {
        const std::string prefix = full.substr(0, size);
        const auto parts = parse_multipart(prefix, "b");
        if (!parts.ok()) continue;
        for (const auto& part : *parts) {
            EXPECT_GE(part.data.data(), prefix.data());
            EXPECT_LE(part.data.data() + part.data.size(), prefix.data() + prefix.size());
        }
    }
    EXPECT_TRUE(parse_multipart(full, "b").ok());
}

}  // namespace
}  // namespace crossvoice::api
