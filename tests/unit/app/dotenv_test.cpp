#include "app/dotenv.hpp"

#include <gtest/gtest.h>

namespace crossvoice::app {
namespace {

TEST(Dotenv, ParsesTheUsualForms) {
    auto parsed = parse_dotenv(
        "# comment\n"
        "\n"
        "PLAIN=value\n"
        "export EXPORTED=yes\n"
        "SPACED = padded  \n"
        "WITH_COMMENT=abc # trailing\n"
        "DOUBLE=\"a \\\"quoted\\\" \\n line\"\n"
        "SINGLE='raw \\n text'\n"
        "EMPTY=\n"
        "HASH_IN_VALUE=a#b\r\n");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const auto& values = parsed.value();
    EXPECT_EQ(values.at("PLAIN"), "value");
    EXPECT_EQ(values.at("EXPORTED"), "yes");
    EXPECT_EQ(values.at("SPACED"), "padded");
    EXPECT_EQ(values.at("WITH_COMMENT"), "abc");
    EXPECT_EQ(values.at("DOUBLE"), "a \"quoted\" \n line");
    EXPECT_EQ(values.at("SINGLE"), "raw \\n text");
    EXPECT_EQ(values.at("EMPTY"), "");
    EXPECT_EQ(values.at("HASH_IN_VALUE"), "a#b");
    EXPECT_EQ(values.size(), 8u);
}

TEST(Dotenv, ErrorsNameTheLine) {
    struct Case {
        const char* text;
        const char* line;
    };
    for (const auto& c :
         {Case{"A=1\nno equals sign\n", "line 2"}, Case{"1BAD=x", "line 1"}, Case{"A=1\nB-C=2", "line 2"},
          Case{"A=\"unterminated", "line 1"}, Case{"A=\"x\" junk", "line 1"}, Case{"A=\"bad \\q escape\"", "line 1"},
          Case{"=value", "line 1"}}) {
        auto parsed = parse_dotenv(c.text);
        ASSERT_FALSE(parsed.ok()) << c.text;
        EXPECT_NE(parsed.error().message.find(c.line), std::string::npos) << parsed.error().message;
    }
}

}  // namespace
}  // namespace crossvoice::app
