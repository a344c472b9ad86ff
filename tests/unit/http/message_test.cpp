#include "http/message.hpp"

#include <gtest/gtest.h>

namespace crossvoice::http {
namespace {

TEST(Message, QueryParametersAreDecoded) {
    Request request;
    request.query = "status=active&channel=sms&note=a+b%21&empty=&flag";
    EXPECT_EQ(request.query_param("status"), "active");
    EXPECT_EQ(request.query_param("note"), "a b!");
    EXPECT_EQ(request.query_param("empty"), "");
    EXPECT_EQ(request.query_param("flag"), "");
    EXPECT_EQ(request.query_param("missing"), std::nullopt);
    EXPECT_TRUE(request.has_query_param("flag"));
    EXPECT_FALSE(request.has_query_param("sta"));
}

TEST(Message, BadEscapesAreNotSilentlyAccepted) {
    Request request;
    request.query = "status=%zz&cursor=%4";
    EXPECT_EQ(request.query_param("status"), std::nullopt);
    EXPECT_TRUE(request.has_query_param("status"));
    EXPECT_EQ(percent_decode("%", false), std::nullopt);
    EXPECT_EQ(percent_decode("a%2", false), std::nullopt);
    EXPECT_EQ(percent_decode("a%2F", false), "a/");
    EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

TEST(Message, HeadersAndMethods) {
    Request request;
    request.headers = {{"x-request-id", "abc"}};
    EXPECT_EQ(request.header("x-request-id"), "abc");
    EXPECT_EQ(request.header("authorization"), std::nullopt);
    EXPECT_EQ(parse_method("PATCH"), Method::kPatch);
    EXPECT_EQ(parse_method("get"), Method::kOther);
    EXPECT_TRUE(is_mutating(Method::kDelete));
    EXPECT_FALSE(is_mutating(Method::kGet));
}

}  // namespace
}  // namespace crossvoice::http
