#include "http/pipeline.hpp"
#include "http/header_tokens.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace crossvoice::http {
namespace {

class PipelineTest : public ::testing::Test {
  protected:
    PipelineTest()
        : pipeline_(
              [](std::string_view secret) -> core::Result<core::Principal> {
                  if (secret == "good") return core::Principal{core::Platform::kJoromi, "key_1"};
                  return core::Error::unauthorized("API key is not recognised");
              },
              [this](core::AuditEntry entry) { audited_.push_back(std::move(entry)); }) {}

    Outcome run(Method method, Access access, Handler handler,
                std::vector<std::pair<std::string, std::string>> headers) {
        router_ = Router{};
        router_.add(Route{method, "/api/things/{id}", "", access, Execution::kWorker, std::move(handler)});
        request_.method = method;
        request_.path = "/api/things/t1";
        request_.headers = std::move(headers);
        auto match = router_.match(method, request_.path);
        return pipeline_.handle(request_, match, "req_test");
    }

    Router router_;
    Request request_;
    std::vector<core::AuditEntry> audited_;
    Pipeline pipeline_;
};

HandlerResult ok_handler(RequestContext& context) {
    context.audit.action = "thing.touch";
    context.audit.target = "thing:" + std::string(context.param("id"));
    return Response::json(200, "{\"platform\":\"" + std::string(core::to_string(context.caller().platform)) + "\"}");
}

TEST_F(PipelineTest, AuthenticatesRunsAndAudits) {
    auto outcome = run(Method::kPost, Access::kApiKey, ok_handler, {{"authorization", "Bearer good"}});
    EXPECT_EQ(outcome.response.status, 200);
    EXPECT_EQ(outcome.response.body, "{\"platform\":\"joromi\"}");
    EXPECT_EQ(outcome.key_id, "key_1");
    ASSERT_EQ(audited_.size(), 1u);
    EXPECT_EQ(audited_[0].platform, core::Platform::kJoromi);
    EXPECT_EQ(audited_[0].key_id, "key_1");
    EXPECT_EQ(audited_[0].action, "thing.touch");
    EXPECT_EQ(audited_[0].target, "thing:t1");
    EXPECT_EQ(audited_[0].request_id, "req_test");
    EXPECT_EQ(audited_[0].outcome, "success");
    EXPECT_EQ(audited_[0].status, 200);
}

TEST_F(PipelineTest, MissingOrBadCredentialsNeverReachTheHandler) {
    bool called = false;
    Handler spy = [&called](RequestContext&) -> HandlerResult {
        called = true;
        return Response::json(200, "{}");
    };
    for (auto headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
             {}, {{"authorization", "Basic abc"}}, {{"authorization", "Bearer "}}, {{"authorization", "Bearer bad"}}}) {
        auto outcome = run(Method::kPost, Access::kApiKey, spy, headers);
        EXPECT_EQ(outcome.response.status, 401);
        EXPECT_EQ(nlohmann::json::parse(outcome.response.body)["code"], "unauthorized");
    }
    EXPECT_FALSE(called);
    ASSERT_EQ(audited_.size(), 4u);
    EXPECT_FALSE(audited_[0].platform.has_value());
    EXPECT_EQ(audited_[0].outcome, "unauthorized");
    EXPECT_EQ(audited_[0].action, "POST /api/things/{id}");
}

TEST_F(PipelineTest, ReadsAreNotAudited) {
    run(Method::kGet, Access::kApiKey, ok_handler, {{"authorization", "Bearer good"}});
    EXPECT_TRUE(audited_.empty());
}

TEST_F(PipelineTest, HandlerErrorsGoThroughTheOneMapping) {
    auto outcome = run(Method::kPut, Access::kPublic,
                       [](RequestContext&) -> HandlerResult { return core::Error::conflict("already ended"); }, {});
    EXPECT_EQ(outcome.response.status, 409);
    EXPECT_EQ(nlohmann::json::parse(outcome.response.body)["error"], "already ended");
    ASSERT_EQ(audited_.size(), 1u);
    EXPECT_EQ(audited_[0].outcome, "conflict");
}

TEST_F(PipelineTest, AThrowingHandlerIsA500ThatQuotesTheRequestId) {
    auto outcome = run(Method::kGet, Access::kPublic,
                       [](RequestContext&) -> HandlerResult { throw std::runtime_error("secret internals"); }, {});
    EXPECT_EQ(outcome.response.status, 500);
    EXPECT_EQ(outcome.response.body.find("secret internals"), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(outcome.response.body)["details"]["requestId"], "req_test");
}

}  // namespace
}  // namespace crossvoice::http

namespace crossvoice::http {
namespace {

Request with_headers(Headers headers) {
    Request request;
    request.headers = std::move(headers);
    return request;
}

TEST(BearerSecret, ABrowsersWebSocketOffersTheKeyAsASubprotocol) {
    // The secret is a view into the request: each request outlives the check of its secret.
    const auto browser = with_headers({{"sec-websocket-protocol", "crossvoice.v1, bearer.cv_tetrix_k-1"}});
    auto offered = bearer_secret(browser);
    ASSERT_TRUE(offered.ok());
    EXPECT_EQ(*offered, "cv_tetrix_k-1");
    // The Authorization header wins when both are there.
    const auto both = with_headers({{"authorization", "Bearer cv_a"}, {"sec-websocket-protocol", "bearer.cv_b"}});
    auto chosen = bearer_secret(both);
    ASSERT_TRUE(chosen.ok());
    EXPECT_EQ(*chosen, "cv_a");
    for (const char* refused : {"crossvoice.v1", "bearer.", "bearerx.cv_a", ""}) {
        const auto request = with_headers({{"sec-websocket-protocol", refused}});
        auto none = bearer_secret(request);
        ASSERT_FALSE(none.ok()) << refused;
        EXPECT_EQ(none.error().code, core::ErrorCode::kUnauthorized);
    }
}

TEST(CommaSeparated, ItemsAreTrimmedAndEmptyOnesDropped) {
    EXPECT_EQ(comma_separated(" a ,, b\t,c"), (std::vector<std::string_view>{"a", "b", "c"}));
    EXPECT_TRUE(comma_separated(" , ").empty());
    EXPECT_TRUE(comma_separated("").empty());
}

}  // namespace
}  // namespace crossvoice::http
