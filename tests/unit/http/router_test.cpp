#include "http/router.hpp"

#include <gtest/gtest.h>

namespace crossvoice::http {
namespace {

Route route(Method method, std::string pattern) {
    return Route{method,
                 std::move(pattern),
                 "",
                 Access::kPublic,
                 Execution::kInline,
                 [](RequestContext&) -> HandlerResult { return Response::json(200, "{}"); }};
}

class RouterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        router_.add(route(Method::kGet, "/api/voice/sessions"));
        router_.add(route(Method::kPost, "/api/voice/sessions"));
        router_.add(route(Method::kGet, "/api/voice/sessions/{id}"));
        router_.add(route(Method::kPost, "/api/voice/sessions/{id}/end"));
        router_.add(route(Method::kGet, "/healthz"));
    }
    Router router_;
};

TEST_F(RouterTest, MatchesLiteralPaths) {
    auto match = router_.match(Method::kPost, "/api/voice/sessions");
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->pattern, "/api/voice/sessions");
    EXPECT_EQ(match.index, 1u);
    EXPECT_TRUE(match.params.empty());
}

TEST_F(RouterTest, ExtractsAndDecodesParameters) {
    auto match = router_.match(Method::kPost, "/api/voice/sessions/ses%5F1/end");
    ASSERT_NE(match.route, nullptr);
    ASSERT_EQ(match.params.size(), 1u);
    EXPECT_EQ(match.params[0], (std::pair<std::string, std::string>{"id", "ses_1"}));
}

TEST_F(RouterTest, UnknownPathMatchesNothing) {
    for (const char* path : {"/nope", "/api/voice/sessions/x/y/z", "", "relative", "/api/voice/sessions//end",
                             "/healthz/", "/api/voice/sessions/%zz"}) {
        auto match = router_.match(Method::kGet, path);
        EXPECT_EQ(match.route, nullptr) << path;
    }
}

TEST_F(RouterTest, WrongMethodListsTheAllowedOnes) {
    auto match = router_.match(Method::kDelete, "/api/voice/sessions");
    EXPECT_EQ(match.route, nullptr);
    EXPECT_EQ(match.allowed, (std::vector<Method>{Method::kGet, Method::kPost}));
    EXPECT_TRUE(router_.match(Method::kDelete, "/nope").allowed.empty());
}

TEST_F(RouterTest, RefusesDuplicateAndMalformedPatterns) {
    EXPECT_THROW(router_.add(route(Method::kGet, "/healthz")), std::invalid_argument);
    EXPECT_THROW(router_.add(route(Method::kGet, "no-slash")), std::invalid_argument);
    EXPECT_THROW(router_.add(route(Method::kGet, "/a/{b")), std::invalid_argument);
    EXPECT_THROW(router_.add(route(Method::kGet, "/a/x{b}")), std::invalid_argument);
}

TEST(SplitPath, KeepsEmptySegments) {
    EXPECT_EQ(split_path("/"), (std::vector<std::string_view>{""}));
    EXPECT_EQ(split_path("/a//b/"), (std::vector<std::string_view>{"a", "", "b", ""}));
    EXPECT_TRUE(split_path("a").empty());
}

}  // namespace
}  // namespace crossvoice::http
