#include "telnyx/base64.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

namespace crossvoice::telnyx {
namespace {

TEST(EncodeBase64, MatchesTheRfc4648Vectors) {
    const std::pair<std::string_view, std::string_view> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(encode_base64(plain), encoded) << plain;
    }
}

TEST(EncodeBase64, UsesTheStandardAlphabetNotTheUrlSafeOne) {
    EXPECT_EQ(encode_base64(std::string_view("\xfb\xff\xbf", 3)), "+/+/");
    EXPECT_EQ(encode_base64(std::string_view("\0", 1)), "AA==");
}

TEST(EncodeBase64, DecodeInvertsItForEveryByte) {
    std::string all;
    for (int byte = 0; byte < 256; ++byte) all.push_back(static_cast<char>(byte));
    for (std::size_t length = 0; length <= all.size(); length += 37) {
        const auto plain = all.substr(all.size() - length);
        const auto decoded = decode_base64(encode_base64(plain));
        ASSERT_TRUE(decoded.has_value()) << length;
        EXPECT_EQ(*decoded, plain) << length;
    }
}

}  // namespace
}  // namespace crossvoice::telnyx
