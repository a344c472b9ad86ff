#include "api/form_params.hpp"

#include <gtest/gtest.h>

namespace crossvoice::api {
namespace {

TEST(FormParams, DecodesPairsInOrderWithPlusAsSpace) {
    auto parsed = parse_form("CallSid=v3%3Aabc&SpeechResult=I+need+billing&Digits=&Flag&&To=%2B12025550100");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const FormPairs expected{{"CallSid", "v3:abc"},
                             {"SpeechResult", "I need billing"},
                             {"Digits", ""},
                             {"Flag", ""},
                             {"To", "+12025550100"}};
    EXPECT_EQ(*parsed, expected);
    EXPECT_TRUE(parse_form("")->empty());
}

TEST(FormParams, BadEscapesAndEmptyNamesNameTheField) {
    auto bad = parse_form("Digits=1&SpeechResult=%zz");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, core::ErrorCode::kBadRequest);
    EXPECT_NE(bad.error().message.find("SpeechResult"), std::string::npos);
    auto empty = parse_form("=value");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, core::ErrorCode::kBadRequest);
}

TEST(FormParams, TooManyFieldsAreRefused) {
    std::string many;
    for (std::size_t i = 0; i <= kMaxFormFields; ++i) many += "a=1&";
    auto parsed = parse_form(many);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().message.find("more than"), std::string::npos);
}

}  // namespace
}  // namespace crossvoice::api
