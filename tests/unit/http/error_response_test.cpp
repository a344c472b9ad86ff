#include "http/error_response.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/request_id.hpp"

namespace crossvoice::http {
namespace {

TEST(ErrorResponse, MapsEveryCodeToItsStatus) {
    using core::ErrorCode;
    const std::vector<std::pair<ErrorCode, int>> expected = {
        {ErrorCode::kBadRequest, 400},    {ErrorCode::kValidation, 400},      {ErrorCode::kUnauthorized, 401},
        {ErrorCode::kForbidden, 403},     {ErrorCode::kNotFound, 404},        {ErrorCode::kMethodNotAllowed, 405},
        {ErrorCode::kConflict, 409},      {ErrorCode::kPayloadTooLarge, 413}, {ErrorCode::kUnsupportedMediaType, 415},
        {ErrorCode::kRateLimited, 429},   {ErrorCode::kInternal, 500},        {ErrorCode::kVendor, 502},
        {ErrorCode::kUnprocessable, 422}, {ErrorCode::kUnavailable, 503},     {ErrorCode::kTimeout, 504}};
    for (const auto& [code, status] : expected) EXPECT_EQ(http_status(code), status) << core::to_string(code);
}

TEST(ErrorResponse, RendersTheContractShape) {
    auto response =
        render_error(core::Error::validation("channel", "channel must be one of voice, chat").with("value", "fax"));
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(nlohmann::json::parse(response.body),
              (nlohmann::json{{"success", false},
                              {"error", "channel must be one of voice, chat"},
                              {"code", "validation_failed"},
                              {"details", {{"field", "channel"}, {"value", "fax"}}}}));
}

TEST(ErrorResponse, SurvivesInvalidUtf8InTheMessage) {
    auto response = render_error(core::Error::bad_request(std::string("bad \xff byte")));
    EXPECT_TRUE(nlohmann::json::accept(response.body));
}

TEST(RequestId, AcceptsSafeIdsAndGeneratesOthers) {
    EXPECT_TRUE(is_acceptable_request_id("abc-123_X.y:z"));
    EXPECT_FALSE(is_acceptable_request_id(""));
    EXPECT_FALSE(is_acceptable_request_id("has space"));
    EXPECT_FALSE(is_acceptable_request_id("new\nline"));
    EXPECT_FALSE(is_acceptable_request_id(std::string(129, 'a')));
    const auto a = generate_request_id();
    EXPECT_TRUE(is_acceptable_request_id(a));
    EXPECT_NE(a, generate_request_id());
}

}  // namespace
}  // namespace crossvoice::http
