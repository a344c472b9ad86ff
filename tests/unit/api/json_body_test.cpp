#include "api/json_body.hpp"

#include <gtest/gtest.h>

namespace crossvoice::api {
namespace {

http::Request with_body(std::string body, std::string content_type = "application/json; charset=utf-8") {
    http::Request request;
    request.body = std::move(body);
    if (!content_type.empty()) request.headers.emplace_back("content-type", std::move(content_type));
    return request;
}

TEST(JsonBody, ParsesAnObjectAndNamesParseErrors) {
    EXPECT_TRUE(parse_json_object(with_body("{\"a\":1}")).ok());
    EXPECT_TRUE(parse_json_object(with_body("{\"a\":1}", "")).ok()) << "no content type is read as JSON";
    auto broken = parse_json_object(with_body("{\"a\":"));
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.error().code, core::ErrorCode::kBadRequest);
    EXPECT_EQ(broken.error().details.at(0).first, "parseError");
    EXPECT_EQ(parse_json_object(with_body("\"text\"")).error().code, core::ErrorCode::kBadRequest);
    // Found by fuzz_json_body: a number beyond a double is nlohmann's out_of_range, not a parse_error.
    EXPECT_EQ(parse_json_object(with_body("{\"a\":1e400}")).error().code, core::ErrorCode::kBadRequest);
    EXPECT_EQ(parse_json_object(with_body("")).error().code, core::ErrorCode::kBadRequest);
    EXPECT_EQ(parse_json_object(with_body("{}", "text/plain")).error().code, core::ErrorCode::kUnsupportedMediaType);
}

TEST(JsonBody, FieldsCheckTypes) {
    const auto object = nlohmann::json::parse(R"({"s":"x","n":5,"o":{"k":1},"z":null})");
    Fields fields(object);
    EXPECT_EQ(fields.required_string("s").value(), "x");
    EXPECT_EQ(fields.required_string("n").error().message, "n must be a string, not a number");
    EXPECT_EQ(fields.required_string("missing").error().message, "missing is required");
    EXPECT_FALSE(fields.optional_string("z").value().has_value()) << "null is absent";
    EXPECT_EQ(fields.optional_object_text("o").value(), R"({"k":1})");
    EXPECT_EQ(fields.optional_object_text("missing").value(), "{}");
    EXPECT_EQ(fields.optional_object_text("s").error().details.at(0).second, "s");
}

TEST(JsonBody, QueryIntegers) {
    http::Request request;
    request.query = "limit=25&bad=2x&neg=-3&huge=99999999999";
    EXPECT_EQ(query_int(request, "limit", 50).value(), 25);
    EXPECT_EQ(query_int(request, "absent", 50).value(), 50);
    EXPECT_FALSE(query_int(request, "bad", 50).ok());
    EXPECT_EQ(query_int(request, "neg", 50).value(), -3);
    EXPECT_FALSE(query_int(request, "huge", 50).ok());
}

}  // namespace
}  // namespace crossvoice::api
